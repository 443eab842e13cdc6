/* The viewer window: the shared desktop drawn from FreeRDP's software GDI
 * buffer with XPutImage, keyboard and mouse sent to the sharer (which only
 * injects them when we are INTERACTIVE), and two shortcuts that never reach
 * the sharer: Ctrl+Alt+C asks for control, Ctrl+Alt+V gives it back. The
 * title shows our control level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/input.h>
#include <freerdp/locale/keyboard.h>

#include "rdpshare.h"
#include "rdpview.h"

struct rv_window {
	struct rv *rv;
	Display *dpy;
	Window win;
	GC gc;
	XImage *image;
	int width, height;
	Atom wm_delete;
};

static bool make_image(struct rv_window *w)
{
	rdpGdi *gdi = w->rv->ctx->gdi;
	if (w->image) {
		w->image->data = NULL; /* the buffer is FreeRDP's */
		XDestroyImage(w->image);
	}
	int screen = DefaultScreen(w->dpy);
	w->image = XCreateImage(w->dpy, DefaultVisual(w->dpy, screen), 24, ZPixmap, 0,
	                        (char *)gdi->primary_buffer, gdi->width, gdi->height, 32,
	                        (int)gdi->stride);
	if (w->image) {
		w->image->byte_order = LSBFirst;
		w->image->bitmap_bit_order = LSBFirst;
	}
	return w->image != NULL;
}

struct rv_window *rv_window_new(struct rv *rv, int width, int height)
{
	struct rv_window *w = calloc(1, sizeof(*w));
	if (!w) {
		return NULL;
	}
	w->rv = rv;
	w->dpy = XOpenDisplay(NULL);
	if (!w->dpy || DefaultDepth(w->dpy, DefaultScreen(w->dpy)) < 24) {
		if (w->dpy) {
			XCloseDisplay(w->dpy);
		}
		free(w);
		return NULL;
	}
	int screen = DefaultScreen(w->dpy);
	w->width = width;
	w->height = height;
	w->win = XCreateSimpleWindow(w->dpy, RootWindow(w->dpy, screen), 0, 0, (unsigned)width,
	                             (unsigned)height, 0, 0, BlackPixel(w->dpy, screen));
	XSelectInput(w->dpy, w->win,
	             ExposureMask | KeyPressMask | KeyReleaseMask | ButtonPressMask |
	                 ButtonReleaseMask | PointerMotionMask | StructureNotifyMask);
	XClassHint hint = {.res_name = "rdpview", .res_class = "rdpview"};
	XSetClassHint(w->dpy, w->win, &hint);
	w->wm_delete = XInternAtom(w->dpy, "WM_DELETE_WINDOW", False);
	XSetWMProtocols(w->dpy, w->win, &w->wm_delete, 1);
	w->gc = XCreateGC(w->dpy, w->win, 0, NULL);
	/* X keycodes to RDP scancodes follow the X server's keyboard */
	freerdp_keyboard_init(0);
	if (!make_image(w)) {
		rv_window_free(w);
		return NULL;
	}
	rv_window_title(w);
	XMapWindow(w->dpy, w->win);
	XFlush(w->dpy);
	return w;
}

void rv_window_free(struct rv_window *w)
{
	if (!w) {
		return;
	}
	if (w->image) {
		w->image->data = NULL;
		XDestroyImage(w->image);
	}
	if (w->gc) {
		XFreeGC(w->dpy, w->gc);
	}
	XDestroyWindow(w->dpy, w->win);
	XCloseDisplay(w->dpy);
	free(w);
}

int rv_window_fd(struct rv_window *w)
{
	return ConnectionNumber(w->dpy);
}

void rv_window_resize(struct rv_window *w, int width, int height)
{
	w->width = width;
	w->height = height;
	XResizeWindow(w->dpy, w->win, (unsigned)width, (unsigned)height);
	make_image(w);
	XFlush(w->dpy);
}

void rv_window_paint(struct rv_window *w, int x, int y, int width, int height)
{
	if (w->image) {
		XPutImage(w->dpy, w->win, w->gc, w->image, x, y, x, y, (unsigned)width,
		          (unsigned)height);
		XFlush(w->dpy);
	}
}

