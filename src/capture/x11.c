/* X11 capture back-end: XDamage for what changed, XShm (or XGetImage) for the
 * pixels, XFixes for the cursor shape, XInput2 raw motion for the pointer,
 * XTest for remote input.
 *
 * Everything is event driven. The back-end's fd is an epoll set holding the X
 * connection and an eventfd: Xlib reads events into its own queue during any
 * round trip (grab, cursor, inject), where poll() on the socket would never
 * see them, so after each round trip we ring the eventfd if events are
 * waiting. A still screen therefore costs no wake-ups at all.
 *
 * A dead display must not take the process with it: capture/xguard.c keeps
 * Xlib from exiting on errors of our connection; we see its flag and report
 * -EPIPE. */
#include "capture/capture.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/Xlibint.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <X11/extensions/XInput2.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>

#include "capture/damage.h"
#include "capture/scancode.h"
#include "capture/wintree.h"
#include "capture/xguard.h"
#include "util/wake.h"

#define CURSOR_SIDE 96
#define MAX_SPARE 8
#define FETCH_RECTS_MAX 256 /* more rectangles than this in one fetch: take the bounds */

struct x11 {
	struct capture base;
	Display *dpy;
	Window root;
	Visual *visual;
	int depth;
	int w, h;
	int epfd, evfd;
	struct xguard g; /* dead flag, last protocol error */
	/* damage */
	int damage_event;
	Damage damage;
	XserverRegion region;
	struct damage dmg;
	/* pixels */
	bool have_shm;
	int shm_opcode;
	XShmSegmentInfo shm;
	size_t shm_size; /* 0: no segment attached */
	/* cursor */
	int fixes_event;
	bool have_xi;
	int xi_opcode;
	int cur_x, cur_y;
	bool cur_visible;
	unsigned long shape_serial, x_cursor_serial;
	int cw, ch, cxhot, cyhot;
	uint32_t argb[CURSOR_SIDE * CURSOR_SIDE];
	/* input */
	bool have_xtest;
	int min_kc, max_kc, per_kc;
	KeySym *keymap;
	int spare[MAX_SPARE], n_spare, next_spare;
	bool spare_used;
	int wheel[2];
	int high_surrogate[2]; /* pending first half of a UTF-16 pair, up and down */
	/* top-level windows, for the application filter */
	struct wintree *tree;
};

static struct x11 *x11_of(struct capture *c)
{
	return (struct x11 *)c;
}

static void ring(struct x11 *x)
{
	util_wake_poke(x->evfd);
}

static void ring_dead(void *ctx)
{
	/* Found dead in grab() or cursor(): make sure process() runs and says so. */
	ring(ctx);
}

/* After a round trip: events Xlib already read would strand in its queue. */
static void kick(struct x11 *x)
{
	if (!x->g.dead && XEventsQueued(x->dpy, QueuedAfterReading) > 0) {
		ring(x);
	}
}

/* ---- pixels ---- */

static void release_shm(struct x11 *x)
{
	if (x->shm_size == 0) {
		return;
	}
	if (!x->g.dead) {
		XShmDetach(x->dpy, &x->shm);
	}
	shmdt(x->shm.shmaddr);
	x->shm_size = 0;
}

/* A shared segment of at least size bytes. Attaching fails on a remote
 * server (the extension is there but cannot see our memory): then XShm is
 * off for good and grab() uses XGetImage. */
static bool ensure_shm(struct x11 *x, size_t size)
{
	if (x->shm_size >= size) {
		return true;
	}
	release_shm(x);
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	void *addr = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
	if (addr == (void *)-1) {
		if (id >= 0) {
			shmctl(id, IPC_RMID, NULL);
		}
		x->have_shm = false; /* out of shared memory: XGetImage from now on */
		return false;
	}
	x->shm.shmid = id;
	x->shm.shmaddr = addr;
	x->shm.readOnly = False;
	x->g.err_code = 0;
	XShmAttach(x->dpy, &x->shm);
	XSync(x->dpy, False);
	/* Marked for removal now, so it disappears when both sides detach even
	 * if this process is killed. */
	shmctl(id, IPC_RMID, NULL);
	if (x->g.dead || (x->g.err_code && x->g.err_request == x->shm_opcode)) {
		shmdt(addr);
		x->have_shm = false;
		x->g.err_code = 0; /* handled: XGetImage from now on */
		return false;
	}
	x->shm_size = size;
	return true;
}

