/* `rdpshare ctl snapshot FILE.png`: the frame buffer (what viewers are
 * shown) written as PNG by the sharer. */
#include <stdlib.h>

#include "png_write.h"
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
	if (r == RDPSHARE_OK && png_write_bgrx(path, bgrx, w, h, w * 4) < 0) {
		r = RDPSHARE_E_IO;
	}
	free(bgrx);
	return r;
}
