/* One viewer's clipboard channel (cliprdr, MS-RDPECLIP) over FreeRDP's
 * server-side codec, driven from the connection's thread (no extra thread:
 * its event handle joins the connection's poll). Text only: the sharer's X
 * clipboard is offered to the viewer, and what the viewer copies becomes the
 * X clipboard, both only while this viewer may share the clipboard
 * (clip_rule). What the viewer sends is checked against the rule when it
 * arrives (may_share), never against what held at the last clip_sync: a PDU
 * right after a demotion is refused. */
#ifndef RDPSHARE_RDP_CLIP_H
#define RDPSHARE_RDP_CLIP_H

#include <stdbool.h>
#include <stdint.h>

#include <freerdp/server/cliprdr.h>

#include "rdp/host.h"

struct clipboard;

struct clip_chan {
	CliprdrServerContext *ctx; /* NULL: the viewer has no clipboard channel */
	int fd;                    /* readable when the viewer sent something */
	struct clipboard *board;
	bool (*may_share)(void *arg); /* the rule for this viewer, now */
	void *arg;
	uint64_t told_gen; /* clipboard generation offered to (or taken from) it */
	uint64_t dropped;  /* requests refused because it may not share */
	int retries;       /* data requests repeated after a failed answer */
};

/* The rule: the property is on, and the viewer is INTERACTIVE and the
 * latest to become so. */
bool clip_rule(const struct host_state *st, const struct member_info *mi);

/* Open the channel if the viewer joined it. may_share(arg) tells whether
 * the viewer may share the clipboard at the moment it is called (the rule
 * on the session's state of now); it runs on the connection's thread. */
void clip_open(struct clip_chan *c, HANDLE vcm, rdpContext *rdp, struct clipboard *board,
               bool (*may_share)(void *arg), void *arg);
/* What clip_open does to FreeRDP's channel context, alone (for tests). */
void clip_attach(struct clip_chan *c, CliprdrServerContext *ctx, struct clipboard *board,
                 bool (*may_share)(void *arg), void *arg);
void clip_close(struct clip_chan *c);
/* Handle what the viewer sent (callbacks run here). Returns false on a
 * broken channel. */
bool clip_check(struct clip_chan *c);
/* allowed: clip_rule as of this pass. Offers new X clipboard text while
 * allowed. */
void clip_sync(struct clip_chan *c, bool allowed);

#endif
