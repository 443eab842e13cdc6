/* A shared H.264 stream: one encoder for every AVC420 viewer of the same
 * picture size (a group), each picture encoded once.
 *
 * H.264 pictures depend on the ones before, so a viewer must receive the
 * group's units in order. Units wait in a short ring; a viewer that falls
 * further behind than VSTREAM_MAX_LAG (too many frames in flight, a slow
 * link) drops out and rejoins at the next key frame, which it asks for.
 * Joining also costs a key frame, never a new encoder. Key frames are
 * rate-limited so a struggling viewer cannot make everyone pay for one
 * every frame.
 *
 * Small changes (up to VSTREAM_SMALL_PX pixels: typing, a blinking cursor)
 * are sent as planar straight away, never as H.264: cheaper to encode,
 * sharp at once.
 *
 * Lossless pass: a 64x64 tile that H.264 touched and that then stays
 * unchanged for VSTREAM_LOSSLESS_MS is sent again as planar (lossless), so
 * text ends sharp. These units carry no H.264 and do not disturb the
 * decoder: later H.264 updates only replace the regions they name.
 */
#ifndef RDPSHARE_VSTREAM_H
#define RDPSHARE_VSTREAM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "encode/encoder.h"
#include "encode/frame.h"

#define VSTREAM_RING 32
#define VSTREAM_MAX_LAG 8
#define VSTREAM_KEY_GAP_MS 500
#define VSTREAM_LOSSLESS_MS 300
#define VSTREAM_SMALL_PX (64 * 64 * 8) /* changes up to this many pixels go lossless */

struct vunit {
	atomic_int refs;
	uint64_t id; /* 1, 2, ... within the stream */
	bool key;    /* decodable without any earlier unit */
	int width, height;
	int64_t damage_us; /* when the oldest change it carries was seen (0: unknown) */
	/* H.264 access unit (absent in lossless-only units) */
	uint8_t *avc;
	uint32_t avc_len;
	int n_regions; /* what the viewer copies from the decoded picture */
	struct cap_rect regions[FRAME_MAX_RECTS];
	/* planar tiles, applied after the H.264 part */
	struct enc_output *lossless;
	/* key units: the picture itself, for viewers that start here */
	struct frame *src;
	size_t bytes;
};

void vunit_unref(struct vunit *u);

struct vstream;

/* The group for pictures of width x height on hub h, created on first use.
 * Ownership: the caller holds a reference; give it back with
 * vstream_leave. NULL when out of memory or the encoder cannot start. */
struct vstream *vstream_join(struct hub *h, int width, int height);
void vstream_leave(struct hub *h, struct vstream *v);

enum vstream_result {
	VSTREAM_UNIT,    /* *out: the next unit for this viewer */
	VSTREAM_NOTHING, /* up to date; *wait_ms: when to ask again (-1: on a new frame) */
	VSTREAM_ERROR,   /* the encoder failed */
};

/* The next unit for a viewer whose last unit was *last (0: none yet, or
 * lost its place). Encodes the newest frame first when it is newer than the
 * stream. On VSTREAM_UNIT, *last is updated and the caller owns a reference
 * to *out (vunit_unref). *fresh: the viewer starts at this key unit; its
 * regions are only what changed for the viewers in step, so the newcomer
 * decodes it without copying anything and takes the whole picture from
 * out->src, lossless (nobody else sees a key frame's blur when one joins). */
enum vstream_result vstream_next(struct vstream *v, struct hub *h, uint64_t *last, int64_t now_ms,
                                 struct vunit **out, bool *fresh, int *wait_ms);

/* Counters for statistics and tests. */
struct vstream_stats {
	uint64_t units, keys, lossless_units, small_units, encode_us;
};
void vstream_get_stats(struct vstream *v, struct vstream_stats *st);

#endif
