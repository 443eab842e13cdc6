/* The shared H.264 stream: one encode per picture for a whole group, a key
 * frame for a viewer that joins or fell too far behind (rate-limited), small
 * changes sent lossless at once, a lossless pass over tiles that stopped
 * changing. Viewers here are FreeRDP's own client decoders (H.264 and
 * planar, as xfreerdp applies them to a pipeline surface), so what they
 * end up showing is checked against the picture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <freerdp/codec/color.h>
#include <freerdp/codec/h264.h>
#include <freerdp/codec/planar.h>
#include <freerdp/version.h>

#include "encode/vstream.h"

#define W 320
#define H 200 /* not a multiple of 16: the encoder pads */

/* FreeRDP 3.18 renamed planar_decompress (the old name is deprecated) */
#if FREERDP_VERSION_MAJOR > 3 || (FREERDP_VERSION_MAJOR == 3 && FREERDP_VERSION_MINOR >= 18)
#define planar_decode freerdp_bitmap_decompress_planar
#else
#define planar_decode planar_decompress
#endif

struct viewer {
	uint64_t last;
	struct encoder *enc; /* the connection's own, for a newcomer's whole picture */
	H264_CONTEXT *h264;
	BITMAP_PLANAR_CONTEXT *planar;
	uint8_t *surface; /* BGRX, W x H */
	int units, keys;
};

static void viewer_init(struct viewer *v)
{
	memset(v, 0, sizeof(*v));
	v->h264 = h264_context_new(FALSE);
	assert_non_null(v->h264);
	assert_true(h264_context_reset(v->h264, (W + 15) & ~15, (H + 15) & ~15));
	v->planar = freerdp_bitmap_planar_context_new(0, 64, 64);
	assert_non_null(v->planar);
	v->surface = calloc(1, (size_t)W * H * 4);
	assert_non_null(v->surface);
	v->enc = encoder_new();
	assert_non_null(v->enc);
}

static void viewer_fini(struct viewer *v)
{
	h264_context_free(v->h264);
	freerdp_bitmap_planar_context_free(v->planar);
	free(v->surface);
	encoder_free(v->enc);
}

static void apply_tiles(struct viewer *v, const struct enc_output *o)
{
	for (int i = 0; i < o->n_tiles; i++) {
		const struct enc_tile *t = &o->tiles[i];
		/* tiles past the edge are clipped, as a client clips to its surface */
		int w = t->x + t->w > W ? W - t->x : t->w, h = t->y + t->h > H ? H - t->y : t->h;
		assert_true(planar_decode(v->planar, t->data, t->len, t->w, t->h, v->surface,
		                          PIXEL_FORMAT_BGRX32, W * 4, t->x, t->y, (UINT32)w,
		                          (UINT32)h, FALSE));
	}
}

/* What a pipeline client does with a unit (and what the connection sends a
 * viewer starting at a key unit: the key frame for its decoder, copied
 * nowhere, and the picture as planar tiles). */
static void apply(struct viewer *v, const struct vunit *u, bool fresh)
{
	v->units++;
	v->keys += u->key;
	if (u->avc) {
		RECTANGLE_16 rects[FRAME_MAX_RECTS];
		int n = fresh ? 0 : u->n_regions;
		for (int i = 0; i < n; i++) {
			const struct cap_rect *r = &u->regions[i];
			rects[i] = (RECTANGLE_16){(UINT16)r->x, (UINT16)r->y, (UINT16)(r->x + r->w),
			                          (UINT16)(r->y + r->h)};
		}
		assert_true(avc420_decompress(v->h264, u->avc, u->avc_len, v->surface,
		                              PIXEL_FORMAT_BGRX32, W * 4, W, H, rects,
		                              (UINT32)n) >= 0);
	}
	if (fresh) {
		assert_true(u->key);
		assert_non_null(u->src);
		struct enc_key key = {.codec = CODEC_GFX_PLANAR, .bpp = 32};
		struct cap_rect all = {0, 0, W, H};
		struct enc_output *whole = encoder_encode(v->enc, &key, u->src, &all, 1);
		assert_non_null(whole);
		apply_tiles(v, whole);
		enc_output_free(whole);
	}
	if (u->lossless) {
		apply_tiles(v, u->lossless);
	}
}

