/* Pixel conversions for back-ends whose frames come in other layouts than
 * our BGRX (PipeWire streams): whole rows to BGRX, and cursor bitmaps to
 * the straight-alpha ARGB32 that struct cap_cursor wants. Pure. */
#ifndef RDPSHARE_CAPTURE_PIXCONV_H
#define RDPSHARE_CAPTURE_PIXCONV_H

#include <stdbool.h>
#include <stdint.h>

/* 32-bit layouts named by their bytes in memory, as SPA names them
 * (PIX_BGRX: blue in byte 0, byte 3 unused). */
enum pix_format {
	PIX_BGRX,
	PIX_BGRA,
	PIX_RGBX,
	PIX_RGBA,
	PIX_XRGB,
	PIX_ARGB,
	PIX_XBGR,
	PIX_ABGR,
};

/* n pixels of src in format f as BGRX at dst (which may not overlap src).
 * BGRX and BGRA are copied unchanged; the others get byte 3 = 0xff. */
void pix_to_bgrx(enum pix_format f, const uint8_t *src, uint8_t *dst, int n);

/* A w x h cursor bitmap (format f, stride bytes a row, premultiplied alpha
 * when premul) as straight-alpha ARGB32 in out, cropped to max x max: out
 * gets *ow x *oh pixels, *ow a row. Formats without alpha are opaque.
 * Returns how many pixels are not fully transparent (0: an empty cursor). */
int pix_cursor_to_argb(enum pix_format f, bool premul, const uint8_t *src, int stride, int w, int h,
                       int max, uint32_t *out, int *ow, int *oh);

#endif
