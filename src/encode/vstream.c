#include "encode/vstream.h"

#include <stdlib.h>
#include <string.h>

#include "encode/avc.h"
#include "util/clock.h"

#define TILE 64

struct vstream {
	struct vstream *next; /* in the hub's list, under streams_lock */
	int users;            /* under streams_lock */
	int width, height;

	pthread_mutex_t lock; /* everything below */
	struct avc_enc *avc;
	struct encoder *planar;
	uint64_t enc_seq; /* hub frame the encoder last saw (0: none) */
	uint64_t head;    /* id of the newest unit */
	bool want_key;    /* someone needs a key frame */
	int64_t last_key_ms;
	struct vunit *ring[VSTREAM_RING];
	struct frame *enc_frame; /* the picture the encoder last saw */
	/* lossless pass: per tile, when H.264 last wrote it (0: lossless now) */
	int tiles_w, tiles_h;
	int64_t *lossy_ms;
	struct vstream_stats stats;
};

void vunit_unref(struct vunit *u)
{
	if (!u || atomic_fetch_sub(&u->refs, 1) != 1) {
		return;
	}
	free(u->avc);
	enc_output_free(u->lossless);
	frame_unref(u->src);
	free(u);
}

static void vstream_free(struct vstream *v)
{
	for (int i = 0; i < VSTREAM_RING; i++) {
		vunit_unref(v->ring[i]);
	}
	avc_enc_free(v->avc);
	encoder_free(v->planar);
	frame_unref(v->enc_frame);
	free(v->lossy_ms);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

static struct vstream *vstream_new(int width, int height)
{
	struct vstream *v = calloc(1, sizeof(*v));
	if (!v) {
		return NULL;
	}
	pthread_mutex_init(&v->lock, NULL);
	v->width = width;
	v->height = height;
	v->tiles_w = (width + TILE - 1) / TILE;
	v->tiles_h = (height + TILE - 1) / TILE;
	v->avc = avc_enc_new(width, height);
	v->planar = encoder_new();
	v->lossy_ms = calloc((size_t)v->tiles_w * (size_t)v->tiles_h, sizeof(*v->lossy_ms));
	v->want_key = true;
	if (!v->avc || !v->planar || !v->lossy_ms) {
		vstream_free(v);
		return NULL;
	}
	return v;
}

struct vstream *vstream_join(struct hub *h, int width, int height)
{
	pthread_mutex_lock(&h->streams_lock);
	struct vstream *v = h->streams;
	while (v && (v->width != width || v->height != height)) {
		v = v->next;
	}
	if (!v && (v = vstream_new(width, height)) != NULL) {
		v->next = h->streams;
		h->streams = v;
	}
	if (v) {
		v->users++;
	}
	pthread_mutex_unlock(&h->streams_lock);
	return v;
}

void vstream_leave(struct hub *h, struct vstream *v)
{
	if (!v) {
		return;
	}
	pthread_mutex_lock(&h->streams_lock);
	bool last = --v->users == 0;
	if (last) {
		struct vstream **p = &h->streams;
		while (*p != v) {
			p = &(*p)->next;
		}
		*p = v->next;
	}
	pthread_mutex_unlock(&h->streams_lock);
	if (last) {
		vstream_free(v); /* the encoder goes with the group's last viewer */
	}
}

static struct vunit *unit_at(struct vstream *v, uint64_t id)
{
	if (id == 0 || id > v->head) {
		return NULL;
	}
	struct vunit *u = v->ring[id % VSTREAM_RING];
	return u && u->id == id ? u : NULL;
}

static void push(struct vstream *v, struct vunit *u)
{
	u->id = ++v->head;
	struct vunit **slot = &v->ring[u->id % VSTREAM_RING];
	vunit_unref(*slot);
	*slot = u;
	v->stats.units++;
}

static void mark_lossy(struct vstream *v, const struct cap_rect *r, int64_t now_ms)
{
	int tx1 = r->x / TILE, ty1 = r->y / TILE;
	int tx2 = (r->x + r->w - 1) / TILE, ty2 = (r->y + r->h - 1) / TILE;
	for (int ty = ty1; ty <= ty2 && ty < v->tiles_h; ty++) {
		for (int tx = tx1; tx <= tx2 && tx < v->tiles_w; tx++) {
			v->lossy_ms[ty * v->tiles_w + tx] =
			    now_ms > 0 ? now_ms : 1; /* 0: lossless */
		}
	}
}

/* What differs between two pictures of the same size, as rows of 64x64
 * tiles (merged into one box past FRAME_MAX_RECTS). For full frames (a
 * newcomer made the engine grab everything again): mostly nothing changed,
 * and the viewers in step must not get a whole blurred picture for it. */
static void diff_tiles(const struct frame *a, const struct frame *b, struct cap_rect *out, int *n)
{
	*n = 0;
	int tiles_w = (b->width + TILE - 1) / TILE;
	struct cap_rect whole = {0, 0, b->width, b->height};
	for (int ty = 0; ty * TILE < b->height; ty++) {
		int run = -1;
		/* one step past the last tile closes a run reaching the edge */
		for (int tx = 0; tx <= tiles_w; tx++) {
			bool differs = false;
			if (tx < tiles_w) {
				int x = tx * TILE, w = b->width - x < TILE ? b->width - x : TILE;
				for (int y = ty * TILE;
				     y < ty * TILE + TILE && y < b->height && !differs; y++) {
					size_t off = (size_t)y * (size_t)b->stride + (size_t)x * 4;
					differs = memcmp(a->data + off, b->data + off,
					                 (size_t)w * 4) != 0;
				}
			}
			if (differs && run < 0) {
				run = tx;
			} else if (!differs && run >= 0) {
				struct cap_rect r = {run * TILE, ty * TILE, (tx - run) * TILE,
				                     TILE};
				if (rect_intersect(&r, &whole, &r)) {
					rect_list_add(out, n, FRAME_MAX_RECTS, &r);
				}
				run = -1;
			}
		}
	}
}

/* A small change (typing, a cursor blink) goes lossless at once: planar
 * costs a fraction of a millisecond where H.264 of a whole 1080p picture
 * costs a few, and text is sharp without waiting for the lossless pass.
 * The encoder need not see it: a viewer copies only the regions a later
 * H.264 picture names, and those are converted from that frame afresh;
 * elsewhere encoder and decoder keep the same (older) reference. */
static bool small_update(struct vstream *v, struct frame *f, struct vunit *u)
{
	int64_t t0 = util_clock_us();
	struct enc_key key = {.codec = CODEC_GFX_PLANAR, .bpp = 32};
	u->lossless = encoder_encode(v->planar, &key, f, u->regions, u->n_regions);
	v->stats.encode_us += (uint64_t)(util_clock_us() - t0);
	if (!u->lossless) {
		return false;
	}
	u->n_regions = 0; /* no H.264 part */
	u->bytes = u->lossless->bytes;
	v->enc_seq = f->seq;
	frame_unref(v->enc_frame);
	v->enc_frame = frame_ref(f);
	v->stats.small_units++;
	return true;
}

/* H.264 for frame f: its damage since the encoder's last frame, or all of
 * it for a key frame. */
static bool encode_avc(struct vstream *v, struct hub *h, struct frame *f, bool key, int64_t now_ms)
{
	struct vunit *u = calloc(1, sizeof(*u));
	if (!u) {
		return false;
	}
	atomic_init(&u->refs, 1);
	u->width = f->width;
	u->height = f->height;
	u->damage_us = f->damage_us;
	/* What changed since the encoder's last picture: what viewers in step
	 * copy from it, key frame or not (a viewer starting at a key frame gets
	 * the whole picture lossless instead, see vstream_next). */
	if (f->seq == v->enc_seq || v->enc_seq == 0) {
		/* a key frame of the same picture, for a newcomer; or the first:
		 * nobody is in step yet */
		u->n_regions = 0;
	} else if (v->enc_seq != 0 && !f->full && f->seq == v->enc_seq + 1) {
		u->n_regions = f->n_rects;
		memcpy(u->regions, f->rects, sizeof(f->rects[0]) * (size_t)f->n_rects);
	} else if (f->full || !hub_damage_since(h, v->enc_seq, f->seq, u->regions, &u->n_regions)) {
		diff_tiles(v->enc_frame, f, u->regions, &u->n_regions);
	}
	if (key) {
		u->src = frame_ref(f);
	}
	long area = 0;
	for (int i = 0; i < u->n_regions; i++) {
		area += (long)u->regions[i].w * u->regions[i].h;
	}
	if (!key && area <= VSTREAM_SMALL_PX) {
		return small_update(v, f, u) ? (push(v, u), true) : (vunit_unref(u), false);
	}
	const uint8_t *data = NULL;
	size_t len = 0;
	int64_t t0 = util_clock_us();
	int r =
	    avc_enc_encode(v->avc, f->data, f->stride, u->regions, u->n_regions, key, &data, &len);
	v->stats.encode_us += (uint64_t)(util_clock_us() - t0);
	if (r < 0 || !(u->avc = malloc(len ? len : 1))) {
		free(u);
		return false;
	}
	memcpy(u->avc, data, len);
	u->avc_len = (uint32_t)len;
	u->bytes = len;
	u->key = key;
	v->enc_seq = f->seq;
	frame_unref(v->enc_frame);
	v->enc_frame = frame_ref(f);
	for (int i = 0; i < u->n_regions; i++) {
		mark_lossy(v, &u->regions[i], now_ms);
	}
	if (key) {
		v->want_key = false;
		v->last_key_ms = now_ms;
		v->stats.keys++;
	}
	push(v, u);
	return true;
}

/* Planar copies of the tiles that stayed still long enough after H.264
 * touched them. Returns 1 when a unit was made, 0 when none was due (then
 * *wait_ms says when the next one is), -1 on failure. */
static int encode_lossless(struct vstream *v, struct frame *f, int64_t now_ms, int *wait_ms)
{
	struct cap_rect rects[FRAME_MAX_RECTS];
	int n = 0;
	int64_t next_due = -1;
	for (int ty = 0; ty < v->tiles_h; ty++) {
		int run = -1; /* first tile of a run of due tiles in this row */
		for (int tx = 0; tx <= v->tiles_w; tx++) {
			int64_t t = tx < v->tiles_w ? v->lossy_ms[ty * v->tiles_w + tx] : 0;
			bool due = t != 0 && now_ms - t >= VSTREAM_LOSSLESS_MS;
			if (t != 0 && !due) {
				int64_t when = t + VSTREAM_LOSSLESS_MS;
				next_due = next_due < 0 || when < next_due ? when : next_due;
			}
			if (due && run < 0 && n < FRAME_MAX_RECTS) {
				run = tx;
			}
			if ((!due || tx == v->tiles_w) && run >= 0) {
				struct cap_rect r = {run * TILE, ty * TILE, (tx - run) * TILE,
				                     TILE};
				struct cap_rect whole = {0, 0, f->width, f->height};
				if (rect_intersect(&r, &whole, &r)) {
					rects[n++] = r;
				}
				for (int i = run; i < tx; i++) {
					v->lossy_ms[ty * v->tiles_w + i] = 0;
				}
				run = -1;
			}
		}
	}
	*wait_ms = next_due < 0 ? -1 : (int)(next_due - now_ms);
	if (n == 0) {
		return 0;
	}
	struct enc_key key = {.codec = CODEC_GFX_PLANAR, .bpp = 32};
	struct enc_output *o = encoder_encode(v->planar, &key, f, rects, n);
	struct vunit *u = o ? calloc(1, sizeof(*u)) : NULL;
	if (!u) {
		enc_output_free(o);
		return -1;
	}
	atomic_init(&u->refs, 1);
	u->width = f->width;
	u->height = f->height;
	u->lossless = o;
	u->bytes = o->bytes;
	push(v, u);
	v->stats.lossless_units++;
	*wait_ms = 0; /* more may be due (past 64 runs) */
	return 1;
}

/* Brings the stream up to the hub's newest frame. */
static bool produce(struct vstream *v, struct hub *h, int64_t now_ms, int *wait_ms)
{
	*wait_ms = -1;
	struct frame *f = hub_latest(h);
	if (!f || f->width != v->width || f->height != v->height) {
		frame_unref(f);
		return true; /* the connection moves to the right group first */
	}
	bool ok = true;
	bool key_allowed = now_ms - v->last_key_ms >= VSTREAM_KEY_GAP_MS || v->head == 0;
	if (v->want_key && key_allowed) {
		ok = encode_avc(v, h, f, true, now_ms);
	} else if (f->seq != v->enc_seq) {
		ok = encode_avc(v, h, f, v->enc_seq == 0, now_ms);
	} else {
		ok = encode_lossless(v, f, now_ms, wait_ms) >= 0;
	}
	if (v->want_key && !key_allowed) {
		int left = (int)(v->last_key_ms + VSTREAM_KEY_GAP_MS - now_ms);
		*wait_ms = *wait_ms < 0 || left < *wait_ms ? left : *wait_ms;
	}
	frame_unref(f);
	return ok;
}

/* The newest key unit a viewer can start from, if it is recent enough. */
static struct vunit *recent_key(struct vstream *v)
{
	for (uint64_t id = v->head; id > 0 && v->head - id < VSTREAM_MAX_LAG; id--) {
		struct vunit *u = unit_at(v, id);
		if (!u) {
			break;
		}
		if (u->key) {
			return u;
		}
	}
	return NULL;
}

enum vstream_result vstream_next(struct vstream *v, struct hub *h, uint64_t *last, int64_t now_ms,
                                 struct vunit **out, bool *fresh, int *wait_ms)
{
	*out = NULL;
	*fresh = false;
	*wait_ms = -1;
	pthread_mutex_lock(&v->lock);
	if (*last != 0 &&
	    (v->head - *last > VSTREAM_MAX_LAG || (*last < v->head && !unit_at(v, *last + 1)))) {
		*last = 0; /* too far behind: skip to the next key frame */
	}
	if (*last == 0 && !recent_key(v)) {
		v->want_key = true;
	}
	enum vstream_result r = VSTREAM_NOTHING;
	/* encode only for a viewer that has everything, or needs a key frame */
	bool up_to_date = *last == v->head, needs_key = *last == 0 && !recent_key(v);
	if ((up_to_date || needs_key) && !produce(v, h, now_ms, wait_ms)) {
		r = VSTREAM_ERROR;
	}
	if (r != VSTREAM_ERROR) {
		struct vunit *u = *last == 0 ? recent_key(v) : unit_at(v, *last + 1);
		if (u) {
			atomic_fetch_add(&u->refs, 1);
			*out = u;
			*fresh = *last == 0;
			*last = u->id;
			r = VSTREAM_UNIT;
		}
	}
	pthread_mutex_unlock(&v->lock);
	return r;
}

void vstream_get_stats(struct vstream *v, struct vstream_stats *st)
{
	pthread_mutex_lock(&v->lock);
	*st = v->stats;
	pthread_mutex_unlock(&v->lock);
}