/* Takes every unit due; returns how many. */
static int pull(struct vstream *s, struct hub *h, struct viewer *v, int64_t now)
{
	int n = 0;
	struct vunit *u;
	int wait;
	bool fresh;
	while (vstream_next(s, h, &v->last, now, &u, &fresh, &wait) == VSTREAM_UNIT) {
		apply(v, u, fresh);
		vunit_unref(u);
		n++;
	}
	return n;
}

/* largest per-channel difference between the viewer and the picture */
static int max_error(const struct viewer *v, const struct frame *f)
{
	int worst = 0;
	for (int y = 0; y < H; y++) {
		const uint8_t *a = v->surface + (size_t)y * W * 4;
		const uint8_t *b = f->data + (size_t)y * (size_t)f->stride;
		for (int x = 0; x < W * 4; x++) {
			if (x % 4 == 3) {
				continue;
			}
			int d = abs(a[x] - b[x]);
			worst = d > worst ? d : worst;
		}
	}
	return worst;
}

/* mean per-channel difference: how close a lossy picture is */
static double mean_error(const struct viewer *v, const struct frame *f)
{
	double sum = 0;
	for (int y = 0; y < H; y++) {
		const uint8_t *a = v->surface + (size_t)y * W * 4;
		const uint8_t *b = f->data + (size_t)y * (size_t)f->stride;
		for (int x = 0; x < W * 4; x++) {
			if (x % 4 != 3) {
				sum += abs(a[x] - b[x]);
			}
		}
	}
	return sum / (W * H * 3);
}

#define LOSSY_CLOSE 4.0 /* H.264 at our quality on this picture: well under this */

static struct frame *picture(int seed)
{
	struct frame *f = frame_new(W, H);
	assert_non_null(f);
	for (int y = 0; y < H; y++) {
		uint32_t *row = (uint32_t *)(f->data + (size_t)y * (size_t)f->stride);
		for (int x = 0; x < W; x++) {
			row[x] = y < 60 ? 0x2050a0u + (uint32_t)(x / 40 * 0x101010)
			                : (uint32_t)(((x + seed) ^ y) & 0xff) * 0x010101u;
		}
	}
	f->full = true;
	f->n_rects = 1;
	f->rects[0] = (struct cap_rect){0, 0, W, H};
	return f;
}

/* The next picture: prev with rect r filled with colour c. */
static struct frame *changed(const struct frame *prev, struct cap_rect r, uint32_t c)
{
	struct frame *f = frame_new_copy(prev);
	assert_non_null(f);
	for (int y = r.y; y < r.y + r.h; y++) {
		uint32_t *row = (uint32_t *)(f->data + (size_t)y * (size_t)f->stride);
		for (int x = r.x; x < r.x + r.w; x++) {
			/* 8x8 blocks of shades, like window content; no channel overflows */
			row[x] = (c & 0x7f7f7fu) + (uint32_t)(((x / 8 + y / 8) & 7) * 0x080808u);
		}
	}
	f->rects[0] = r;
	f->n_rects = 1;
	return f;
}

static struct hub hub;
static struct frame *cur;

static void publish(struct frame *f)
{
	frame_unref(cur);
	cur = frame_ref(f);
	hub_publish(&hub, f);
}

static int setup(void **state)
{
	(void)state;
	hub_init(&hub, -1);
	cur = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	frame_unref(cur);
	hub_fini(&hub);
	return 0;
}

