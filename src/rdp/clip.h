/* One viewer's clipboard channel (cliprdr, MS-RDPECLIP) over FreeRDP's
 * server-side codec, driven from the connection's thread (no extra thread:
 * its event handle joins the connection's poll). Text only: the sharer's X
 * clipboard is offered to the viewer, and what the viewer copies becomes the
 * X clipboard, both only while this viewer may share the clipboard (see
 * clip_sync). */
#ifndef RDPSHARE_RDP_CLIP_H
#define RDPSHARE_RDP_CLIP_H

#include <stdbool.h>
#include <stdint.h>

#include <freerdp/server/cliprdr.h>

struct clipboard;

struct clip_chan {
	CliprdrServerContext *ctx; /* NULL: the viewer has no clipboard channel */
	int fd;                    /* readable when the viewer sent something */
	struct clipboard *board;
	bool allowed;      /* this viewer shares the clipboard now */
	uint64_t told_gen; /* clipboard generation offered to (or taken from) it */
	uint64_t dropped;  /* requests refused because it may not share */
	int retries;       /* data requests repeated after a failed answer */
};

/* Open the channel if the viewer joined it. */
void clip_open(struct clip_chan *c, HANDLE vcm, rdpContext *rdp, struct clipboard *board);
void clip_close(struct clip_chan *c);
/* Handle what the viewer sent (callbacks run here). Returns false on a
 * broken channel. */
bool clip_check(struct clip_chan *c);
/* allowed: the property is on, the viewer is INTERACTIVE and the latest to
 * become so. Offers new X clipboard text while allowed. */
void clip_sync(struct clip_chan *c, bool allowed);

#endif
