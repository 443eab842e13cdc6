/* Every codec path of the encoder, decoded again with FreeRDP's own client
 * decoders (what xfreerdp runs): the picture must come back within the
 * codec's precision. Catches broken encoder corner cases before a viewer
 * shows garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <freerdp/codec/color.h>
#include <freerdp/codec/interleaved.h>
#include <freerdp/codec/planar.h>
#include <freerdp/codec/rfx.h>
#include <freerdp/version.h>

#include "encode/encoder.h"
#include "encode/frame.h"

#define W 320
#define H 200

/* FreeRDP 3.18 renamed planar_decompress (the old name is deprecated) */
#if FREERDP_VERSION_MAJOR > 3 || (FREERDP_VERSION_MAJOR == 3 && FREERDP_VERSION_MINOR >= 18)
#define planar_decode freerdp_bitmap_decompress_planar
#else
#define planar_decode planar_decompress
#endif

/* Colour bars, a grey ramp, pseudo-random "text" dots and a hard diagonal:
 * runs, fills, bicolour and copy orders all occur. */
static struct frame *test_frame(void)
{
	struct frame *f = frame_new(W, H);
	assert_non_null(f);
	static const uint32_t bars[] = {0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
	                                0xff00ff, 0xff0000, 0x0000ff, 0x000000};
	uint32_t seed = 12345;
	for (int y = 0; y < H; y++) {
		uint32_t *row = (uint32_t *)(f->data + (size_t)y * (size_t)f->stride);
		for (int x = 0; x < W; x++) {
			uint32_t c;
			if (y < 70) {
				c = bars[x * 8 / W];
			} else if (y < 120) {
				uint32_t g = (uint32_t)(x * 255 / (W - 1));
				c = g << 16 | g << 8 | g;
			} else if (y < 170) {
				seed = seed * 1103515245u + 12345u;
				c = (seed >> 16) % 5 == 0 ? 0xf0f0f0 : 0x603010;
			} else {
				c = x - y > 0 ? 0x3050a0 : 0xa05030;
			}
			row[x] = c;
		}
	}
	f->full = true;
	f->n_rects = 1;
	f->rects[0] = (struct cap_rect){0, 0, W, H};
	return f;
}

/* Max per-channel error allowed at a depth: the bits the depth drops. */
static int tolerance(int bpp)
{
	return bpp <= 16 ? 8 : 0;
}

static void compare(const struct frame *f, const uint8_t *out, int bpp, int slack)
{
	int tol = tolerance(bpp) + slack;
	long bad = 0;
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x++) {
			const uint8_t *a = f->data + (size_t)y * (size_t)f->stride + (size_t)x * 4;
			const uint8_t *b = out + ((size_t)y * W + (size_t)x) * 4;
			for (int c = 0; c < 3; c++) {
				if (abs((int)a[c] - (int)b[c]) > tol) {
					if (bad < 5) {
						print_message(
						    "bpp %d: pixel %d,%d channel %d: %u vs %u\n",
						    bpp, x, y, c, a[c], b[c]);
					}
					bad++;
					break;
				}
			}
		}
	}
	assert_int_equal(bad, 0);
}