static int mask_shift(unsigned long mask)
{
	int s = 0;
	while (mask && !(mask & 1)) {
		mask >>= 1;
		s++;
	}
	return s;
}

static uint8_t channel(unsigned long pixel, unsigned long mask)
{
	if (!mask) {
		return 0;
	}
	unsigned long v = (pixel & mask) >> mask_shift(mask);
	unsigned long top = mask >> mask_shift(mask);
	return (uint8_t)(v * 255 / top);
}

static void copy_image(XImage *img, uint8_t *dst, int dst_stride)
{
	if (img->bits_per_pixel == 32 && img->byte_order == LSBFirst && img->red_mask == 0xff0000 &&
	    img->green_mask == 0xff00 && img->blue_mask == 0xff) {
		for (int y = 0; y < img->height; y++) {
			memcpy(dst + (size_t)y * (size_t)dst_stride,
			       img->data + (size_t)y * (size_t)img->bytes_per_line,
			       (size_t)img->width * 4);
		}
		return;
	}
	/* Unusual servers (16 bpp, other channel orders): slow but exact. */
	for (int y = 0; y < img->height; y++) {
		uint8_t *p = dst + (size_t)y * (size_t)dst_stride;
		for (int xx = 0; xx < img->width; xx++, p += 4) {
			unsigned long px = XGetPixel(img, xx, y);
			p[0] = channel(px, img->blue_mask);
			p[1] = channel(px, img->green_mask);
			p[2] = channel(px, img->red_mask);
			p[3] = 0xff;
		}
	}
}

static int x11_grab(struct capture *c, const struct cap_rect *r, uint8_t *dst, int dst_stride,
                    int dst_x, int dst_y)
{
	struct x11 *x = x11_of(c);
	if (x->g.dead) {
		return -EPIPE;
	}
	/* The desktop may have shrunk since the damage was taken. */
	int x0 = r->x < 0 ? 0 : r->x, y0 = r->y < 0 ? 0 : r->y;
	int x1 = r->x + r->w > x->w ? x->w : r->x + r->w;
	int y1 = r->y + r->h > x->h ? x->h : r->y + r->h;
	if (x1 <= x0 || y1 <= y0) {
		return 0;
	}
	int w = x1 - x0, h = y1 - y0;
	XImage *img = NULL;
	bool shared = false;
	if (x->have_shm && ensure_shm(x, (size_t)x->w * (size_t)x->h * 4)) {
		img = XShmCreateImage(x->dpy, x->visual, (unsigned)x->depth, ZPixmap,
		                      x->shm.shmaddr, &x->shm, (unsigned)w, (unsigned)h);
		if (img && !XShmGetImage(x->dpy, x->root, img, x0, y0, AllPlanes)) {
			img->data = NULL;
			XDestroyImage(img);
			img = NULL;
		}
		shared = img != NULL;
	}
	if (!img && !x->g.dead) {
		img = XGetImage(x->dpy, x->root, x0, y0, (unsigned)w, (unsigned)h, AllPlanes,
		                ZPixmap);
	}
	if (!img) {
		return x->g.dead ? -EPIPE : -EIO;
	}
	copy_image(img, dst + (size_t)(y0 - dst_y) * (size_t)dst_stride + (size_t)(x0 - dst_x) * 4,
	           dst_stride);
	if (shared) {
		img->data = NULL; /* the segment is ours, not XDestroyImage's */
	}
	XDestroyImage(img);
	kick(x);
	return 0;
}

/* ---- events ---- */

