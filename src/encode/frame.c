#include "encode/frame.h"

#include <stdlib.h>
#include <string.h>

#include "encode/encoder.h"
#include "util/wake.h"

/* Freed picture buffers kept for the next frame of the same size: a fresh
 * 8 MB buffer per 1080p frame costs page faults and clearing every time,
 * which showed in the damage-to-socket time of small updates. */
#define POOL_MAX 4
static struct {
	pthread_mutex_t lock;
	int n;
	size_t size[POOL_MAX];
	uint8_t *buf[POOL_MAX];
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

static uint8_t *pool_take(size_t size)
{
	uint8_t *b = NULL;
	pthread_mutex_lock(&pool.lock);
	for (int i = 0; i < pool.n; i++) {
		if (pool.size[i] == size) {
			b = pool.buf[i];
			pool.buf[i] = pool.buf[--pool.n];
			pool.size[i] = pool.size[pool.n];
			break;
		}
	}
	pthread_mutex_unlock(&pool.lock);
	return b;
}

static void pool_give(uint8_t *b, size_t size)
{
	pthread_mutex_lock(&pool.lock);
	if (pool.n == POOL_MAX) {
		free(pool.buf[0]); /* the oldest goes: sizes change with the shared rect */
		pool.buf[0] = pool.buf[pool.n - 1];
		pool.size[0] = pool.size[pool.n - 1];
		pool.n--;
	}
	pool.buf[pool.n] = b;
	pool.size[pool.n++] = size;
	pthread_mutex_unlock(&pool.lock);
}

static size_t frame_bytes(const struct frame *f)
{
	return (size_t)f->stride * (size_t)((f->height + 63) & ~63);
}

static struct frame *frame_alloc(int width, int height, const struct frame *copy_of)
{
	if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
		return NULL;
	}
	struct frame *f = calloc(1, sizeof(*f));
	if (!f) {
		return NULL;
	}
	f->width = width;
	f->height = height;
	/* Padded to whole 64x64 tiles so codecs working on tiles never read
	 * outside the buffer; 64-byte alignment suits their SIMD loads. */
	int pw = (width + 63) & ~63;
	f->stride = pw * 4;
	size_t size = frame_bytes(f);
	f->data = pool_take(size);
	if (!f->data && posix_memalign((void **)&f->data, 64, size) != 0) {
		free(f);
		return NULL;
	}
	if (copy_of) {
		memcpy(f->data, copy_of->data, size);
	} else {
		memset(f->data, 0, size);
	}
	atomic_init(&f->refs, 1);
	pthread_mutex_init(&f->cache_lock, NULL);
	return f;
}

struct frame *frame_new(int width, int height)
{
	return frame_alloc(width, height, NULL);
}

struct frame *frame_new_copy(const struct frame *prev)
{
	return frame_alloc(prev->width, prev->height, prev);
}

struct frame *frame_ref(struct frame *f)
{
	if (f) {
		atomic_fetch_add(&f->refs, 1);
	}
	return f;
}

void frame_unref(struct frame *f)
{
	if (!f || atomic_fetch_sub(&f->refs, 1) != 1) {
		return;
	}
	enc_cache_free(f->cache);
	pthread_mutex_destroy(&f->cache_lock);
	pool_give(f->data, frame_bytes(f));
	free(f);
}

bool rect_intersect(const struct cap_rect *a, const struct cap_rect *b, struct cap_rect *out)
{
	int x1 = a->x > b->x ? a->x : b->x;
	int y1 = a->y > b->y ? a->y : b->y;
	int x2 = (a->x + a->w) < (b->x + b->w) ? (a->x + a->w) : (b->x + b->w);
	int y2 = (a->y + a->h) < (b->y + b->h) ? (a->y + a->h) : (b->y + b->h);
	if (x2 <= x1 || y2 <= y1) {
		return false;
	}
	*out = (struct cap_rect){x1, y1, x2 - x1, y2 - y1};
	return true;
}

void rect_union(struct cap_rect *acc, const struct cap_rect *r)
{
	if (acc->w <= 0 || acc->h <= 0) {
		*acc = *r;
		return;
	}
	int x1 = acc->x < r->x ? acc->x : r->x;
	int y1 = acc->y < r->y ? acc->y : r->y;
	int x2 = (acc->x + acc->w) > (r->x + r->w) ? (acc->x + acc->w) : (r->x + r->w);
	int y2 = (acc->y + acc->h) > (r->y + r->h) ? (acc->y + acc->h) : (r->y + r->h);
	*acc = (struct cap_rect){x1, y1, x2 - x1, y2 - y1};
}

void rect_list_add(struct cap_rect *list, int *n, int max, const struct cap_rect *r)
{
	for (int i = 0; i < *n; i++) {
		const struct cap_rect *c = &list[i];
		if (r->x >= c->x && r->y >= c->y && r->x + r->w <= c->x + c->w &&
		    r->y + r->h <= c->y + c->h) {
			return; /* already covered */
		}
	}
	if (*n < max) {
		list[(*n)++] = *r;
		return;
	}
	struct cap_rect all = *r;
	for (int i = 0; i < *n; i++) {
		rect_union(&all, &list[i]);
	}
	list[0] = all;
	*n = 1;
}

