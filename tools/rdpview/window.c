/* The viewer window: the viewer's frame buffer drawn with XPutImage,
 * keyboard and mouse sent to the sharer (the library sends them only while
 * we are INTERACTIVE), and two shortcuts that never reach the sharer:
 * Ctrl+Alt+C asks for control, Ctrl+Alt+V gives it back. The title shows
 * our control level. RDP scancodes come from FreeRDP's and WinPR's key
 * tables (headers and WinPR only: no connection code). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/XKBlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <freerdp/scancode.h>
#include <winpr/input.h>

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
	DWORD scancode[256]; /* X keycode -> RDP scancode (0: none) */
};

/* RDP scancodes by XKB key name: the key's place on the keyboard, whatever
 * keycodes the X server gives the keys. */
static const struct {
	char name[XkbKeyNameLength + 1];
	DWORD sc;
} key_names[] = {
    {"ESC", RDP_SCANCODE_ESCAPE},
    {"AE01", RDP_SCANCODE_KEY_1},
    {"AE02", RDP_SCANCODE_KEY_2},
    {"AE03", RDP_SCANCODE_KEY_3},
    {"AE04", RDP_SCANCODE_KEY_4},
    {"AE05", RDP_SCANCODE_KEY_5},
    {"AE06", RDP_SCANCODE_KEY_6},
    {"AE07", RDP_SCANCODE_KEY_7},
    {"AE08", RDP_SCANCODE_KEY_8},
    {"AE09", RDP_SCANCODE_KEY_9},
    {"AE10", RDP_SCANCODE_KEY_0},
    {"AE11", RDP_SCANCODE_OEM_MINUS},
    {"AE12", RDP_SCANCODE_OEM_PLUS},
    {"AE13", RDP_SCANCODE_BACKSLASH_JP},
    {"BKSP", RDP_SCANCODE_BACKSPACE},
    {"TAB", RDP_SCANCODE_TAB},
    {"AD01", RDP_SCANCODE_KEY_Q},
    {"AD02", RDP_SCANCODE_KEY_W},
    {"AD03", RDP_SCANCODE_KEY_E},
    {"AD04", RDP_SCANCODE_KEY_R},
    {"AD05", RDP_SCANCODE_KEY_T},
    {"AD06", RDP_SCANCODE_KEY_Y},
    {"AD07", RDP_SCANCODE_KEY_U},
    {"AD08", RDP_SCANCODE_KEY_I},
    {"AD09", RDP_SCANCODE_KEY_O},
    {"AD10", RDP_SCANCODE_KEY_P},
    {"AD11", RDP_SCANCODE_OEM_4},
    {"AD12", RDP_SCANCODE_OEM_6},
    {"RTRN", RDP_SCANCODE_RETURN},
    {"LCTL", RDP_SCANCODE_LCONTROL},
    {"AC01", RDP_SCANCODE_KEY_A},
    {"AC02", RDP_SCANCODE_KEY_S},
    {"AC03", RDP_SCANCODE_KEY_D},
    {"AC04", RDP_SCANCODE_KEY_F},
    {"AC05", RDP_SCANCODE_KEY_G},
    {"AC06", RDP_SCANCODE_KEY_H},
    {"AC07", RDP_SCANCODE_KEY_J},
    {"AC08", RDP_SCANCODE_KEY_K},
    {"AC09", RDP_SCANCODE_KEY_L},
    {"AC10", RDP_SCANCODE_OEM_1},
    {"AC11", RDP_SCANCODE_OEM_7},
    {"TLDE", RDP_SCANCODE_OEM_3},
    {"LFSH", RDP_SCANCODE_LSHIFT},
    {"BKSL", RDP_SCANCODE_OEM_5},
    {"AB01", RDP_SCANCODE_KEY_Z},
    {"AB02", RDP_SCANCODE_KEY_X},
    {"AB03", RDP_SCANCODE_KEY_C},
    {"AB04", RDP_SCANCODE_KEY_V},
    {"AB05", RDP_SCANCODE_KEY_B},
    {"AB06", RDP_SCANCODE_KEY_N},
    {"AB07", RDP_SCANCODE_KEY_M},
    {"AB08", RDP_SCANCODE_OEM_COMMA},
    {"AB09", RDP_SCANCODE_OEM_PERIOD},
    {"AB10", RDP_SCANCODE_OEM_2},
    {"AB11", RDP_SCANCODE_ABNT_C1},
    {"RTSH", RDP_SCANCODE_RSHIFT},
    {"KPMU", RDP_SCANCODE_MULTIPLY},
    {"LALT", RDP_SCANCODE_LMENU},
    {"SPCE", RDP_SCANCODE_SPACE},
    {"CAPS", RDP_SCANCODE_CAPSLOCK},
    {"FK01", RDP_SCANCODE_F1},
    {"FK02", RDP_SCANCODE_F2},
    {"FK03", RDP_SCANCODE_F3},
    {"FK04", RDP_SCANCODE_F4},
    {"FK05", RDP_SCANCODE_F5},
    {"FK06", RDP_SCANCODE_F6},
    {"FK07", RDP_SCANCODE_F7},
    {"FK08", RDP_SCANCODE_F8},
    {"FK09", RDP_SCANCODE_F9},
    {"FK10", RDP_SCANCODE_F10},
    {"FK11", RDP_SCANCODE_F11},
    {"FK12", RDP_SCANCODE_F12},
    {"FK13", RDP_SCANCODE_F13},
    {"FK14", RDP_SCANCODE_F14},
    {"FK15", RDP_SCANCODE_F15},
    {"FK16", RDP_SCANCODE_F16},
    {"FK17", RDP_SCANCODE_F17},
    {"FK18", RDP_SCANCODE_F18},
    {"FK19", RDP_SCANCODE_F19},
    {"FK20", RDP_SCANCODE_F20},
    {"FK21", RDP_SCANCODE_F21},
    {"FK22", RDP_SCANCODE_F22},
    {"FK23", RDP_SCANCODE_F23},
    {"FK24", RDP_SCANCODE_F24},
    {"NMLK", RDP_SCANCODE_NUMLOCK},
    {"SCLK", RDP_SCANCODE_SCROLLLOCK},
    {"KP7", RDP_SCANCODE_NUMPAD7},
    {"KP8", RDP_SCANCODE_NUMPAD8},
    {"KP9", RDP_SCANCODE_NUMPAD9},
    {"KPSU", RDP_SCANCODE_SUBTRACT},
    {"KP4", RDP_SCANCODE_NUMPAD4},
    {"KP5", RDP_SCANCODE_NUMPAD5},
    {"KP6", RDP_SCANCODE_NUMPAD6},
    {"KPAD", RDP_SCANCODE_ADD},
    {"KP1", RDP_SCANCODE_NUMPAD1},
    {"KP2", RDP_SCANCODE_NUMPAD2},
    {"KP3", RDP_SCANCODE_NUMPAD3},
    {"KP0", RDP_SCANCODE_NUMPAD0},
    {"KPDL", RDP_SCANCODE_DECIMAL},
    {"KPEN", RDP_SCANCODE_RETURN_KP},
    {"KPDV", RDP_SCANCODE_DIVIDE},
    {"LSGT", RDP_SCANCODE_OEM_102},
    {"LVL3", RDP_SCANCODE_RMENU},
    {"RALT", RDP_SCANCODE_RMENU},
    {"RCTL", RDP_SCANCODE_RCONTROL},
    {"PRSC", RDP_SCANCODE_PRINTSCREEN},
    {"PAUS", RDP_SCANCODE_PAUSE},
    {"HOME", RDP_SCANCODE_HOME},
    {"UP", RDP_SCANCODE_UP},
    {"PGUP", RDP_SCANCODE_PRIOR},
    {"LEFT", RDP_SCANCODE_LEFT},
    {"RGHT", RDP_SCANCODE_RIGHT},
    {"END", RDP_SCANCODE_END},
    {"DOWN", RDP_SCANCODE_DOWN},
    {"PGDN", RDP_SCANCODE_NEXT},
    {"INS", RDP_SCANCODE_INSERT},
    {"DELE", RDP_SCANCODE_DELETE},
    {"LWIN", RDP_SCANCODE_LWIN},
    {"RWIN", RDP_SCANCODE_RWIN},
    {"COMP", RDP_SCANCODE_APPS},
    {"MUTE", RDP_SCANCODE_VOLUME_MUTE},
    {"VOL-", RDP_SCANCODE_VOLUME_DOWN},
    {"VOL+", RDP_SCANCODE_VOLUME_UP},
    {"HELP", RDP_SCANCODE_HELP},
    {"KATA", RDP_SCANCODE_KANA_HANGUL},
    {"HIRA", RDP_SCANCODE_HIRAGANA},
    {"HKTG", RDP_SCANCODE_HIRAGANA},
    {"HENK", RDP_SCANCODE_CONVERT_JP},
    {"MUHE", RDP_SCANCODE_NONCONVERT_JP},
    {"HNGL", RDP_SCANCODE_HANGUL},
    {"HJCV", RDP_SCANCODE_HANJA},
    {"ALT", RDP_SCANCODE_LMENU},
    {"META", RDP_SCANCODE_LMENU},
    {"SUPR", RDP_SCANCODE_LWIN},
    {"HYPR", RDP_SCANCODE_LWIN},
    {"STOP", RDP_SCANCODE_BROWSER_STOP},
    /* "Innn": keys XKB has no name for, by their evdev keycode */
    {"I128", RDP_SCANCODE_LAUNCH_MEDIA_SELECT},
    {"I129", RDP_SCANCODE_ABNT_C2},
    {"I150", RDP_SCANCODE_SLEEP},
    {"I156", RDP_SCANCODE_LAUNCH_APP1},
    {"I157", RDP_SCANCODE_LAUNCH_APP2},
    {"I158", RDP_SCANCODE_BROWSER_HOME},
    {"I163", RDP_SCANCODE_LAUNCH_MAIL},
    {"I164", RDP_SCANCODE_BROWSER_FAVORITES},
    {"I166", RDP_SCANCODE_BROWSER_BACK},
    {"I167", RDP_SCANCODE_BROWSER_FORWARD},
    {"I171", RDP_SCANCODE_MEDIA_NEXT_TRACK},
    {"I172", RDP_SCANCODE_MEDIA_PLAY_PAUSE},
    {"I173", RDP_SCANCODE_MEDIA_PREV_TRACK},
    {"I174", RDP_SCANCODE_MEDIA_STOP},
    {"I180", RDP_SCANCODE_BROWSER_HOME},
    {"I181", RDP_SCANCODE_BROWSER_REFRESH},
    {"I208", RDP_SCANCODE_MEDIA_PLAY_PAUSE},
    {"I209", RDP_SCANCODE_MEDIA_PLAY_PAUSE},
    {"I215", RDP_SCANCODE_MEDIA_PLAY_PAUSE},
    {"I216", RDP_SCANCODE_MEDIA_NEXT_TRACK},
    {"I223", RDP_SCANCODE_LAUNCH_MAIL},
    {"I225", RDP_SCANCODE_BROWSER_SEARCH},
    {"I234", RDP_SCANCODE_LAUNCH_MEDIA_SELECT},
};