static bool fetch_damage(struct x11 *x)
{
	XDamageSubtract(x->dpy, x->damage, None, x->region);
	int n = 0;
	XRectangle bounds;
	XRectangle *r = XFixesFetchRegionAndBounds(x->dpy, x->region, &n, &bounds);
	if (!r) {
		return false;
	}
	if (n > FETCH_RECTS_MAX) {
		n = 1;
		r[0] = bounds;
	}
	for (int i = 0; i < n; i++) {
		struct cap_rect cr = {r[i].x, r[i].y, r[i].width, r[i].height};
		damage_add(&x->dmg, &cr, x->w, x->h);
	}
	XFree(r);
	return n > 0;
}

/* XFixes hands out premultiplied ARGB in unsigned longs; the interface wants
 * straight alpha in uint32, cropped to CURSOR_SIDE. */
static bool fetch_cursor(struct x11 *x)
{
	XFixesCursorImage *img = XFixesGetCursorImage(x->dpy);
	if (!img) {
		return false;
	}
	bool changed = img->x != x->cur_x || img->y != x->cur_y;
	x->cur_x = img->x;
	x->cur_y = img->y;
	if (x->shape_serial == 0 || img->cursor_serial != x->x_cursor_serial) {
		x->x_cursor_serial = img->cursor_serial;
		x->cw = img->width > CURSOR_SIDE ? CURSOR_SIDE : img->width;
		x->ch = img->height > CURSOR_SIDE ? CURSOR_SIDE : img->height;
		x->cxhot = img->xhot < x->cw ? img->xhot : (x->cw > 0 ? x->cw - 1 : 0);
		x->cyhot = img->yhot < x->ch ? img->yhot : (x->ch > 0 ? x->ch - 1 : 0);
		bool any = false;
		for (int y = 0; y < x->ch; y++) {
			for (int xx = 0; xx < x->cw; xx++) {
				uint32_t p = (uint32_t)img->pixels[y * img->width + xx];
				uint32_t a = p >> 24;
				if (a != 0 && a != 255) {
					uint32_t rr = ((p >> 16) & 0xff) * 255 / a;
					uint32_t gg = ((p >> 8) & 0xff) * 255 / a;
					uint32_t bb = (p & 0xff) * 255 / a;
					p = a << 24 | (rr > 255 ? 255 : rr) << 16 |
					    (gg > 255 ? 255 : gg) << 8 | (bb > 255 ? 255 : bb);
				}
				x->argb[y * x->cw + xx] = p;
				any = any || a != 0;
			}
		}
		/* Applications hide the pointer with an empty cursor. */
		x->cur_visible = any;
		x->shape_serial++;
		changed = true;
	}
	XFree(img);
	return changed;
}

static bool query_pointer(struct x11 *x)
{
	Window root_ret, child;
	int rx, ry, wx, wy;
	unsigned int mask;
	if (!XQueryPointer(x->dpy, x->root, &root_ret, &child, &rx, &ry, &wx, &wy, &mask)) {
		return false; /* on another screen */
	}
	bool changed = rx != x->cur_x || ry != x->cur_y;
	x->cur_x = rx;
	x->cur_y = ry;
	return changed;
}

static void load_keymap(struct x11 *x)
{
	int n = x->max_kc - x->min_kc + 1, per = 0;
	KeySym *map = XGetKeyboardMapping(x->dpy, (KeyCode)x->min_kc, n, &per);
	if (!map) {
		return;
	}
	if (x->keymap) {
		XFree(x->keymap);
	}
	x->keymap = map;
	x->per_kc = per;
}

