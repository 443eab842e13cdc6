/* Byte shuffles, one loop per layout: a frame is converted whole on every
 * change, so the per-pixel switch stays outside the loops. */
#include "capture/pixconv.h"

#include <string.h>

/* Byte positions of blue, green, red and alpha (-1: none) in each layout. */
static const struct {
	int b, g, r, a;
} layout[] = {
    [PIX_BGRX] = {0, 1, 2, -1}, [PIX_BGRA] = {0, 1, 2, 3},  [PIX_RGBX] = {2, 1, 0, -1},
    [PIX_RGBA] = {2, 1, 0, 3},  [PIX_XRGB] = {3, 2, 1, -1}, [PIX_ARGB] = {3, 2, 1, 0},
    [PIX_XBGR] = {1, 2, 3, -1}, [PIX_ABGR] = {1, 2, 3, 0},
};

static bool known(enum pix_format f)
{
	return (unsigned)f < sizeof(layout) / sizeof(layout[0]);
}

void pix_to_bgrx(enum pix_format f, const uint8_t *src, uint8_t *dst, int n)
{
	if (n <= 0 || !known(f)) {
		return;
	}
	if (f == PIX_BGRX || f == PIX_BGRA) {
		memcpy(dst, src, (size_t)n * 4);
		return;
	}
	int b = layout[f].b, g = layout[f].g, r = layout[f].r;
	for (int i = 0; i < n; i++, src += 4, dst += 4) {
		dst[0] = src[b];
		dst[1] = src[g];
		dst[2] = src[r];
		dst[3] = 0xff;
	}
}

static uint32_t unpremultiply(uint32_t c, uint32_t a)
{
	uint32_t v = (c * 255 + a / 2) / a;
	return v > 255 ? 255 : v;
}

int pix_cursor_to_argb(enum pix_format f, bool premul, const uint8_t *src, int stride, int w, int h,
                       int max, uint32_t *out, int *ow, int *oh)
{
	*ow = 0;
	*oh = 0;
	if (!known(f) || w <= 0 || h <= 0 || max <= 0 || stride < w * 4) {
		return 0;
	}
	int cw = w < max ? w : max, ch = h < max ? h : max;
	int pb = layout[f].b, pg = layout[f].g, pr = layout[f].r, pa = layout[f].a;
	int opaque = 0;
	for (int y = 0; y < ch; y++) {
		const uint8_t *p = src + (size_t)y * (size_t)stride;
		for (int x = 0; x < cw; x++, p += 4) {
			uint32_t a = pa >= 0 ? p[pa] : 255, r = p[pr], g = p[pg], b = p[pb];
			if (a == 0) {
				r = g = b = 0;
			} else if (premul && a < 255) {
				r = unpremultiply(r, a);
				g = unpremultiply(g, a);
				b = unpremultiply(b, a);
			}
			out[y * cw + x] = a << 24 | r << 16 | g << 8 | b;
			opaque += a != 0;
		}
	}
	*ow = cw;
	*oh = ch;
	return opaque;
}
