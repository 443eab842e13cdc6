#include "encode/encoder.h"

#include <stdlib.h>
#include <string.h>

#include <freerdp/codec/color.h>
#include <freerdp/codec/planar.h>
#include <freerdp/codec/rfx.h>
#include <winpr/stream.h>

#include "encode/rle.h"

#define TILE 64

struct encoder {
	RFX_CONTEXT *rfx;
	BITMAP_PLANAR_CONTEXT *planar;
	wStream *s;
	uint8_t flipped[TILE * TILE * 4]; /* one tile upside down (graphics pipeline) */
};

struct enc_cache {
	struct enc_output *out;
	struct enc_cache *next;
};

struct encoder *encoder_new(void)
{
	struct encoder *e = calloc(1, sizeof(*e));
	if (!e) {
		return NULL;
	}
	e->s = Stream_New(NULL, 64 * 1024);
	if (!e->s) {
		free(e);
		return NULL;
	}
	return e;
}

void encoder_free(struct encoder *e)
{
	if (!e) {
		return;
	}
	if (e->rfx) {
		rfx_context_free(e->rfx);
	}
	if (e->planar) {
		freerdp_bitmap_planar_context_free(e->planar);
	}
	Stream_Free(e->s, TRUE);
	free(e);
}

void enc_output_free(struct enc_output *o)
{
	if (!o) {
		return;
	}
	for (int i = 0; i < o->n_msgs; i++) {
		free(o->msgs[i].data);
	}
	for (int i = 0; i < o->n_tiles; i++) {
		free(o->tiles[i].data);
	}
	free(o->msgs);
	free(o->tiles);
	free(o);
}

void enc_cache_free(struct enc_cache *c)
{
	while (c) {
		struct enc_cache *next = c->next;
		enc_output_free(c->out);
		free(c);
		c = next;
	}
}

/* Keep the message now in e->s. */
static bool keep_msg(struct encoder *e, struct enc_output *o, size_t *cap)
{
	if ((size_t)o->n_msgs == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 4;
		struct enc_msg *grown = realloc(o->msgs, grown_cap * sizeof(*grown));
		if (!grown) {
			return false;
		}
		o->msgs = grown;
		*cap = grown_cap;
	}
	size_t len = Stream_GetPosition(e->s);
	uint8_t *data = malloc(len);
	if (!data) {
		return false;
	}
	memcpy(data, Stream_Buffer(e->s), len);
	o->msgs[o->n_msgs++] = (struct enc_msg){.data = data, .len = (uint32_t)len};
	o->bytes += len;
	return true;
}

/* Halve rects (n of them, or the one rectangle along its longer side on the
 * 64-pixel tile grid) into a and b. False: nothing left to split. */
static bool split_rects(const RFX_RECT *rr, size_t n, RFX_RECT *a, size_t *na, RFX_RECT *b,
                        size_t *nb)
{
	if (n > 1) {
		*na = n / 2;
		*nb = n - *na;
		memcpy(a, rr, *na * sizeof(*rr));
		memcpy(b, rr + *na, *nb * sizeof(*rr));
		return true;
	}
	RFX_RECT r = rr[0];
	*na = *nb = 1;
	a[0] = b[0] = r;
	if (r.width >= r.height && r.width > TILE) {
		UINT16 half = (UINT16)(((r.width / 2 + TILE - 1) / TILE) * TILE);
		a[0].width = half;
		b[0].x = (UINT16)(r.x + half);
		b[0].width = (UINT16)(r.width - half);
		return true;
	}
	if (r.height > TILE) {
		UINT16 half = (UINT16)(((r.height / 2 + TILE - 1) / TILE) * TILE);
		a[0].height = half;
		b[0].y = (UINT16)(r.y + half);
		b[0].height = (UINT16)(r.height - half);
		return true;
	}
	return false;
}

/* One RemoteFX message for rects, or, when it would pass max bytes, the
 * two halves of rects each encoded again. FreeRDP's own splitter
 * (rfx_encode_messages) leaks its message array on every call (3.10 to
 * 3.14: rfx_message_list_free frees the messages, not the array). */