static void test_one_encode_for_the_group(void **state)
{
	(void)state;
	struct vstream *s = vstream_join(&hub, W, H);
	assert_non_null(s);
	assert_ptr_equal(vstream_join(&hub, W, H), s); /* same size, same group */
	assert_ptr_equal(vstream_join(&hub, W, H), s);
	struct viewer v[3];
	for (int i = 0; i < 3; i++) {
		viewer_init(&v[i]);
	}
	publish(picture(0));
	for (int i = 0; i < 3; i++) {
		pull(s, &hub, &v[i], 0);
		assert_int_equal(max_error(&v[i], cur), 0); /* a newcomer starts lossless */
	}
	/* big changes (H.264): every viewer decodes each, one encode each */
	for (int k = 1; k <= 5; k++) {
		publish(changed(cur, (struct cap_rect){0, 0, W, 120}, 0x102030u * (uint32_t)k));
		for (int i = 0; i < 3; i++) {
			assert_int_equal(pull(s, &hub, &v[i], 33 * k), 1);
			assert_true(mean_error(&v[i], cur) <
			            LOSSY_CLOSE); /* lossy, but this picture */
		}
	}
	struct vstream_stats st;
	vstream_get_stats(s, &st);
	assert_int_equal(st.units, 6); /* 1 key + 5, not 3 x 6 */
	assert_int_equal(st.keys, 1);
	/* after the lossless delay every viewer is exact */
	for (int i = 0; i < 3; i++) {
		pull(s, &hub, &v[i], 33 * 5 + VSTREAM_LOSSLESS_MS + 1);
		assert_int_equal(max_error(&v[i], cur), 0);
		assert_int_equal(v[i].keys, 1);
		viewer_fini(&v[i]);
		vstream_leave(&hub, s);
	}
	assert_null(hub.streams); /* the last one out frees the group */
}

static void test_join_and_lag_cost_a_key_frame(void **state)
{
	(void)state;
	struct vstream *s = vstream_join(&hub, W, H);
	struct viewer a, b;
	viewer_init(&a);
	viewer_init(&b);
	publish(picture(1));
	int64_t t = 0;
	pull(s, &hub, &a, t);
	/* b joining right after a key frame starts there and takes what
	 * followed, in order: no new key frame */
	struct viewer early;
	viewer_init(&early);
	assert_ptr_equal(vstream_join(&hub, W, H), s);
	for (int k = 1; k <= 3; k++) {
		publish(changed(cur, (struct cap_rect){0, 40, W, 100}, 0x304050u * (uint32_t)k));
		pull(s, &hub, &a, t += 33);
	}
	assert_int_equal(pull(s, &hub, &early, t), 4);
	assert_int_equal(early.keys, 1);
	assert_true(mean_error(&early, cur) < LOSSY_CLOSE);
	viewer_fini(&early);
	vstream_leave(&hub, s);
	for (int k = 4; k <= 4 + VSTREAM_MAX_LAG; k++) {
		publish(changed(cur, (struct cap_rect){0, 40, W, 100}, 0x304050u * (uint32_t)k));
		pull(s, &hub, &a, t += 33);
	}
	/* b joins later: it cannot start from a P frame; a key frame is made
	 * for it once the rate limit allows */
	assert_ptr_equal(vstream_join(&hub, W, H), s);
	t += VSTREAM_KEY_GAP_MS;
	pull(s, &hub, &b, t);
	assert_int_equal(b.keys, 1);
	assert_int_equal(max_error(&b, cur), 0); /* lossless from the start */
	double a_before = mean_error(&a, cur);
	pull(s, &hub, &a, t); /* a decodes the key frame too, in order */
	assert_int_equal(a.keys, 2);
	/* ... and sees nothing of it: the picture did not change */
	assert_true(mean_error(&a, cur) == a_before);
	struct vstream_stats st;
	vstream_get_stats(s, &st);
	assert_int_equal(st.keys, 2);

	/* b stops taking units while a goes on: past VSTREAM_MAX_LAG it has lost
	 * its place, and starts over at a key frame, not at a stale P frame */
	for (int k = 0; k < VSTREAM_MAX_LAG + 3; k++) {
		publish(changed(cur, (struct cap_rect){0, 0, W, 150}, 0x203040u + (uint32_t)k));
		pull(s, &hub, &a, t += 33);
	}
	uint64_t before = b.last;
	int wait = 0;
	bool fresh = false;
	struct vunit *u = NULL;
	enum vstream_result r = vstream_next(s, &hub, &b.last, t, &u, &fresh, &wait);
	if (r == VSTREAM_NOTHING) {
		/* the last key frame is too recent: asked to come back later */
		assert_true(wait > 0 && wait <= VSTREAM_KEY_GAP_MS);
		t += wait;
		r = vstream_next(s, &hub, &b.last, t, &u, &fresh, &wait);
	}
	assert_int_equal(r, VSTREAM_UNIT);
	assert_true(u->key);
	assert_true(fresh);
	assert_true(u->id > before + VSTREAM_MAX_LAG);
	apply(&b, u, fresh);
	vunit_unref(u);
	assert_int_equal(max_error(&b, cur), 0);
	viewer_fini(&a);
	viewer_fini(&b);
	vstream_leave(&hub, s);
	vstream_leave(&hub, s);
}

