#include <errno.h>
#include <stdlib.h>

#include <freerdp/gdi/gdi.h>
#include <winpr/image.h>

#include "rdpview.h"

int rv_screenshot(rdpContext *ctx, const char *path)
{
	rdpGdi *gdi = ctx->gdi;
	if (!gdi || !gdi->primary_buffer) {
		return -ENODATA;
	}
	int w = (int)gdi->width, h = (int)gdi->height;
	/* FreeRDP's PNG writer (lodepng) wants RGBA bytes */
	BYTE *rgba = malloc((size_t)w * (size_t)h * 4);
	if (!rgba) {
		return -ENOMEM;
	}
	for (int y = 0; y < h; y++) {
		const BYTE *src = gdi->primary_buffer + (size_t)y * gdi->stride;
		BYTE *dst = rgba + (size_t)y * (size_t)w * 4;
		for (int x = 0; x < w; x++) {
			dst[4 * x + 0] = src[4 * x + 2];
			dst[4 * x + 1] = src[4 * x + 1];
			dst[4 * x + 2] = src[4 * x + 0];
			dst[4 * x + 3] = 0xFF;
		}
	}
	wImage img = {.type = WINPR_IMAGE_PNG,
	              .width = w,
	              .height = h,
	              .data = rgba,
	              .scanline = w * 4,
	              .bitsPerPixel = 32,
	              .bytesPerPixel = 4};
	int r = winpr_image_write(&img, path);
	free(rgba);
	return r > 0 ? 0 : -EIO;
}