void rv_window_title(struct rv_window *w)
{
	struct rv *rv = w->rv;
	char title[256];
	snprintf(title, sizeof(title), "rdpview — %s — %s%s (Ctrl+Alt+C: ask for control)",
	         rv->host,
	         rv->level >= 0 ? rdpshare_ctrl_level_name((enum rdpshare_ctrl_level)rv->level)
	                        : "connecting",
	         rv->paused ? ", paused" : "");
	Xutf8SetWMProperties(w->dpy, w->win, title, title, NULL, 0, NULL, NULL, NULL);
}

static void send_button(struct rv_window *w, unsigned button, bool down, int x, int y)
{
	rdpInput *in = w->rv->ctx->input;
	UINT16 flags = down ? PTR_FLAGS_DOWN : 0;
	switch (button) {
	case 1:
		freerdp_input_send_mouse_event(in, flags | PTR_FLAGS_BUTTON1, (UINT16)x, (UINT16)y);
		break;
	case 2:
		freerdp_input_send_mouse_event(in, flags | PTR_FLAGS_BUTTON3, (UINT16)x, (UINT16)y);
		break;
	case 3:
		freerdp_input_send_mouse_event(in, flags | PTR_FLAGS_BUTTON2, (UINT16)x, (UINT16)y);
		break;
	case 4: /* wheel up / down, left / right: one notch (120) per click */
	case 5:
	case 6:
	case 7:
		if (down) {
			UINT16 f =
			    (button <= 5 ? PTR_FLAGS_WHEEL : PTR_FLAGS_HWHEEL) |
			    ((button == 4 || button == 7) ? 0x0078
			                                  : PTR_FLAGS_WHEEL_NEGATIVE | 0x0088);
			freerdp_input_send_mouse_event(in, f, (UINT16)x, (UINT16)y);
		}
		break;
	case 8:
	case 9:
		freerdp_input_send_extended_mouse_event(
		    in,
		    (down ? PTR_XFLAGS_DOWN : 0) |
		        (button == 8 ? PTR_XFLAGS_BUTTON1 : PTR_XFLAGS_BUTTON2),
		    (UINT16)x, (UINT16)y);
		break;
	default:
		break;
	}
}

static bool shortcut(struct rv_window *w, XKeyEvent *ev)
{
	unsigned mods = ev->state & (ControlMask | Mod1Mask);
	if (mods != (ControlMask | Mod1Mask)) {
		return false;
	}
	KeySym ks = XLookupKeysym(ev, 0);
	if (ks != XK_c && ks != XK_v) {
		return false;
	}
	if (ev->type == KeyPress) {
		rv_mp_request(w->rv, ks == XK_c ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
		                                : RDPSHARE_CTRL_LEVEL_VIEW);
	}
	return true;
}

void rv_window_events(struct rv_window *w)
{
	rdpInput *in = w->rv->ctx->input;
	while (XPending(w->dpy)) {
		XEvent ev;
		XNextEvent(w->dpy, &ev);
		switch (ev.type) {
		case Expose:
			rv_window_paint(w, ev.xexpose.x, ev.xexpose.y, ev.xexpose.width,
			                ev.xexpose.height);
			break;
		case KeyPress:
		case KeyRelease: {
			if (shortcut(w, &ev.xkey)) {
				break;
			}
			DWORD sc =
			    freerdp_keyboard_get_rdp_scancode_from_x11_keycode(ev.xkey.keycode);
			if (sc) {
				freerdp_input_send_keyboard_event_ex(in, ev.type == KeyPress, sc);
			}
			break;
		}
		case ButtonPress:
		case ButtonRelease:
			send_button(w, ev.xbutton.button, ev.type == ButtonPress, ev.xbutton.x,
			            ev.xbutton.y);
			break;
		case MotionNotify:
			freerdp_input_send_mouse_event(in, PTR_FLAGS_MOVE, (UINT16)ev.xmotion.x,
			                               (UINT16)ev.xmotion.y);
			break;
		case ClientMessage:
			if ((Atom)ev.xclient.data.l[0] == w->wm_delete) {
				w->rv->quit = true;
			}
			break;
		default:
			break;
		}
	}
}
