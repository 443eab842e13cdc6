/* One viewer's ends of the session's virtual channels, as RDP dynamic
 * virtual channels (DRDYNVC) through FreeRDP's WTS API: opened once the
 * viewer's drdynvc is ready, data in (only from attendees with access, the
 * rest dropped and counted) and out (queued by rdpshare_channel_send).
 * Connection thread only. */
#ifndef RDPSHARE_RDP_DVC_H
#define RDPSHARE_RDP_DVC_H

#include <stdbool.h>
#include <stdint.h>

#include <winpr/wtypes.h>

#include "rdp/host.h"

/* At most this many application channels (the session's limit). */
#define DVC_MAX_CHANNELS 32

enum dvc_state { DVC_NONE, DVC_OPENING, DVC_OPEN, DVC_GONE };

struct dvc_set {
	HANDLE vcm;
	ULONG session_id; /* FreeRDP's id for this peer's channel manager */
	int n;
	struct {
		HANDLE h;
		enum dvc_state state;
		uint32_t id; /* FreeRDP's dynamic channel id (0: never opened) */
	} ch[DVC_MAX_CHANNELS];
	uint64_t dropped; /* messages from the viewer without access */
};

void dvc_init(struct dvc_set *d, HANDLE vcm);
/* Open, read, write what is due; post joined/left/data/sent events. */
void dvc_service(struct dvc_set *d, const struct rdp_host *host, struct host_member *m,
                 struct member_stats *stats);
/* Only take what the viewer sent on the open channels (writes nothing: for
 * a viewer that is behind, whose messages FreeRDP would otherwise queue
 * without limit until it catches up). */
void dvc_read(struct dvc_set *d, const struct rdp_host *host, struct host_member *m,
              struct member_stats *stats);
/* The largest message the viewer may send on dynamic channel id when it
 * is one of the application's (the channel's message limit): true and
 * *cap; false for any other id. Connection thread. */
bool dvc_channel_cap(const struct dvc_set *d, const struct rdp_host *host, uint32_t id,
                     size_t *cap);
/* The viewer is gone: close everything, post left for open channels (m
 * NULL: it was never announced, nothing to post). */
void dvc_close(struct dvc_set *d, const struct rdp_host *host, struct host_member *m);

#endif