static int x11_process(struct capture *c)
{
	struct x11 *x = x11_of(c);
	if (x->g.dead) {
		return -EPIPE;
	}
	util_wake_drain(x->evfd);
	bool changed = false;
	for (int round = 0; round < 8 && !x->g.dead; round++) {
		bool damaged = false, shape = false, moved = false, keys = false;
		while (!x->g.dead && XPending(x->dpy) > 0) {
			XEvent ev;
			XNextEvent(x->dpy, &ev);
			if (ev.type == x->damage_event + XDamageNotify) {
				damaged = true;
			} else if (ev.type == x->fixes_event + XFixesCursorNotify) {
				shape = true;
			} else if (ev.type == GenericEvent &&
			           ev.xcookie.extension == x->xi_opcode) {
				moved = true;
			} else if (ev.type == ConfigureNotify && ev.xconfigure.window == x->root) {
				if (ev.xconfigure.width != x->w || ev.xconfigure.height != x->h) {
					x->w = ev.xconfigure.width;
					x->h = ev.xconfigure.height;
					damage_full(&x->dmg, x->w, x->h);
					changed = true;
				}
			} else if (ev.type == MappingNotify) {
				XRefreshKeyboardMapping(&ev.xmapping);
				keys = keys || ev.xmapping.request == MappingKeyboard;
			} else if (x->tree && wintree_event(x->tree, &ev)) {
				changed = true;
			}
		}
		if (damaged) {
			changed = fetch_damage(x) || changed;
		}
		if (shape) {
			changed = fetch_cursor(x) || changed; /* the image carries the position */
		} else if (moved || damaged) {
			/* Raw motion covers devices (and XTest), not XWarpPointer nor
			 * servers without XInput2: those moves are picked up with the
			 * next screen change, when we are awake anyway. */
			changed = query_pointer(x) || changed;
		}
		if (keys) {
			load_keymap(x);
		}
		if (x->g.dead || XEventsQueued(x->dpy, QueuedAfterReading) == 0) {
			break;
		}
	}
	if (x->g.dead) {
		return -EPIPE;
	}
	kick(x); /* round limit reached: come back rather than starve the caller */
	return changed ? 1 : 0;
}

/* ---- input ---- */

/* RDP sends PC/AT set 1 scancodes; the X server's evdev key code is the
 * Linux key code plus 8. */
static int scancode_to_keycode(int code)
{
	int key = scancode_to_evdev(code);
	return key < 0 ? -1 : key + 8;
}

static KeySym keysym_for(int cp)
{
	switch (cp) {
	case 0x08:
		return XK_BackSpace;
	case 0x09:
		return XK_Tab;
	case 0x0a:
	case 0x0d:
		return XK_Return;
	case 0x1b:
		return XK_Escape;
	case 0x7f:
		return XK_Delete;
	default:
		break;
	}
	if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0)) {
		return NoSymbol;
	}
	/* Latin-1 keysyms are the code points; the rest live at 0x01000000 + U. */
	return cp <= 0xff ? (KeySym)cp : (KeySym)(0x01000000 | cp);
}

/* A key producing ks, from the current map (level 1 or Shift level 2), or a
 * spare (empty) key code remapped to ks. Spares are used round-robin so a
 * mapping stays put while the application still handles the previous
 * character. */
static int key_for(struct x11 *x, KeySym ks, bool *shift)
{
	int n = x->max_kc - x->min_kc + 1;
	for (int i = 0; x->keymap && i < n; i++) {
		const KeySym *row = &x->keymap[i * x->per_kc];
		if (row[0] == ks || (x->per_kc > 1 && row[1] == ks)) {
			*shift = row[0] != ks;
			return x->min_kc + i;
		}
	}
	if (x->n_spare == 0 || !x->keymap) {
		return -1;
	}
	int kc = x->spare[x->next_spare];
	x->next_spare = (x->next_spare + 1) % x->n_spare;
	KeySym syms[2] = {ks, ks};
	XChangeKeyboardMapping(x->dpy, kc, 2, syms, 1);
	KeySym *row = &x->keymap[(kc - x->min_kc) * x->per_kc];
	for (int i = 0; i < x->per_kc; i++) {
		row[i] = i < 2 ? ks : NoSymbol;
	}
	x->spare_used = true;
	*shift = false;
	return kc;
}

/* Keys bound to nothing, from the top of the range where nobody looks. */
static void find_spares(struct x11 *x)
{
	int n = x->max_kc - x->min_kc + 1;
	for (int i = n - 1; x->keymap && i >= 0 && x->n_spare < MAX_SPARE; i--) {
		bool empty = true;
		for (int k = 0; k < x->per_kc; k++) {
			empty = empty && x->keymap[i * x->per_kc + k] == NoSymbol;
		}
		if (empty) {
			x->spare[x->n_spare++] = x->min_kc + i;
		}
	}
}

/* A Unicode key types its character at once (press and release on "down");
 * "up" is ignored, since the key that produced it may have been remapped. */
