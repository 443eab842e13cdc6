#include "encode/rle.h"

#include <stdlib.h>

enum {
	REGULAR_BG_RUN = 0x0,
	REGULAR_COLOR_RUN = 0x3,
	REGULAR_COLOR_IMAGE = 0x4,
	MEGA_MEGA_BG_RUN = 0xF0,
	MEGA_MEGA_COLOR_RUN = 0xF3,
	MEGA_MEGA_COLOR_IMAGE = 0xF4,
};

struct out {
	uint8_t *p;
	int bytes_pp;
};

static uint32_t to_wire(const uint8_t *bgrx, int bpp)
{
	uint32_t b = bgrx[0], g = bgrx[1], r = bgrx[2];
	switch (bpp) {
	case 15:
		return (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
	case 16:
		return (r >> 3) << 11 | (g >> 2) << 5 | b >> 3;
	default:
		return r << 16 | g << 8 | b;
	}
}

static void put_pixel(struct out *o, uint32_t v)
{
	for (int i = 0; i < o->bytes_pp; i++) {
		*o->p++ = (uint8_t)(v >> (8 * i));
	}
}

/* A regular order carries 1..31 in its header, 32..287 in one more byte;
 * longer runs take the MEGA_MEGA form with a 16-bit count. */
static void put_header(struct out *o, int regular, int mega, int count)
{
	if (count < 32) {
		*o->p++ = (uint8_t)(regular << 5 | count);
	} else if (count < 288) {
		*o->p++ = (uint8_t)(regular << 5);
		*o->p++ = (uint8_t)(count - 32);
	} else {
		*o->p++ = (uint8_t)mega;
		*o->p++ = (uint8_t)count;
		*o->p++ = (uint8_t)(count >> 8);
	}
}

static void flush_image(struct out *o, const uint32_t *px, int start, int end)
{
	while (start < end) {
		int n = end - start > 0xFFFF ? 0xFFFF : end - start;
		put_header(o, REGULAR_COLOR_IMAGE, MEGA_MEGA_COLOR_IMAGE, n);
		for (int i = 0; i < n; i++) {
			put_pixel(o, px[start + i]);
		}
		start += n;
	}
}

size_t rle_bound(int w, int h, int bpp)
{
	/* every pixel as image data plus a header per order; an order covers
	 * one pixel at the least */
	return (size_t)w * (size_t)h * (size_t)((bpp + 7) / 8 + 3) + 16;
}

size_t rle_encode(const uint8_t *src, int stride, int w, int h, int bpp, uint8_t *out)
{
	if (!src || !out || w <= 0 || h <= 0 || w > 0xFFFF || h > 0xFFFF ||
	    (bpp != 15 && bpp != 16 && bpp != 24)) {
		return 0;
	}
	int n = w * h;
	uint32_t *px = malloc((size_t)n * sizeof(*px));
	if (!px) {
		return 0;
	}
	/* stream order is bottom-up: the decoder's "line above" is the image
	 * line below */
	for (int k = 0; k < h; k++) {
		const uint8_t *row = src + (size_t)(h - 1 - k) * (size_t)stride;
		for (int x = 0; x < w; x++) {
			px[k * w + x] = to_wire(row + 4 * x, bpp);
		}
	}
	struct out o = {out, (bpp + 7) / 8};
	int lit = 0; /* start of the pending colour image */
	int p = 0;
	while (p < n) {
		/* Background runs never start on the first line: decoders paint
		 * those black for the whole run, whatever its length. Two never
		 * follow each other (the second would get an inserted pixel),
		 * which the maximal run length below guarantees. */
		int bg = 0;
		if (p >= w) {
			while (p + bg < n && bg < 0xFFFF && px[p + bg] == px[p + bg - w]) {
				bg++;
			}
		}
		int run = 1;
		while (p + run < n && run < 0xFFFF && px[p + run] == px[p]) {
			run++;
		}
		if (bg >= 2 && bg >= run) {
			flush_image(&o, px, lit, p);
			put_header(&o, REGULAR_BG_RUN, MEGA_MEGA_BG_RUN, bg);
			p += bg;
			lit = p;
		} else if (run >= 3) {
			flush_image(&o, px, lit, p);
			put_header(&o, REGULAR_COLOR_RUN, MEGA_MEGA_COLOR_RUN, run);
			put_pixel(&o, px[p]);
			p += run;
			lit = p;
		} else {
			p++;
		}
	}
	flush_image(&o, px, lit, n);
	free(px);
	return (size_t)(o.p - out);
}
