#include <errno.h>

#include <freerdp/gdi/gdi.h>

#include "png_write.h"
#include "rdpview.h"

int rv_screenshot(rdpContext *ctx, const char *path)
{
	rdpGdi *gdi = ctx->gdi;
	if (!gdi || !gdi->primary_buffer) {
		return -ENODATA;
	}
	return png_write_bgrx(path, gdi->primary_buffer, (int)gdi->width, (int)gdi->height,
	                      (int)gdi->stride);
}