static int inject_unicode(struct x11 *x, const struct cap_input *in)
{
	int cp = scancode_utf16_join(&x->high_surrogate[in->down ? 1 : 0], in->code);
	if (cp == 0 || !in->down) {
		return 0;
	}
	KeySym ks = keysym_for(cp);
	if (ks == NoSymbol) {
		return 0;
	}
	bool shift = false;
	int kc = key_for(x, ks, &shift);
	if (kc < 0) {
		return -ENOTSUP;
	}
	KeyCode shift_kc = XKeysymToKeycode(x->dpy, XK_Shift_L);
	if (shift && shift_kc) {
		XTestFakeKeyEvent(x->dpy, shift_kc, True, CurrentTime);
	}
	XTestFakeKeyEvent(x->dpy, (unsigned)kc, True, CurrentTime);
	XTestFakeKeyEvent(x->dpy, (unsigned)kc, False, CurrentTime);
	if (shift && shift_kc) {
		XTestFakeKeyEvent(x->dpy, shift_kc, False, CurrentTime);
	}
	return 0;
}

static void move_to(struct x11 *x, int px, int py)
{
	px = px < 0 ? 0 : (px >= x->w ? x->w - 1 : px);
	py = py < 0 ? 0 : (py >= x->h ? x->h - 1 : py);
	XTestFakeMotionEvent(x->dpy, -1, px, py, CurrentTime);
}

static int inject_wheel(struct x11 *x, const struct cap_input *in)
{
	int axis = in->code ? 1 : 0;
	long acc = (long)x->wheel[axis] + in->amount;
	/* Whole notches become clicks; fractions wait for the next event. */
	if (acc > 120 * 20) {
		acc = 120 * 20;
	} else if (acc < -120 * 20) {
		acc = -120 * 20;
	}
	while (acc >= 120 || acc <= -120) {
		unsigned button = axis == 0 ? (acc > 0 ? 4 : 5) : (acc > 0 ? 7 : 6);
		XTestFakeButtonEvent(x->dpy, button, True, CurrentTime);
		XTestFakeButtonEvent(x->dpy, button, False, CurrentTime);
		acc += acc > 0 ? -120 : 120;
	}
	x->wheel[axis] = (int)acc;
	return 0;
}

static int x11_inject(struct capture *c, const struct cap_input *in)
{
	struct x11 *x = x11_of(c);
	if (x->g.dead) {
		return -EPIPE;
	}
	if (!x->have_xtest) {
		return -ENOTSUP;
	}
	int ret = 0;
	switch (in->kind) {
	case CAP_INPUT_KEY_SCANCODE: {
		int kc = scancode_to_keycode(in->code);
		if (kc < x->min_kc || kc > x->max_kc) {
			return -EINVAL;
		}
		XTestFakeKeyEvent(x->dpy, (unsigned)kc, in->down, CurrentTime);
		break;
	}
	case CAP_INPUT_KEY_UNICODE:
		ret = inject_unicode(x, in);
		break;
	case CAP_INPUT_MOTION:
		move_to(x, in->x, in->y);
		break;
	case CAP_INPUT_BUTTON:
		if (!(in->code >= 1 && in->code <= 3) && in->code != 8 && in->code != 9) {
			return -EINVAL;
		}
		move_to(x, in->x, in->y);
		XTestFakeButtonEvent(x->dpy, (unsigned)in->code, in->down, CurrentTime);
		break;
	case CAP_INPUT_WHEEL:
		ret = inject_wheel(x, in);
		break;
	default:
		return -EINVAL;
	}
	XFlush(x->dpy);
	kick(x);
	return x->g.dead ? -EPIPE : ret;
}

/* ---- the rest of the interface ---- */

static int x11_fd(struct capture *c)
{
	return x11_of(c)->epfd;
}

static int x11_take_damage(struct capture *c, struct cap_rect *out, int max)
{
	return damage_take(&x11_of(c)->dmg, out, max);
}

static void x11_size(struct capture *c, int *w, int *h)
{
	*w = x11_of(c)->w;
	*h = x11_of(c)->h;
}