/* The scancode of the key with this keycode on an evdev keyboard, the X
 * servers' usual one (WinPR's table). */
static DWORD evdev_scancode(unsigned keycode)
{
	DWORD vk = GetVirtualKeyCodeFromKeycode(keycode, WINPR_KEYCODE_TYPE_XKB);
	return GetVirtualScanCodeFromVirtualKeyCode(vk, WINPR_KBD_TYPE_IBM_ENHANCED);
}

/* X keycodes to RDP scancodes follow the X server's keyboard: its XKB key
 * names where it has them, else evdev. */
static void map_keys(struct rv_window *w)
{
	XkbDescPtr xkb = XkbGetMap(w->dpy, 0, XkbUseCoreKbd);
	bool named = xkb && XkbGetNames(w->dpy, XkbKeyNamesMask, xkb) == Success && xkb->names &&
	             xkb->names->keys;
	for (unsigned kc = 0; kc < 256; kc++) {
		w->scancode[kc] = evdev_scancode(kc);
		if (!named || kc < xkb->min_key_code || kc > xkb->max_key_code) {
			continue;
		}
		char name[XkbKeyNameLength + 1] = {0};
		memcpy(name, xkb->names->keys[kc].name, XkbKeyNameLength);
		w->scancode[kc] = RDP_SCANCODE_UNKNOWN;
		for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
			if (strcmp(name, key_names[i].name) == 0) {
				w->scancode[kc] = key_names[i].sc;
				break;
			}
		}
	}
	if (xkb) {
		XkbFreeKeyboard(xkb, 0, True);
	}
}

