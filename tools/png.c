/* BGRX pixels to a PNG file, shared by `rdpshare ctl snapshot` and rdpview
 * --screenshot, with FreeRDP's bundled encoder (WinPR's image writer, which
 * wants RGBA). The file is created 0600: it is someone's desktop. */
#include "png.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <winpr/image.h>

int png_write_bgrx(const char *path, const uint8_t *bgrx, int w, int h, int stride)
{
	uint8_t *rgba = malloc((size_t)w * (size_t)h * 4);
	if (!rgba) {
		return -ENOMEM;
	}
	for (int y = 0; y < h; y++) {
		const uint8_t *src = bgrx + (size_t)y * (size_t)stride;
		uint8_t *dst = rgba + (size_t)y * (size_t)w * 4;
		for (int x = 0; x < w; x++) {
			dst[4 * x + 0] = src[4 * x + 2];
			dst[4 * x + 1] = src[4 * x + 1];
			dst[4 * x + 2] = src[4 * x + 0];
			dst[4 * x + 3] = 0xFF;
		}
	}
	int r = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
	} else {
		close(fd);
		wImage img = {.type = WINPR_IMAGE_PNG,
		              .width = w,
		              .height = h,
		              .data = rgba,
		              .scanline = w * 4,
		              .bitsPerPixel = 32,
		              .bytesPerPixel = 4};
		r = winpr_image_write(&img, path) > 0 ? 0 : -EIO;
	}
	free(rgba);
	return r;
}
