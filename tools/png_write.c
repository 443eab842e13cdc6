/* BGRX pixels to a PNG file, shared by `rdpshare ctl snapshot` and rdpview
 * --screenshot, with libpng's simplified writer (Debian's WinPR 3 is built
 * without PNG support). The file is created 0600: it is someone's desktop. */
#include "png_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <png.h>

int png_write_bgrx(const char *path, const uint8_t *bgrx, int w, int h, int stride)
{
	if (w <= 0 || h <= 0) {
		return -EINVAL;
	}
	uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
	if (!rgb) {
		return -ENOMEM;
	}
	for (int y = 0; y < h; y++) {
		const uint8_t *src = bgrx + (size_t)y * (size_t)stride;
		uint8_t *dst = rgb + (size_t)y * (size_t)w * 3;
		for (int x = 0; x < w; x++) {
			dst[3 * x + 0] = src[4 * x + 2];
			dst[3 * x + 1] = src[4 * x + 1];
			dst[3 * x + 2] = src[4 * x + 0];
		}
	}
	int r = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		r = -errno;
		if (fd >= 0) {
			close(fd);
		}
	} else {
		png_image img = {.version = PNG_IMAGE_VERSION,
		                 .width = (png_uint_32)w,
		                 .height = (png_uint_32)h,
		                 .format = PNG_FORMAT_RGB};
		if (!png_image_write_to_stdio(&img, f, 0, rgb, w * 3, NULL)) {
			r = -EIO;
		}
		png_image_free(&img);
		if (fclose(f) != 0 && r == 0) {
			r = -errno;
		}
	}
	free(rgb);
	return r;
}