static int x11_cursor(struct capture *c, struct cap_cursor *out)
{
	struct x11 *x = x11_of(c);
	if (x->g.dead) {
		return -EPIPE;
	}
	out->x = x->cur_x;
	out->y = x->cur_y;
	out->visible = x->cur_visible;
	out->shape_serial = x->shape_serial;
	out->width = x->cw;
	out->height = x->ch;
	out->xhot = x->cxhot;
	out->yhot = x->cyhot;
	out->argb = x->shape_serial ? x->argb : NULL;
	return 0;
}

static int x11_windows(struct capture *c, const struct cap_window **out, uint64_t *serial)
{
	struct x11 *x = x11_of(c);
	if (!x->tree) {
		*out = NULL;
		*serial = 0;
		return 0;
	}
	return wintree_list(x->tree, out, serial);
}

static int x11_raise(struct capture *c, uint32_t id)
{
	struct x11 *x = x11_of(c);
	if (x->g.dead) {
		return -EPIPE;
	}
	int r = x->tree ? wintree_raise(x->tree, id) : -ENOENT;
	kick(x);
	return r;
}

static int x11_focus(struct capture *c, uint32_t *id)
{
	struct x11 *x = x11_of(c);
	if (x->g.dead || !x->tree) {
		return -EPIPE;
	}
	int r = wintree_focus(x->tree, id);
	kick(x);
	return r;
}

static void x11_destroy(struct capture *c)
{
	struct x11 *x = x11_of(c);
	if (!x) {
		return;
	}
	wintree_free(x->tree);
	if (x->dpy) {
		if (!x->g.dead) {
			if (x->spare_used) {
				/* Give the borrowed key codes back their emptiness. */
				KeySym none[2] = {NoSymbol, NoSymbol};
				for (int i = 0; i < x->n_spare; i++) {
					XChangeKeyboardMapping(x->dpy, x->spare[i], 2, none, 1);
				}
			}
			if (x->damage) {
				XDamageDestroy(x->dpy, x->damage);
			}
			if (x->region) {
				XFixesDestroyRegion(x->dpy, x->region);
			}
		}
		release_shm(x);
		if (x->keymap) {
			XFree(x->keymap);
		}
		if (!x->g.dead) {
			XCloseDisplay(x->dpy);
		} else {
			/* When the I/O error struck another thread in the middle of
			 * a read, Xlib still waits for that reader, and
			 * XCloseDisplay would wait forever. The server is gone:
			 * close the socket and leave the Display's memory be. */
			close(ConnectionNumber(x->dpy));
		}
	}
	if (x->epfd >= 0) {
		close(x->epfd);
	}
	if (x->evfd >= 0) {
		close(x->evfd);
	}
	free(x);
}

static const struct capture_ops x11_ops = {
    .fd = x11_fd,
    .process = x11_process,
    .take_damage = x11_take_damage,
    .grab = x11_grab,
    .size = x11_size,
    .cursor = x11_cursor,
    .inject = x11_inject,
    .windows = x11_windows,
    .raise = x11_raise,
    .focus = x11_focus,
    .destroy = x11_destroy,
};

static void select_xi_motion(struct x11 *x)
{
	int event, error, major = 2, minor = 2;
	if (!XQueryExtension(x->dpy, "XInputExtension", &x->xi_opcode, &event, &error) ||
	    XIQueryVersion(x->dpy, &major, &minor) != Success) {
		return;
	}
	unsigned char bits[XIMaskLen(XI_LASTEVENT)] = {0};
	XIEventMask mask = {XIAllMasterDevices, (int)sizeof(bits), bits};
	XISetMask(bits, XI_RawMotion);
	XISelectEvents(x->dpy, x->root, &mask, 1);
	x->have_xi = true;
}