static void test_small_changes_go_lossless_and_stay_in_step(void **state)
{
	(void)state;
	struct vstream *s = vstream_join(&hub, W, H);
	struct viewer v;
	viewer_init(&v);
	publish(picture(2));
	int64_t t = 0;
	pull(s, &hub, &v, t);
	assert_int_equal(max_error(&v, cur), 0); /* a newcomer starts lossless */
	struct vstream_stats st0, st;
	vstream_get_stats(s, &st0);
	/* typing: small changes arrive exact at once, no H.264 */
	for (int k = 0; k < 10; k++) {
		publish(changed(cur, (struct cap_rect){10 + k * 8, 150, 8, 16}, 0xc0c0c0));
		assert_int_equal(pull(s, &hub, &v, t += 33), 1);
		assert_int_equal(max_error(&v, cur), 0);
	}
	vstream_get_stats(s, &st);
	assert_int_equal(st.small_units - st0.small_units, 10);
	assert_int_equal(st.keys, st0.keys);
	/* then big changes next to and over the typed text (H.264, whose
	 * reference never saw the text): the viewer must still end up right */
	publish(changed(cur, (struct cap_rect){0, 100, W, 40}, 0x405060));
	assert_int_equal(pull(s, &hub, &v, t += 33), 1);
	assert_true(mean_error(&v, cur) < LOSSY_CLOSE);
	publish(changed(cur, (struct cap_rect){0, 130, W, 60}, 0x506070)); /* over the text */
	pull(s, &hub, &v, t += 33);
	assert_true(mean_error(&v, cur) < LOSSY_CLOSE);
	pull(s, &hub, &v, t += VSTREAM_LOSSLESS_MS + 1);
	assert_int_equal(max_error(&v, cur), 0);
	viewer_fini(&v);
	vstream_leave(&hub, s);
}

static void test_sizes_are_separate_groups(void **state)
{
	(void)state;
	struct vstream *a = vstream_join(&hub, W, H);
	struct vstream *b = vstream_join(&hub, 640, 480);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	/* a picture of the other size is not this group's to encode */
	publish(picture(3));
	struct vunit *u = NULL;
	uint64_t last = 0;
	int wait;
	bool fresh;
	assert_int_equal(vstream_next(b, &hub, &last, 0, &u, &fresh, &wait), VSTREAM_NOTHING);
	assert_null(u);
	vstream_leave(&hub, a);
	vstream_leave(&hub, b);
	assert_null(hub.streams);
	assert_null(vstream_join(&hub, 0, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_one_encode_for_the_group, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_and_lag_cost_a_key_frame, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_small_changes_go_lossless_and_stay_in_step, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_sizes_are_separate_groups, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