static void check_bitmaps(int codec, int bpp, bool client_bgr)
{
	struct frame *f = test_frame();
	struct encoder *e = encoder_new();
	struct enc_key key = {.codec = codec, .bpp = bpp, .max_bytes = 0x3fffff};
	struct enc_output *o = encoder_encode(e, &key, f, f->rects, f->n_rects);
	assert_non_null(o);
	assert_true(o->n_tiles > 0);
	uint8_t *out = calloc((size_t)W * H, 4);
	BITMAP_INTERLEAVED_CONTEXT *il = bitmap_interleaved_context_new(FALSE);
	BITMAP_PLANAR_CONTEXT *pl = freerdp_bitmap_planar_context_new(0, 64, 64);
	/* what gdi_Bitmap_Decompress does when the client allows dynamic
	 * colour fidelity, as xfreerdp does by default */
	freerdp_planar_switch_bgr(pl, client_bgr);
	gdiPalette gp = {.format = PIXEL_FORMAT_BGRX32}; /* unused above 8 bpp */
	for (int i = 0; i < o->n_tiles; i++) {
		const struct enc_tile *t = &o->tiles[i];
		int dw = t->right - t->x + 1, dh = t->bottom - t->y + 1;
		uint8_t *tile = calloc((size_t)t->w * t->h, 4);
		BOOL ok;
		if (codec == CODEC_PLANAR) {
			/* RLE with the alpha plane, no colour loss, no chroma
			 * subsampling: format header 0x10 ([MS-RDPEGDI] 2.2.2.5.1) */
			assert_true(t->len > 0);
			assert_int_equal(t->data[0], PLANAR_FORMAT_HEADER_RLE);
			ok = planar_decode(pl, t->data, t->len, t->w, t->h, tile,
			                   PIXEL_FORMAT_BGRX32, t->w * 4u, 0, 0, t->w, t->h, TRUE);
		} else {
			assert_int_equal(codec, CODEC_INTERLEAVED);
			ok = interleaved_decompress(il, t->data, t->len, t->w, t->h, t->bpp, tile,
			                            PIXEL_FORMAT_BGRX32, t->w * 4u, 0, 0, t->w,
			                            t->h, &gp);
		}
		if (!ok) {
			print_message("tile %d at %d,%d (%dx%d) does not decode\n", i, t->x, t->y,
			              t->w, t->h);
		}
		assert_true(ok);
		for (int y = 0; y < dh; y++) {
			memcpy(out + ((size_t)(t->y + y) * W + t->x) * 4,
			       tile + (size_t)y * t->w * 4, (size_t)dw * 4);
		}
		free(tile);
	}
	compare(f, out, bpp, 0);
	free(out);
	bitmap_interleaved_context_free(il);
	freerdp_bitmap_planar_context_free(pl);
	enc_output_free(o);
	encoder_free(e);
	frame_unref(f);
}

static void test_interleaved_15(void **state)
{
	(void)state;
	check_bitmaps(CODEC_INTERLEAVED, 15, false);
}

static void test_interleaved_16(void **state)
{
	(void)state;
	check_bitmaps(CODEC_INTERLEAVED, 16, false);
}

static void test_interleaved_24(void **state)
{
	(void)state;
	check_bitmaps(CODEC_INTERLEAVED, 24, false);
}

static void test_planar_32(void **state)
{
	(void)state;
	check_bitmaps(CODEC_PLANAR, 32, false);
	check_bitmaps(CODEC_PLANAR, 32, true);
}

static void test_remotefx(void **state)
{
	(void)state;
	struct frame *f = test_frame();
	struct encoder *e = encoder_new();
	struct enc_key key = {.codec = CODEC_REMOTEFX, .bpp = 32, .max_bytes = 0x3fffff};
	struct enc_output *o = encoder_encode(e, &key, f, f->rects, f->n_rects);
	assert_non_null(o);
	assert_true(o->n_msgs > 0);
	RFX_CONTEXT *rfx = rfx_context_new(FALSE);
	assert_non_null(rfx);
	rfx_context_set_pixel_format(rfx, PIXEL_FORMAT_BGRX32);
	uint8_t *out = calloc((size_t)W * H, 4);
	for (int i = 0; i < o->n_msgs; i++) {
		REGION16 inval;
		region16_init(&inval);
		assert_true(rfx_process_message(rfx, o->msgs[i].data, o->msgs[i].len, 0, 0, out,
		                                PIXEL_FORMAT_BGRX32, W * 4, H, &inval));
		region16_uninit(&inval);
	}
	/* lossy: allow the quantisation error of RemoteFX's default tables */
	compare(f, out, 32, 48);
	free(out);
	rfx_context_free(rfx);
	enc_output_free(o);
	encoder_free(e);
	frame_unref(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interleaved_15), cmocka_unit_test(test_interleaved_16),
	    cmocka_unit_test(test_interleaved_24), cmocka_unit_test(test_planar_32),
	    cmocka_unit_test(test_remotefx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
