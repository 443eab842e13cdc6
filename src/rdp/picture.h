/* One viewer's picture: what both of its paths share (bitmap updates in
 * bitmap.c, the graphics pipeline in gfx.c): the newest frames from the
 * hub, its encoder and codec, its pacing, and what it counts. Connection
 * thread only (the pacing's acknowledgement counters excepted). */
#ifndef RDPSHARE_RDP_PICTURE_H
#define RDPSHARE_RDP_PICTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "encode/encoder.h"
#include "encode/frame.h"
#include "rdp/host.h"
#include "rdp/pace.h"

struct picture {
	struct hub *hub;
	struct encoder *enc;
	struct enc_key key;
	struct pace pace;
	const struct rdp_host *host;
	struct host_member *member;
	struct member_stats *stats;
	uint32_t next_frame_id; /* bitmap updates' frame markers */
};

/* The picture to send for frame f as pace_plan said (PACE_SHARED or
 * PACE_OWN with since): the encode shared by every viewer of the codec, or
 * this viewer's own in *own (the caller frees it). NULL: out of memory. */
const struct enc_output *picture_encode(struct picture *p, struct frame *f, enum pace_plan plan,
                                        uint64_t since, struct enc_output **own);
/* Frame f went out as o (ok: all of it): statistics and pacing. */
void picture_sent(struct picture *p, const struct frame *f, uint64_t bytes, bool ok);
/* A picture whose damage happened at damage_us reached the socket. */
void picture_note_latency(struct picture *p, int64_t damage_us);

#endif
