/* `rdpshare ctl snapshot FILE.png`: the frame buffer (what viewers are
 * shown) written as PNG by the sharer, with FreeRDP's bundled encoder
 * (WinPR's image writer). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <winpr/image.h>

#include "tool.h"

int tool_snapshot(rdpshare_session *s, const char *path)
{
	int w, h, bpp;
	int r = rdpshare_session_get_frame_buffer_info(s, &w, &h, &bpp);
	if (r != RDPSHARE_OK) {
		return r;
	}
	unsigned char *bgrx = malloc((size_t)w * (size_t)h * 4);
	if (!bgrx) {
		return RDPSHARE_E_NOMEM;
	}
	r = rdpshare_session_get_frame_buffer_bits(s, 0, 0, w, h, bgrx, w * 4);
	if (r == RDPSHARE_OK) {
		/* the PNG writer wants RGBA */
		for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
			unsigned char b = bgrx[4 * i];
			bgrx[4 * i] = bgrx[4 * i + 2];
			bgrx[4 * i + 2] = b;
			bgrx[4 * i + 3] = 0xFF;
		}
		/* the desktop is private: create the file 0600 before writing */
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			r = RDPSHARE_E_IO;
		} else {
			close(fd);
			wImage img = {.type = WINPR_IMAGE_PNG,
			              .width = w,
			              .height = h,
			              .data = bgrx,
			              .scanline = w * 4,
			              .bitsPerPixel = 32,
			              .bytesPerPixel = 4};
			r = winpr_image_write(&img, path) > 0 ? RDPSHARE_OK : RDPSHARE_E_IO;
		}
	}
	free(bgrx);
	return r;
}