static int setup(struct x11 *x)
{
	int event, error, major, minor;
	int screen = DefaultScreen(x->dpy);
	x->root = RootWindow(x->dpy, screen);
	x->visual = DefaultVisual(x->dpy, screen);
	x->depth = DefaultDepth(x->dpy, screen);
	x->w = DisplayWidth(x->dpy, screen);
	x->h = DisplayHeight(x->dpy, screen);

	int damage_opcode, fixes_opcode;
	if (!XDamageQueryExtension(x->dpy, &x->damage_event, &error) ||
	    !XFixesQueryExtension(x->dpy, &x->fixes_event, &error) ||
	    !XQueryExtension(x->dpy, "DAMAGE", &damage_opcode, &event, &error) ||
	    !XQueryExtension(x->dpy, "XFIXES", &fixes_opcode, &event, &error)) {
		return -ENOTSUP;
	}
	major = 2;
	minor = 0;
	if (!XFixesQueryVersion(x->dpy, &major, &minor) || major < 2) {
		return -ENOTSUP; /* regions need XFixes 2 */
	}
	x->damage = XDamageCreate(x->dpy, x->root, XDamageReportNonEmpty);
	x->region = XFixesCreateRegion(x->dpy, NULL, 0);
	/* The server reports the whole root as damaged on creation; our own
	 * first full damage below already covers that. */
	XDamageSubtract(x->dpy, x->damage, None, None);
	XFixesSelectCursorInput(x->dpy, x->root, XFixesDisplayCursorNotifyMask);
	/* RandR resizes, and the top-level windows for the application filter */
	XSelectInput(x->dpy, x->root, StructureNotifyMask | SubstructureNotifyMask);
	select_xi_motion(x);

	x->have_shm = XShmQueryExtension(x->dpy) &&
	              XQueryExtension(x->dpy, "MIT-SHM", &x->shm_opcode, &event, &error);
	x->have_xtest = XTestQueryExtension(x->dpy, &event, &error, &major, &minor);
	XDisplayKeycodes(x->dpy, &x->min_kc, &x->max_kc);
	load_keymap(x);
	find_spares(x);

	x->tree = wintree_new(x->dpy, x->root);
	if (!x->tree) {
		return -ENOMEM;
	}
	x->cur_visible = true;
	fetch_cursor(x);
	query_pointer(x);
	if (x->have_shm) {
		ensure_shm(x, (size_t)x->w * (size_t)x->h * 4);
	}
	XSync(x->dpy, False);
	if (x->g.dead) {
		return -EPIPE;
	}
	if (x->g.err_code &&
	    (x->g.err_request == damage_opcode || x->g.err_request == fixes_opcode)) {
		return -ENOTSUP; /* damage tracking could not be set up */
	}
	x->g.err_code = 0;
	damage_full(&x->dmg, x->w, x->h); /* a new consumer needs everything */
	return 0;
}

static int make_fds(struct x11 *x)
{
	x->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (x->epfd < 0) {
		return -errno;
	}
	x->evfd = util_wake_create();
	if (x->evfd < 0) {
		return x->evfd;
	}
	struct epoll_event ev = {.events = EPOLLIN};
	ev.data.fd = ConnectionNumber(x->dpy);
	if (epoll_ctl(x->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0) {
		return -errno;
	}
	ev.data.fd = x->evfd;
	if (epoll_ctl(x->epfd, EPOLL_CTL_ADD, x->evfd, &ev) < 0) {
		return -errno;
	}
	return 0;
}

struct capture *capture_x11_open(const char *display, int *err)
{
	struct x11 *x = calloc(1, sizeof(*x));
	if (!x) {
		*err = -ENOMEM;
		return NULL;
	}
	x->base.ops = &x11_ops;
	x->epfd = -1;
	x->evfd = -1;
	x->dpy = XOpenDisplay(display);
	if (!x->dpy) {
		free(x);
		*err = -ENXIO;
		return NULL;
	}
	x->g.on_dead = ring_dead;
	x->g.ctx = x;
	int e = xguard_install(x->dpy, &x->g);
	if (e == 0) {
		e = make_fds(x);
	}
	if (e == 0) {
		e = setup(x);
	}
	if (e == 0 && XEventsQueued(x->dpy, QueuedAfterReading) > 0) {
		ring(x); /* setup's round trips may have queued events already */
	}
	if (e != 0) {
		x11_destroy(&x->base);
		*err = e;
		return NULL;
	}
	return &x->base;
}
