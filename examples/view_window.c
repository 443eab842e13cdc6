/* view_window: join a desktop shared with rdpshare and show it in an X
 * window; keys and mouse go to the sharer once it lets us drive. F8 asks
 * for control, F7 gives it back.
 *
 *   view_window PASSWORD CONNECTION-STRING|INVITATION-FILE
 *   cc view_window.c $(pkg-config --cflags --libs rdpshare x11)
 *
 * The viewer half of the rdpshare API in one page: a viewer, its events on
 * this thread from one poll loop with the window's, the frame buffer drawn
 * where the frame callback says it changed, input through the input sink
 * (refused by the library until the sharer grants INTERACTIVE). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <rdpshare.h>

struct app {
	rdpshare_viewer *v;
	Display *dpy;
	Window win;
	GC gc;
	XImage *image;
	int width, height;
	Atom wm_delete;
	int done; /* 1 quit asked, 2 connection over */
	int status;
};

static void title(struct app *a)
{
	char t[128];
	snprintf(t, sizeof(t), "view_window: %s (F8: ask for control, F7: give it back)",
	         rdpshare_ctrl_level_name(rdpshare_viewer_get_control_level(a->v)));
	XStoreName(a->dpy, a->win, t);
}

/* The image points into the viewer's frame buffer, which moves when the
 * picture is resized: set it at each paint. */
static void paint(struct app *a, int x, int y, int w, int h)
{
	struct rdpshare_viewer_frame f;
	if (!a->image || rdpshare_viewer_get_frame(a->v, &f) != 0 || !f.pixels ||
	    f.width != a->width || f.height != a->height) {
		return;
	}
	a->image->data = (char *)f.pixels;
	XPutImage(a->dpy, a->win, a->gc, a->image, x, y, x, y, (unsigned)w, (unsigned)h);
	a->image->data = NULL;
	XFlush(a->dpy);
}

static void on_size(rdpshare_viewer *v, int w, int h, int bpp, void *ud)
{
	(void)v;
	(void)bpp;
	struct app *a = ud;
	if (a->image) {
		XDestroyImage(a->image);
	}
	a->width = w;
	a->height = h;
	a->image = XCreateImage(a->dpy, DefaultVisual(a->dpy, DefaultScreen(a->dpy)), 24, ZPixmap,
	                        0, NULL, (unsigned)w, (unsigned)h, 32, w * 4);
	if (a->image) {
		a->image->byte_order = LSBFirst; /* the frame buffer: blue, green, red, unused */
	}
	XResizeWindow(a->dpy, a->win, (unsigned)w, (unsigned)h);
	XMapWindow(a->dpy, a->win);
	title(a);
}

static void on_frame(rdpshare_viewer *v, const struct rdpshare_viewer_frame *f,
                     const struct rdpshare_viewer_rect *r, int n, void *ud)
{
	(void)v;
	(void)f;
	for (int i = 0; i < n; i++) {
		paint(ud, r[i].x, r[i].y, r[i].width, r[i].height);
	}
}

static void on_level(rdpshare_viewer *v, enum rdpshare_ctrl_level level, void *ud)
{
	(void)v;
	(void)level;
	title(ud);
}

static void on_failed(rdpshare_viewer *v, enum rdpshare_viewer_reason reason, const char *m,
                      void *ud)
{
	(void)v;
	struct app *a = ud;
	char *safe = rdpshare_escape_text(m, strlen(m), RDPSHARE_ESCAPE_TERMINAL, 200);
	fprintf(stderr, "view_window: cannot connect (%d): %s\n", (int)reason, safe ? safe : "?");
	free(safe);
	a->done = 2;
	a->status = 1;
}

static void on_disconnected(rdpshare_viewer *v, enum rdpshare_viewer_reason reason, long ext,
                            const char *m, void *ud)
{
	(void)v;
	struct app *a = ud;
	char *safe = rdpshare_escape_text(m, strlen(m), RDPSHARE_ESCAPE_TERMINAL, 200);
	fprintf(stderr, "view_window: disconnected (%d, 0x%lx): %s\n", (int)reason, ext,
	        safe ? safe : "?");
	free(safe);
	a->done = 2;
	a->status = reason == RDPSHARE_VIEWER_LOCAL ? 0 : 1;
}

/* X keycodes of an evdev keyboard (the X servers' usual one) are the PC
 * scancode plus 8; the extended keys (E0 prefix) differ. */
static void key(struct app *a, unsigned keycode, int down)
{
	static const struct {
		unsigned keycode, scancode;
	} extended[] = {{104, 0x1c}, {105, 0x1d}, {106, 0x35}, {108, 0x38}, {110, 0x47},
	                {111, 0x48}, {112, 0x49}, {113, 0x4b}, {114, 0x4d}, {115, 0x4f},
	                {116, 0x50}, {117, 0x51}, {118, 0x52}, {119, 0x53}, {133, 0x5b},
	                {134, 0x5c}, {135, 0x5d}};
	for (size_t i = 0; i < sizeof(extended) / sizeof(extended[0]); i++) {
		if (extended[i].keycode == keycode) {
			rdpshare_viewer_send_keyboard(a->v, RDPSHARE_KBD_CODE_SCANCODE,
			                              extended[i].scancode, !down, 0, 1);
			return;
		}
	}
	if (keycode > 8 && keycode < 8 + 0x59) {
		rdpshare_viewer_send_keyboard(a->v, RDPSHARE_KBD_CODE_SCANCODE, keycode - 8, !down,
		                              0, 0);
	}
}

