/* What the capture back-ends' unit tests (test_capture_x11, _wlroots,
 * _gnome) share: waiting on a back-end and looking at damage. Header only. */
#ifndef RDPSHARE_TEST_CAPTURE_TEST_H
#define RDPSHARE_TEST_CAPTURE_TEST_H

#include <poll.h>
#include <stdbool.h>

#include "capture/capture.h"

/* Poll c for up to ms and process it when readable; the process() result,
 * or 0 when nothing came. */
static inline int cap_pump(struct capture *c, int ms)
{
	struct pollfd p = {c->ops->fd(c), POLLIN, 0};
	if (poll(&p, 1, ms) <= 0) {
		return 0;
	}
	return c->ops->process(c);
}

/* Does one of the n rectangles r cover pixel (x, y)? */
static inline bool cap_covered(const struct cap_rect *r, int n, int x, int y)
{
	for (int i = 0; i < n; i++) {
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h) {
			return true;
		}
	}
	return false;
}

#endif
