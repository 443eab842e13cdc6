/* One viewer's end of the multiparty channel (MS-RDPEMC "encomsp"): keeps
 * the viewer's picture of the session (participants, their levels, paused)
 * in step with the server's roster by sending the differences, and turns
 * the viewer's control-level PDUs into requests. Runs on the connection's
 * thread only. */
#ifndef RDPSHARE_MULTIPARTY_H
#define RDPSHARE_MULTIPARTY_H

#include <stdbool.h>
#include <stdint.h>

#include <winpr/wtypes.h>

#include "mp_filter.h"

#define ROSTER_MAX 256
#define ROSTER_NAME 256

struct roster_entry {
	int id;
	char name[ROSTER_NAME];
	int level; /* enum rdpshare_ctrl_level */
	bool gone; /* left; disc_type/disc_code say how */
	uint32_t disc_type, disc_code;
};

struct multiparty {
	HANDLE chan; /* NULL: the viewer did not join encomsp */
	int self_id;
	struct {
		int id, level;
	} sent[ROSTER_MAX]; /* what the viewer was last told */
	int n_sent;
	int sent_paused;  /* -1: not told yet */
	uint64_t ignored; /* PDUs dropped: malformed, or about someone else */
	/* FreeRDP's encomsp client (2.x and 3.10) drops the connection on PDU types it
	 * does not know, the control-change response (Windows 10+) among them,
	 * so responses go only to viewers that can take them (see conn.c). */
	bool responses_ok;
	/* the application filter as the viewer was last told it */
	struct mp_filter told;
	bool told_state; /* the filter state PDU went out */
	bool may_see;    /* the viewer was at VIEW or above when told */
	uint64_t filter_gen;
};

/* Open the channel if the viewer joined it (after activation). */
void multiparty_open(struct multiparty *m, HANDLE vcm, int self_id, bool responses_ok);
void multiparty_close(struct multiparty *m);

/* Tell the viewer what changed. Returns false when the write failed. */
bool multiparty_sync(struct multiparty *m, const struct roster_entry *roster, int n, bool paused);

/* Send the sharer's answer to a request (SendControlLevelChangeResponse). */
bool multiparty_respond(struct multiparty *m, int level, uint32_t reason);

/* Tell the viewer the application filter's state, applications and windows
 * as they differ from what it was told; a viewer that may not see (below
 * VIEW) is told nothing, and what it was told is withdrawn. Returns 1 when
 * told, 0 when out of memory (nothing sent: try again), -1 when the write
 * failed. */
int multiparty_sync_filter(struct multiparty *m, const struct mp_filter *f, bool may_see);

/* One pass: the roster when it changed (n >= 0 entries; n < 0: as told),
 * the application filter as this viewer may see it at level, and the
 * sharer's answers waiting for it. Returns false when a write failed. */
struct rdp_host;
struct host_member;
bool multiparty_service(struct multiparty *m, const struct rdp_host *h, struct host_member *member,
                        const struct roster_entry *roster, int n, bool paused, int level);

/* Read what the viewer sent; for each control-level request about itself
 * (participant id 0 or its own), call on_request with the requested level;
 * for each request to show a window it was told of, call on_show. */
void multiparty_receive(struct multiparty *m, void (*on_request)(void *ctx, int level),
                        void (*on_show)(void *ctx, uint32_t wnd), void *ctx);

#endif