static bool rfx_append(struct encoder *e, struct enc_output *o, const struct frame *f,
                       const RFX_RECT *rr, size_t n, size_t max, size_t *cap)
{
	RFX_MESSAGE *m = rfx_encode_message(e->rfx, rr, n, f->data, (UINT32)f->width,
	                                    (UINT32)f->height, (size_t)f->stride);
	if (!m) {
		return false;
	}
	Stream_SetPosition(e->s, 0);
	bool ok = rfx_write_message(e->rfx, e->s, m);
	rfx_message_free(e->rfx, m);
	if (!ok) {
		return false;
	}
	RFX_RECT a[FRAME_MAX_RECTS], b[FRAME_MAX_RECTS];
	size_t na, nb;
	if (Stream_GetPosition(e->s) <= max || !split_rects(rr, n, a, &na, b, &nb)) {
		return keep_msg(e, o, cap);
	}
	if (o->n_msgs == 0) {
		/* the headers went out with the message dropped: write them again */
		if (!rfx_context_reset(e->rfx, (UINT32)f->width, (UINT32)f->height)) {
			return false;
		}
	}
	return rfx_append(e, o, f, a, na, max, cap) && rfx_append(e, o, f, b, nb, max, cap);
}

static bool encode_rfx(struct encoder *e, struct enc_output *o, const struct frame *f,
                       const struct cap_rect *rects, int n)
{
	if (!e->rfx) {
		e->rfx = rfx_context_new(TRUE);
		if (!e->rfx) {
			return false;
		}
		rfx_context_set_mode(e->rfx, RLGR3);
		rfx_context_set_pixel_format(e->rfx, PIXEL_FORMAT_BGRX32);
	}
	/* Headers in every update: any viewer of the group, whenever it joined,
	 * can decode any message (47 bytes a frame). */
	if (!rfx_context_reset(e->rfx, (UINT32)f->width, (UINT32)f->height)) {
		return false;
	}
	RFX_RECT rr[FRAME_MAX_RECTS];
	for (int i = 0; i < n; i++) {
		rr[i] = (RFX_RECT){(UINT16)rects[i].x, (UINT16)rects[i].y, (UINT16)rects[i].w,
		                   (UINT16)rects[i].h};
	}
	/* room for the surface-bits header around each message */
	size_t max = o->key.max_bytes ? o->key.max_bytes : 0x3F0000;
	max = max > 2048 ? max - 1024 : 1024;
	size_t cap = 0;
	return rfx_append(e, o, f, rr, (size_t)n, max, &cap);
}

static bool encode_tile(struct encoder *e, struct enc_output *o, const struct frame *f, int x,
                        int y, int w, int h)
{
	struct enc_tile *t = &o->tiles[o->n_tiles];
	memset(t, 0, sizeof(*t));
	t->x = (uint16_t)x;
	t->y = (uint16_t)y;
	t->bpp = (uint8_t)o->key.bpp;
	t->compressed = 1;
	int right = x + w > f->width ? f->width : x + w;
	int bottom = y + h > f->height ? f->height : y + h;
	t->right = (uint16_t)(right - 1);
	t->bottom = (uint16_t)(bottom - 1);
	switch (o->key.codec) {
	case CODEC_PLANAR:
	case CODEC_GFX_PLANAR: {
		UINT32 size = 0;
		const uint8_t *src = f->data + (size_t)y * (size_t)f->stride + (size_t)x * 4;
		UINT32 step = (UINT32)f->stride;
		if (o->key.codec == CODEC_GFX_PLANAR) {
			/* FreeRDP writes planes bottom-up, as bitmap updates are;
			 * the pipeline's planar is top-down */
			for (int row = 0; row < h; row++) {
				memcpy(e->flipped + (size_t)(h - 1 - row) * (size_t)w * 4,
				       src + (size_t)row * (size_t)f->stride, (size_t)w * 4);
			}
			src = e->flipped;
			step = (UINT32)w * 4;
		}
		t->data = freerdp_bitmap_compress_planar(e->planar, src, PIXEL_FORMAT_BGRX32,
		                                         (UINT32)w, (UINT32)h, step, NULL, &size);
		t->len = size;
		t->w = (uint16_t)w;
		t->h = (uint16_t)h;
		break;
	}
	case CODEC_INTERLEAVED: {
		const uint8_t *src = f->data + (size_t)y * (size_t)f->stride + (size_t)x * 4;
		t->data = malloc(rle_bound(w, h, o->key.bpp));
		size_t size = t->data ? rle_encode(src, f->stride, w, h, o->key.bpp, t->data) : 0;
		if (size == 0) {
			free(t->data);
			t->data = NULL;
		}
		t->len = (uint32_t)size;
		t->w = (uint16_t)w;
		t->h = (uint16_t)h;
		break;
	}
	default:
		return false;
	}
	if (!t->data) {
		return false;
	}
	o->bytes += t->len;
	o->n_tiles++;
	return true;
}