/* An XImage over the frame buffer; its data pointer is set at each paint,
 * since the buffer moves when the picture is resized. */
static bool make_image(struct rv_window *w)
{
	if (w->image) {
		w->image->data = NULL; /* the buffer is the viewer's */
		XDestroyImage(w->image);
	}
	int screen = DefaultScreen(w->dpy);
	w->image = XCreateImage(w->dpy, DefaultVisual(w->dpy, screen), 24, ZPixmap, 0, NULL,
	                        (unsigned)w->width, (unsigned)w->height, 32, w->width * 4);
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
	map_keys(w);
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
	struct rdpshare_viewer_frame f;
	if (rdpshare_viewer_get_frame(w->rv->v, &f) != 0 || !f.pixels || f.width != w->width ||
	    f.height != w->height || x < 0 || y < 0 || x + width > f.width ||
	    y + height > f.height) {
		return;
	}
	if (w->image) {
		w->image->data = (char *)f.pixels;
		XPutImage(w->dpy, w->win, w->gc, w->image, x, y, x, y, (unsigned)width,
		          (unsigned)height);
		XFlush(w->dpy);
	}
}

void rv_window_title(struct rv_window *w)
{
	struct rv *rv = w->rv;
	char title[512];
	enum rdpshare_ctrl_level level = rdpshare_viewer_get_control_level(rv->v);
	snprintf(
	    title, sizeof(title), "rdpview — %s — %s%s (Ctrl+Alt+C: ask for control)", rv->host,
	    level != RDPSHARE_CTRL_LEVEL_INVALID ? rdpshare_ctrl_level_name(level) : "connecting",
	    rdpshare_viewer_is_paused(rv->v) ? ", paused" : "");
	Xutf8SetWMProperties(w->dpy, w->win, title, title, NULL, 0, NULL, NULL, NULL);
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
		rdpshare_viewer_request_control(w->rv->v, ks == XK_c
		                                              ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
		                                              : RDPSHARE_CTRL_LEVEL_VIEW);
	}
	return true;
}

void rv_window_events(struct rv_window *w)
{
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
			DWORD sc = w->scancode[ev.xkey.keycode & 0xff];
			if (sc) {
				rv_key(w->rv, sc, ev.type == KeyPress);
			}
			break;
		}
		case ButtonPress:
		case ButtonRelease:
			rv_button(w->rv, (int)ev.xbutton.button, ev.type == ButtonPress,
			          ev.xbutton.x, ev.xbutton.y);
			break;
		case MotionNotify:
			rdpshare_viewer_send_mouse_move(w->rv->v, ev.xmotion.x, ev.xmotion.y);
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