int hub_init(struct hub *h, int engine_wake_fd)
{
	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->streams_lock, NULL);
	h->engine_wake = engine_wake_fd;
	atomic_init(&h->want_full, false);
	return 0;
}

void hub_fini(struct hub *h)
{
	frame_unref(h->latest);
	h->latest = NULL;
	pthread_mutex_destroy(&h->streams_lock);
	pthread_mutex_destroy(&h->lock);
}

void hub_publish(struct hub *h, struct frame *f)
{
	pthread_mutex_lock(&h->lock);
	struct frame *old = h->latest;
	f->seq = old ? old->seq + 1 : 1;
	h->latest = f;
	int slot = (int)(f->seq % HUB_RING);
	h->ring[slot].seq = f->seq;
	h->ring[slot].full = f->full;
	h->ring[slot].n = f->n_rects;
	memcpy(h->ring[slot].rects, f->rects, sizeof(f->rects[0]) * (size_t)f->n_rects);
	for (int i = 0; i < h->n_subscribers; i++) {
		util_wake_poke(h->subscribers[i]);
	}
	pthread_mutex_unlock(&h->lock);
	frame_unref(old);
}

struct frame *hub_latest(struct hub *h)
{
	pthread_mutex_lock(&h->lock);
	struct frame *f = frame_ref(h->latest);
	pthread_mutex_unlock(&h->lock);
	return f;
}

bool hub_damage_since(struct hub *h, uint64_t since, uint64_t upto, struct cap_rect *out, int *n)
{
	*n = 0;
	if (since == 0 || upto <= since || upto - since > HUB_RING - 1) {
		return false;
	}
	bool ok = true;
	pthread_mutex_lock(&h->lock);
	for (uint64_t seq = since + 1; seq <= upto && ok; seq++) {
		int slot = (int)(seq % HUB_RING);
		if (h->ring[slot].seq != seq || h->ring[slot].full) {
			ok = false;
			break;
		}
		for (int i = 0; i < h->ring[slot].n; i++) {
			rect_list_add(out, n, FRAME_MAX_RECTS, &h->ring[slot].rects[i]);
		}
	}
	pthread_mutex_unlock(&h->lock);
	return ok;
}

void hub_set_cursor(struct hub *h, int x, int y, bool visible, const struct cap_cursor *shape)
{
	pthread_mutex_lock(&h->lock);
	bool changed = x != h->cursor_x || y != h->cursor_y || visible != h->cursor_visible;
	h->cursor_x = x;
	h->cursor_y = y;
	h->cursor_visible = visible;
	if (shape && shape->argb && shape->width > 0 && shape->height > 0) {
		int w = shape->width > CURSOR_MAX ? CURSOR_MAX : shape->width;
		int ht = shape->height > CURSOR_MAX ? CURSOR_MAX : shape->height;
		h->shape.width = w;
		h->shape.height = ht;
		h->shape.xhot = shape->xhot < w ? shape->xhot : w - 1;
		h->shape.yhot = shape->yhot < ht ? shape->yhot : ht - 1;
		for (int row = 0; row < ht; row++) {
			memcpy(&h->shape.argb[row * w], &shape->argb[row * shape->width],
			       (size_t)w * 4);
		}
		h->shape_gen++;
		changed = true;
	}
	if (changed) {
		h->cursor_gen++;
		for (int i = 0; i < h->n_subscribers; i++) {
			util_wake_poke(h->subscribers[i]);
		}
	}
	pthread_mutex_unlock(&h->lock);
}

bool hub_get_cursor(struct hub *h, uint64_t *gen, uint64_t *shape_gen, int *x, int *y,
                    bool *visible, struct cursor_shape *shape_out, bool *shape_changed)
{
	bool copied = false;
	*shape_changed = false;
	pthread_mutex_lock(&h->lock);
	if (*gen != h->cursor_gen) {
		*gen = h->cursor_gen;
		*x = h->cursor_x;
		*y = h->cursor_y;
		*visible = h->cursor_visible;
		if (*shape_gen != h->shape_gen && h->shape.width > 0) {
			*shape_gen = h->shape_gen;
			*shape_out = h->shape;
			*shape_changed = true;
		}
		copied = true;
	}
	pthread_mutex_unlock(&h->lock);
	return copied;
}

int hub_subscribe(struct hub *h, int efd)
{
	int r = -1;
	pthread_mutex_lock(&h->lock);
	if (h->n_subscribers < HUB_MAX_SUBSCRIBERS) {
		h->subscribers[h->n_subscribers++] = efd;
		r = 0;
	}
	pthread_mutex_unlock(&h->lock);
	if (r == 0) {
		/* A newcomer needs a current full picture: the engine may have
		 * skipped grabbing while nobody watched. */
		atomic_store(&h->want_full, true);
		util_wake_poke(h->engine_wake);
	}
	return r;
}

void hub_unsubscribe(struct hub *h, int efd)
{
	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < h->n_subscribers; i++) {
		if (h->subscribers[i] == efd) {
			h->subscribers[i] = h->subscribers[--h->n_subscribers];
			break;
		}
	}
	pthread_mutex_unlock(&h->lock);
}

int hub_subscriber_count(struct hub *h)
{
	pthread_mutex_lock(&h->lock);
	int n = h->n_subscribers;
	pthread_mutex_unlock(&h->lock);
	return n;
}