static bool encode_bitmaps(struct encoder *e, struct enc_output *o, const struct frame *f,
                           const struct cap_rect *rects, int n)
{
	if ((o->key.codec == CODEC_PLANAR || o->key.codec == CODEC_GFX_PLANAR) && !e->planar) {
		/* RLE with the alpha plane and no colour loss (format header 0x10):
		 * the one variant every planar decoder takes (the simpler ones,
		 * rdesktop's for one, accept nothing else). The desktop is opaque:
		 * BGRX reads as alpha 0xFF, one RLE run per row. */
		e->planar = freerdp_bitmap_planar_context_new(PLANAR_FORMAT_HEADER_RLE, TILE, TILE);
		if (!e->planar) {
			return false;
		}
	}
	/* Tiles on a 4-pixel grid (the codecs want widths in multiples of 4);
	 * the frame buffer is padded, so a tile may read past the edge. */
	size_t cap = 0;
	struct cap_rect al[FRAME_MAX_RECTS];
	for (int i = 0; i < n; i++) {
		int x1 = rects[i].x & ~3, y1 = rects[i].y & ~3;
		int x2 = (rects[i].x + rects[i].w + 3) & ~3,
		    y2 = (rects[i].y + rects[i].h + 3) & ~3;
		al[i] = (struct cap_rect){x1, y1, x2 - x1, y2 - y1};
		cap +=
		    (size_t)((al[i].w + TILE - 1) / TILE) * (size_t)((al[i].h + TILE - 1) / TILE);
	}
	o->tiles = calloc(cap ? cap : 1, sizeof(*o->tiles));
	if (!o->tiles) {
		return false;
	}
	for (int i = 0; i < n; i++) {
		for (int y = al[i].y; y < al[i].y + al[i].h; y += TILE) {
			for (int x = al[i].x; x < al[i].x + al[i].w; x += TILE) {
				int w = al[i].x + al[i].w - x, h = al[i].y + al[i].h - y;
				if (!encode_tile(e, o, f, x, y, w > TILE ? TILE : w,
				                 h > TILE ? TILE : h)) {
					return false;
				}
			}
		}
	}
	return true;
}

struct enc_output *encoder_encode(struct encoder *e, const struct enc_key *key,
                                  const struct frame *f, const struct cap_rect *rects, int n)
{
	struct enc_output *o = calloc(1, sizeof(*o));
	if (!o) {
		return NULL;
	}
	o->key = *key;
	o->width = f->width;
	o->height = f->height;
	struct cap_rect clipped[FRAME_MAX_RECTS];
	struct cap_rect whole = {0, 0, f->width, f->height};
	int m = 0;
	for (int i = 0; i < n && m < FRAME_MAX_RECTS; i++) {
		if (rect_intersect(&rects[i], &whole, &clipped[m])) {
			m++;
		}
	}
	bool ok = m == 0 || (key->codec == CODEC_REMOTEFX ? encode_rfx(e, o, f, clipped, m)
	                                                  : encode_bitmaps(e, o, f, clipped, m));
	if (!ok) {
		enc_output_free(o);
		return NULL;
	}
	return o;
}

const struct enc_output *encoder_encode_shared(struct encoder *e, const struct enc_key *key,
                                               struct frame *f)
{
	/* The lock is per frame, so two groups encode the same frame in
	 * parallel only when they hold different frames; within a frame the
	 * second viewer of a group waits for the first and reuses its work. */
	pthread_mutex_lock(&f->cache_lock);
	for (struct enc_cache *c = f->cache; c; c = c->next) {
		if (memcmp(&c->out->key, key, sizeof(*key)) == 0) {
			pthread_mutex_unlock(&f->cache_lock);
			return c->out;
		}
	}
	struct enc_output *o = encoder_encode(e, key, f, f->rects, f->n_rects);
	struct enc_cache *c = o ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		enc_output_free(o);
		pthread_mutex_unlock(&f->cache_lock);
		return NULL;
	}
	c->out = o;
	c->next = f->cache;
	f->cache = c;
	pthread_mutex_unlock(&f->cache_lock);
	return o;
}
