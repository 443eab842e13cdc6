/* rdpview's input to the sharer through the viewer API: keys by RDP
 * scancode (extended ones with 0x100), X buttons and wheel clicks, for the
 * window and the input script alike. Below INTERACTIVE the library refuses
 * them (the sharer would drop them anyway), so they are not even sent. */
#include <time.h>

#include "rdpview.h"

int64_t rv_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void rv_key(struct rv *rv, unsigned sc, bool down)
{
	rdpshare_viewer_send_keyboard(rv->v, RDPSHARE_KBD_CODE_SCANCODE, sc & 0xFF, !down, false,
	                              (sc & 0x100) != 0);
}

/* X11 buttons: 1 left, 2 middle, 3 right, 4-7 wheel, 8-9 back/forward */
void rv_button(struct rv *rv, int b, bool down, int x, int y)
{
	if (b >= 4 && b <= 7) {
		if (down) { /* one notch (120) per click; 4 up, 5 down, 6 left, 7 right */
			rdpshare_viewer_send_mouse_wheel(rv->v, (b == 4 || b == 7) ? 120 : -120,
			                                 b >= 6);
		}
		return;
	}
	enum rdpshare_mouse_button mb = b == 1   ? RDPSHARE_MOUSE_BUTTON1
	                                : b == 2 ? RDPSHARE_MOUSE_BUTTON3
	                                : b == 3 ? RDPSHARE_MOUSE_BUTTON2
	                                : b == 8 ? RDPSHARE_MOUSE_XBUTTON1
	                                : b == 9 ? RDPSHARE_MOUSE_XBUTTON2
	                                         : RDPSHARE_MOUSE_XBUTTON3;
	if (mb != RDPSHARE_MOUSE_XBUTTON3) {
		rdpshare_viewer_send_mouse_button(rv->v, mb, down, x, y);
	}
}