static void button(struct app *a, unsigned b, int down, int x, int y)
{
	if (b >= 4 && b <= 5) { /* the wheel: a notch (120) per click */
		if (down) {
			rdpshare_viewer_send_mouse_wheel(a->v, b == 4 ? 120 : -120, 0);
		}
		return;
	}
	enum rdpshare_mouse_button mb = b == 1   ? RDPSHARE_MOUSE_BUTTON1
	                                : b == 3 ? RDPSHARE_MOUSE_BUTTON2
	                                         : RDPSHARE_MOUSE_BUTTON3;
	if (b <= 3) {
		rdpshare_viewer_send_mouse_button(a->v, mb, down, x, y);
	}
}

static void x_events(struct app *a)
{
	while (XPending(a->dpy)) {
		XEvent ev;
		XNextEvent(a->dpy, &ev);
		switch (ev.type) {
		case Expose:
			paint(a, ev.xexpose.x, ev.xexpose.y, ev.xexpose.width, ev.xexpose.height);
			break;
		case KeyPress:
		case KeyRelease: {
			KeySym ks = XLookupKeysym(&ev.xkey, 0);
			if (ks == XK_F8 || ks == XK_F7) {
				if (ev.type == KeyPress) {
					rdpshare_viewer_request_control(
					    a->v, ks == XK_F8 ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
					                      : RDPSHARE_CTRL_LEVEL_VIEW);
				}
				break;
			}
			key(a, ev.xkey.keycode, ev.type == KeyPress);
			break;
		}
		case ButtonPress:
		case ButtonRelease:
			button(a, ev.xbutton.button, ev.type == ButtonPress, ev.xbutton.x,
			       ev.xbutton.y);
			break;
		case MotionNotify:
			rdpshare_viewer_send_mouse_move(a->v, ev.xmotion.x, ev.xmotion.y);
			break;
		case ClientMessage:
			if ((Atom)ev.xclient.data.l[0] == a->wm_delete) {
				a->done = 1;
			}
			break;
		default:
			break;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: view_window PASSWORD CONNECTION-STRING|INVITATION-FILE\n");
		return 2;
	}
	struct app a = {0};
	a.dpy = XOpenDisplay(NULL);
	if (!a.dpy) {
		fprintf(stderr, "view_window: no X display\n");
		return 1;
	}
	int screen = DefaultScreen(a.dpy);
	a.win = XCreateSimpleWindow(a.dpy, RootWindow(a.dpy, screen), 0, 0, 640, 480, 0, 0,
	                            BlackPixel(a.dpy, screen));
	XSelectInput(a.dpy, a.win,
	             ExposureMask | KeyPressMask | KeyReleaseMask | ButtonPressMask |
	                 ButtonReleaseMask | PointerMotionMask);
	a.wm_delete = XInternAtom(a.dpy, "WM_DELETE_WINDOW", False);
	XSetWMProtocols(a.dpy, a.win, &a.wm_delete, 1);
	a.gc = XCreateGC(a.dpy, a.win, 0, NULL);

	struct rdpshare_viewer_callbacks cb = {
	    .size = sizeof(cb),
	    .desktop_size_changed = on_size,
	    .frame = on_frame,
	    .control_level_changed = on_level,
	    .connection_failed = on_failed,
	    .disconnected = on_disconnected,
	};
	/* no config: the invitation's KH pins the sharer's key */
	int r = rdpshare_viewer_create(NULL, &cb, &a, &a.v);
	if (r == 0) {
		r = rdpshare_viewer_connect(a.v, argv[2], NULL, argv[1]);
	}
	if (r != 0) {
		fprintf(stderr, "view_window: %s\n", rdpshare_strerror(r));
		rdpshare_viewer_destroy(a.v);
		XCloseDisplay(a.dpy);
		return 1;
	}
	while (a.done != 2) {
		if (a.done == 1) {
			rdpshare_viewer_disconnect(a.v); /* disconnected follows */
		}
		struct pollfd p[2] = {{rdpshare_viewer_get_fd(a.v), POLLIN, 0},
		                      {ConnectionNumber(a.dpy), POLLIN, 0}};
		poll(p, 2, 100);
		rdpshare_viewer_dispatch(a.v);
		x_events(&a);
	}
	rdpshare_viewer_destroy(a.v);
	if (a.image) {
		XDestroyImage(a.image);
	}
	XFreeGC(a.dpy, a.gc);
	XCloseDisplay(a.dpy);
	return a.status;
}
