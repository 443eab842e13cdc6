/* Frames and the hub that hands them out.
 *
 * The engine captures once and publishes immutable, reference-counted
 * frames: the whole shared rectangle's pixels plus the rectangles that
 * changed since the previous frame. Connections take the newest frame when
 * they are ready to send; one that fell behind asks the hub for the union of
 * the damage it missed (a short ring of recent damage lists) or, past that,
 * sends everything. Encoded output is cached on the frame per codec group so
 * viewers with the same codec share one encode (encoder.c fills the cache).
 * No FreeRDP types here.
 */
#ifndef RDPSHARE_FRAME_H
#define RDPSHARE_FRAME_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "util/clock.h"

#define FRAME_MAX_RECTS 64
#define HUB_RING 16
#define HUB_MAX_SUBSCRIBERS 256
#define CURSOR_MAX 96

struct enc_cache; /* encoder.c */
struct vstream;   /* vstream.c */

struct frame {
	atomic_int refs;
	uint64_t seq;
	int width, height, stride;
	uint8_t *data;                          /* BGRX32 */
	struct cap_rect rects[FRAME_MAX_RECTS]; /* damage since seq-1, frame coordinates */
	int n_rects;
	bool full;         /* every pixel may have changed (first frame, new geometry, refresh) */
	int64_t damage_us; /* monotonic time the oldest change in it was seen (0: unknown) */
	pthread_mutex_t cache_lock;
	struct enc_cache *cache;
};

/* A black frame. Ownership: the caller's reference (frame_unref). */
struct frame *frame_new(int width, int height);
/* A frame with prev's size and pixels, to change in place before
 * publishing. Ownership: the caller's reference. */
struct frame *frame_new_copy(const struct frame *prev);
struct frame *frame_ref(struct frame *f);
void frame_unref(struct frame *f);

struct cursor_shape {
	int width, height, xhot, yhot;
	uint32_t argb[CURSOR_MAX * CURSOR_MAX];
};

struct hub {
	pthread_mutex_t lock;
	struct frame *latest;
	struct {
		uint64_t seq;
		bool full;
		int n;
		struct cap_rect rects[FRAME_MAX_RECTS];
	} ring[HUB_RING];
	/* cursor */
	uint64_t cursor_gen;    /* bumps on any change */
	uint64_t shape_gen;     /* bumps on shape change */
	int cursor_x, cursor_y; /* frame coordinates */
	bool cursor_visible;
	struct cursor_shape shape;
	int subscribers[HUB_MAX_SUBSCRIBERS]; /* eventfds to poke on publish */
	int n_subscribers;
	int engine_wake; /* eventfd: a new subscriber wants a full frame */
	atomic_bool want_full;
	/* H.264 groups (vstream.c), one per picture size */
	pthread_mutex_t streams_lock;
	struct vstream *streams;
};

int hub_init(struct hub *h, int engine_wake_fd);
void hub_fini(struct hub *h);
/* Takes the caller's reference to f. */
void hub_publish(struct hub *h, struct frame *f);
/* Newest frame with a reference for the caller, or NULL. */
struct frame *hub_latest(struct hub *h);
/* Damage between frame `since` (exclusive) and `upto` (inclusive) as a list
 * (merged into a bounding box past FRAME_MAX_RECTS). Returns false when the
 * ring no longer covers it or a full frame lies between: send everything. */
bool hub_damage_since(struct hub *h, uint64_t since, uint64_t upto, struct cap_rect *out, int *n);
void hub_set_cursor(struct hub *h, int x, int y, bool visible, const struct cap_cursor *shape);
/* Copy the cursor state if it changed since *gen; returns true when copied. */
bool hub_get_cursor(struct hub *h, uint64_t *gen, uint64_t *shape_gen, int *x, int *y,
                    bool *visible, struct cursor_shape *shape_out, bool *shape_changed);
int hub_subscribe(struct hub *h, int efd);
void hub_unsubscribe(struct hub *h, int efd);
int hub_subscriber_count(struct hub *h);

/* Frame and unit times (damage_us ...) are util_clock_us(): CLOCK_MONOTONIC
 * in microseconds. */

/* Rectangle helpers shared by the engine and the encoders. */
bool rect_intersect(const struct cap_rect *a, const struct cap_rect *b, struct cap_rect *out);
void rect_union(struct cap_rect *acc, const struct cap_rect *r);
/* Append r to list (n of max), merging into the bounding box of all when full. */
void rect_list_add(struct cap_rect *list, int *n, int max, const struct cap_rect *r);

#endif
