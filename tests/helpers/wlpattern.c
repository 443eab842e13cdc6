/* A Wayland client for the capture tests: one fullscreen xdg-shell window
 * showing a known picture in wl_shm memory, and a log of the input it
 * receives, one line each on stdout:
 *   drawn W H            the compositor configured us and the picture is committed
 *   enter X Y / motion X Y   pointer (surface coordinates, whole pixels)
 *   button CODE STATE    evdev code, 1 pressed / 0 released
 *   axis AXIS VALUE      0 vertical / 1 horizontal, wl_fixed as a double
 *   discrete AXIS STEPS  wheel notches (positive: down / right)
 *   key CODE STATE SYM   evdev code, state, keysym name (xkbcommon)
 *   focus                the keyboard entered our surface
 *   seat [pointer] [keyboard]   the seat's devices changed
 *
 * The picture: eight vertical bars of equal width (bar i covers
 * x * 8 / W == i), colours in bars[] below; bar 0 is 0x12c034, which tells
 * swapped channels apart. SIGUSR1 switches to the second picture: the same
 * bars with a 0xc03412 box at (W/4, H/4) of size W/4 x H/4 on top, and
 * prints "drawn2". SIGHUP commits the same picture again ("redrawn"): Mutter
 * 43 sometimes never streams the last frame of a window's opening
 * animation, and a new commit gives it one. SIGUSR2 hides the pointer (wl_pointer.set_cursor with
 * no surface, now and at every later enter) and prints "hidden".
 *
 *   wlpattern              (WAYLAND_DISPLAY and XDG_RUNTIME_DIR from the environment)
 *
 * Workloads for the benchmarks (bench/vs_shadow.sh on GNOME):
 *   wlpattern anim FPS     every pixel changes FPS times a second
 *   wlpattern typing CPS   a 7x13 block is "typed" CPS times a second along the
 *                          bottom line (wrapping, then starting over), and
 *                          "typed t_us=T" (CLOCK_MONOTONIC) printed once the
 *                          compositor has the commit (a round trip)
 *
 * A window among others (application filter tests on GNOME Shell):
 *   wlpattern window W H RRGGBB TITLE APPID
 *                          a normal (not fullscreen) toplevel of W x H, or of
 *                          the size the compositor configures, with that
 *                          title and app id, filled with the one colour;
 *                          "drawn W H" once the compositor has the commit (a
 *                          round trip), again at each new size; SIGUSR1 puts
 *                          the box on it as above; the same input log */
#include <errno.h>
#include <time.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "xdg-shell-client.h"

static const uint32_t bars[8] = {0x12c034, 0xff0000, 0x00ff00, 0x0000ff,
                                 0xffffff, 0x000000, 0xffff00, 0x00ffff};
#define BOX_COLOR 0xc03412u

struct app {
	struct wl_display *dpy;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm;
	struct wl_seat *seat;
	struct wl_pointer *pointer;
	struct wl_keyboard *keyboard;
	struct wl_surface *surface;
	struct xdg_surface *xsurface;
	struct xdg_toplevel *toplevel;
	int w, h; /* configured size */
	int drawn_w, drawn_h, drawn_pattern;
	bool configured;
	int pattern;    /* 1 or 2 */
	int mode;       /* 0 still, 1 anim, 2 typing, 3 window */
	int rate;       /* frames or characters a second */
	int frame;      /* anim: frames drawn; typing: characters typed */
	uint32_t color; /* window: the fill */
	bool announce;  /* window: print "drawn" once the compositor has the commit */
	uint32_t enter_serial;
	bool hide_cursor;
	struct xkb_context *xkb;
	struct xkb_keymap *keymap;
	struct xkb_state *state;
};

static volatile sig_atomic_t want_pattern2, want_hide, want_redraw;

static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		want_pattern2 = 1;
	} else if (sig == SIGHUP) {
		want_redraw = 1;
	} else {
		want_hide = 1;
	}
}

#define GLYPH_W 8
#define GLYPH_H 14

static uint32_t pixel(const struct app *a, int pattern, int x, int y)
{
	if (a->mode == 1) {
		unsigned v = (unsigned)(x * 3 + y * 5 + a->frame * 7);
		return (v & 0xff) << 16 | ((v >> 1) & 0xff) << 8 | ((v >> 2) & 0xff);
	}
	if (a->mode == 2 && y >= a->h - 2 * GLYPH_H && y < a->h - GLYPH_H && x % GLYPH_W != 7 &&
	    y != a->h - GLYPH_H - 1) {
		int cols = a->w / GLYPH_W, n = a->frame % (cols > 0 ? cols : 1);
		if (x / GLYPH_W < n) {
			return 0xe0e0e0;
		}
	}
	if (pattern == 2 && x >= a->w / 4 && x < a->w / 4 + a->w / 4 && y >= a->h / 4 &&
	    y < a->h / 4 + a->h / 4) {
		return BOX_COLOR;
	}
	if (a->mode == 3) {
		return a->color;
	}
	return bars[x * 8 / a->w];
}

static void buffer_release(void *data, struct wl_buffer *b)
{
	(void)data;
	wl_buffer_destroy(b);
}

static const struct wl_buffer_listener buffer_listener = {buffer_release};

static struct wl_buffer *make_buffer(struct app *a, int w, int h, uint32_t format,
                                     uint32_t (*fill)(const struct app *, int, int))
{
	int stride = w * 4;
	size_t size = (size_t)stride * (size_t)h;
	int fd = memfd_create("wlpattern", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		return NULL;
	}
	uint32_t *px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (px == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			px[y * w + x] = fill(a, x, y);
		}
	}
	munmap(px, size);
	struct wl_shm_pool *pool = wl_shm_create_pool(a->shm, fd, (int32_t)size);
	struct wl_buffer *b = wl_shm_pool_create_buffer(pool, 0, w, h, stride, format);
	wl_shm_pool_destroy(pool);
	close(fd);
	return b;
}

static uint32_t window_pixel(const struct app *a, int x, int y)
{
	return 0xff000000u | pixel(a, a->pattern, x, y);
}

/* The picture in a new buffer, attached and committed. */
static int draw(struct app *a)
{
	struct wl_buffer *b = make_buffer(a, a->w, a->h, WL_SHM_FORMAT_XRGB8888, window_pixel);
	if (!b) {
		return -1;
	}
	wl_buffer_add_listener(b, &buffer_listener, a);
	wl_surface_attach(a->surface, b, 0, 0);
	if (a->mode == 2 && a->drawn_w == a->w && a->drawn_h == a->h) {
		/* typing: only the new character changed */
		int cols = a->w / GLYPH_W > 0 ? a->w / GLYPH_W : 1;
		int col = (a->frame - 1 + cols) % cols;
		wl_surface_damage_buffer(a->surface, col == cols - 1 ? 0 : col * GLYPH_W,
		                         a->h - 2 * GLYPH_H, col == cols - 1 ? a->w : GLYPH_W,
		                         GLYPH_H);
	} else {
		wl_surface_damage_buffer(a->surface, 0, 0, a->w, a->h);
	}
	wl_surface_commit(a->surface);
	a->drawn_w = a->w;
	a->drawn_h = a->h;
	a->drawn_pattern = a->pattern;
	return 0;
}

static void wm_ping(void *data, struct xdg_wm_base *wm, uint32_t serial)
{
	(void)data;
	xdg_wm_base_pong(wm, serial);
}

static const struct xdg_wm_base_listener wm_listener = {wm_ping};

static void xsurface_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	struct app *a = data;
	xdg_surface_ack_configure(s, serial);
	a->configured = true;
	if (a->drawn_w != a->w || a->drawn_h != a->h || a->drawn_pattern != a->pattern) {
		if (draw(a) == 0) {
			if (a->mode == 3) {
				a->announce = true; /* after a round trip, in main */
			} else {
				printf("drawn %d %d\n", a->w, a->h);
			}
		}
	} else {
		wl_surface_commit(a->surface);
	}
}

static const struct xdg_surface_listener xsurface_listener = {xsurface_configure};

static void toplevel_configure(void *data, struct xdg_toplevel *t, int32_t w, int32_t h,
                               struct wl_array *states)
{
	(void)t;
	(void)states;
	struct app *a = data;
	if (w > 0 && h > 0) {
		a->w = w;
		a->h = h;
	}
}

static void toplevel_close(void *data, struct xdg_toplevel *t)
{
	(void)data;
	(void)t;
	exit(0);
}

static const struct xdg_toplevel_listener toplevel_listener = {toplevel_configure, toplevel_close};

/* ---- input ---- */

static void apply_cursor(struct app *a)
{
	if (a->hide_cursor && a->pointer && a->enter_serial) {
		wl_pointer_set_cursor(a->pointer, a->enter_serial, NULL, 0, 0);
	}
}

static void p_enter(void *data, struct wl_pointer *p, uint32_t serial, struct wl_surface *s,
                    wl_fixed_t x, wl_fixed_t y)
{
	(void)p;
	(void)s;
	struct app *a = data;
	a->enter_serial = serial;
	apply_cursor(a);
	printf("enter %d %d\n", wl_fixed_to_int(x), wl_fixed_to_int(y));
}

static void p_leave(void *data, struct wl_pointer *p, uint32_t serial, struct wl_surface *s)
{
	(void)data;
	(void)p;
	(void)serial;
	(void)s;
	printf("leave\n");
}

static void p_motion(void *data, struct wl_pointer *p, uint32_t time, wl_fixed_t x, wl_fixed_t y)
{
	(void)data;
	(void)p;
	(void)time;
	printf("motion %d %d\n", wl_fixed_to_int(x), wl_fixed_to_int(y));
}

static void p_button(void *data, struct wl_pointer *p, uint32_t serial, uint32_t time,
                     uint32_t button, uint32_t state)
{
	(void)data;
	(void)p;
	(void)serial;
	(void)time;
	printf("button %u %u\n", button, state);
}

static void p_axis(void *data, struct wl_pointer *p, uint32_t time, uint32_t axis, wl_fixed_t value)
{
	(void)data;
	(void)p;
	(void)time;
	printf("axis %u %.2f\n", axis, wl_fixed_to_double(value));
}

static void p_frame(void *data, struct wl_pointer *p)
{
	(void)data;
	(void)p;
}

static void p_axis_source(void *data, struct wl_pointer *p, uint32_t source)
{
	(void)data;
	(void)p;
	(void)source;
}

static void p_axis_stop(void *data, struct wl_pointer *p, uint32_t time, uint32_t axis)
{
	(void)data;
	(void)p;
	(void)time;
	(void)axis;
}

static void p_axis_discrete(void *data, struct wl_pointer *p, uint32_t axis, int32_t steps)
{
	(void)data;
	(void)p;
	printf("discrete %u %d\n", axis, steps);
}

static const struct wl_pointer_listener pointer_listener = {
    p_enter, p_leave,       p_motion,    p_button,       p_axis,
    p_frame, p_axis_source, p_axis_stop, p_axis_discrete};

static void k_keymap(void *data, struct wl_keyboard *k, uint32_t format, int32_t fd, uint32_t size)
{
	(void)k;
	struct app *a = data;
	if (format != WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1) {
		close(fd);
		return;
	}
	char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		return;
	}
	struct xkb_keymap *km = xkb_keymap_new_from_string(a->xkb, map, XKB_KEYMAP_FORMAT_TEXT_V1,
	                                                   XKB_KEYMAP_COMPILE_NO_FLAGS);
	munmap(map, size);
	if (!km) {
		return;
	}
	xkb_state_unref(a->state);
	xkb_keymap_unref(a->keymap);
	a->keymap = km;
	a->state = xkb_state_new(km);
}

static void k_enter(void *data, struct wl_keyboard *k, uint32_t serial, struct wl_surface *s,
                    struct wl_array *keys)
{
	(void)data;
	(void)k;
	(void)serial;
	(void)s;
	(void)keys;
	printf("focus\n");
}

static void k_leave(void *data, struct wl_keyboard *k, uint32_t serial, struct wl_surface *s)
{
	(void)data;
	(void)k;
	(void)serial;
	(void)s;
}

static void k_key(void *data, struct wl_keyboard *k, uint32_t serial, uint32_t time, uint32_t key,
                  uint32_t state)
{
	(void)k;
	(void)serial;
	(void)time;
	struct app *a = data;
	char name[64] = "?";
	if (a->state) {
		xkb_keysym_t sym = xkb_state_key_get_one_sym(a->state, key + 8);
		xkb_keysym_get_name(sym, name, sizeof(name));
	}
	printf("key %u %u %s\n", key, state, name);
}

static void k_modifiers(void *data, struct wl_keyboard *k, uint32_t serial, uint32_t depressed,
                        uint32_t latched, uint32_t locked, uint32_t group)
{
	(void)k;
	(void)serial;
	struct app *a = data;
	if (a->state) {
		xkb_state_update_mask(a->state, depressed, latched, locked, 0, 0, group);
	}
}

static void k_repeat(void *data, struct wl_keyboard *k, int32_t rate, int32_t delay)
{
	(void)data;
	(void)k;
	(void)rate;
	(void)delay;
}

static const struct wl_keyboard_listener keyboard_listener = {k_keymap, k_enter,     k_leave,
                                                              k_key,    k_modifiers, k_repeat};

static void seat_caps(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct app *a = data;
	printf("seat%s%s\n", caps & WL_SEAT_CAPABILITY_POINTER ? " pointer" : "",
	       caps & WL_SEAT_CAPABILITY_KEYBOARD ? " keyboard" : "");
	/* Mutter's virtual devices come and go with each remote desktop
	 * session: a device that went away is released, and taken anew when
	 * it comes back (the old object would never see input again). */
	if ((caps & WL_SEAT_CAPABILITY_POINTER) && !a->pointer) {
		a->pointer = wl_seat_get_pointer(seat);
		wl_pointer_add_listener(a->pointer, &pointer_listener, a);
	} else if (!(caps & WL_SEAT_CAPABILITY_POINTER) && a->pointer) {
		wl_pointer_release(a->pointer);
		a->pointer = NULL;
		a->enter_serial = 0;
	}
	if ((caps & WL_SEAT_CAPABILITY_KEYBOARD) && !a->keyboard) {
		a->keyboard = wl_seat_get_keyboard(seat);
		wl_keyboard_add_listener(a->keyboard, &keyboard_listener, a);
	} else if (!(caps & WL_SEAT_CAPABILITY_KEYBOARD) && a->keyboard) {
		wl_keyboard_release(a->keyboard);
		a->keyboard = NULL;
	}
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
	(void)data;
	(void)seat;
	(void)name;
}

static const struct wl_seat_listener seat_listener = {seat_caps, seat_name};

static void global(void *data, struct wl_registry *r, uint32_t name, const char *iface,
                   uint32_t version)
{
	struct app *a = data;
	if (strcmp(iface, wl_compositor_interface.name) == 0) {
		a->compositor = wl_registry_bind(r, name, &wl_compositor_interface, 4);
	} else if (strcmp(iface, wl_shm_interface.name) == 0) {
		a->shm = wl_registry_bind(r, name, &wl_shm_interface, 1);
	} else if (strcmp(iface, xdg_wm_base_interface.name) == 0) {
		a->wm = wl_registry_bind(r, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(a->wm, &wm_listener, a);
	} else if (strcmp(iface, wl_seat_interface.name) == 0 && !a->seat) {
		a->seat = wl_registry_bind(r, name, &wl_seat_interface, version < 5 ? version : 5);
		wl_seat_add_listener(a->seat, &seat_listener, a);
	}
}

static void global_remove(void *data, struct wl_registry *r, uint32_t name)
{
	(void)data;
	(void)r;
	(void)name;
}

static const struct wl_registry_listener registry_listener = {global, global_remove};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One step of a workload: the next picture, or one more character. */
static void step(struct app *a)
{
	a->frame++;
	if (draw(a) != 0) {
		return;
	}
	if (a->mode == 2) {
		wl_display_roundtrip(a->dpy);
		printf("typed t_us=%lld\n", (long long)now_us());
	}
}

/* "window W H RRGGBB TITLE APPID": sets the mode, size and colour. */
static int parse_window(struct app *a, char **argv)
{
	char *end;
	long w = strtol(argv[2], &end, 10);
	if (*end || w < 1 || w > 8192) {
		return -1;
	}
	long h = strtol(argv[3], &end, 10);
	if (*end || h < 1 || h > 8192) {
		return -1;
	}
	if (strlen(argv[4]) != 6 || strspn(argv[4], "0123456789abcdefABCDEF") != 6) {
		return -1;
	}
	a->mode = 3;
	a->w = (int)w;
	a->h = (int)h;
	a->color = (uint32_t)strtoul(argv[4], NULL, 16);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct app a = {.w = 640, .h = 480, .pattern = 1};
	const char *title = "wlpattern", *app_id = NULL;
	if (argc == 7 && strcmp(argv[1], "window") == 0) {
		if (parse_window(&a, argv) != 0) {
			fprintf(stderr,
			        "wlpattern: window W H RRGGBB TITLE APPID (sizes 1 to 8192)\n");
			return 2;
		}
		title = argv[5];
		app_id = argv[6];
	} else if (argc == 3 && (strcmp(argv[1], "anim") == 0 || strcmp(argv[1], "typing") == 0)) {
		a.mode = argv[1][0] == 'a' ? 1 : 2;
		a.rate = atoi(argv[2]);
		if (a.rate < 1 || a.rate > 240) {
			fprintf(stderr, "wlpattern: a rate from 1 to 240\n");
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: wlpattern [anim FPS | typing CPS | window W H RRGGBB TITLE "
		                "APPID]\n");
		return 2;
	}
	int64_t next_step = 0;
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	a.xkb = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	a.dpy = wl_display_connect(NULL);
	if (!a.dpy || !a.xkb) {
		fprintf(stderr, "wlpattern: cannot connect to the Wayland display\n");
		return 1;
	}
	struct wl_registry *reg = wl_display_get_registry(a.dpy);
	wl_registry_add_listener(reg, &registry_listener, &a);
	wl_display_roundtrip(a.dpy);
	if (!a.compositor || !a.shm || !a.wm) {
		fprintf(stderr, "wlpattern: missing wl_compositor, wl_shm or xdg_wm_base\n");
		return 1;
	}
	a.surface = wl_compositor_create_surface(a.compositor);
	a.xsurface = xdg_wm_base_get_xdg_surface(a.wm, a.surface);
	xdg_surface_add_listener(a.xsurface, &xsurface_listener, &a);
	a.toplevel = xdg_surface_get_toplevel(a.xsurface);
	xdg_toplevel_add_listener(a.toplevel, &toplevel_listener, &a);
	xdg_toplevel_set_title(a.toplevel, title);
	if (app_id) {
		xdg_toplevel_set_app_id(a.toplevel, app_id);
	}
	if (a.mode != 3) {
		xdg_toplevel_set_fullscreen(a.toplevel, NULL);
	}
	wl_surface_commit(a.surface);

	struct pollfd p = {wl_display_get_fd(a.dpy), POLLIN, 0};
	for (;;) {
		/* a workload's step, while no read is prepared (a round trip) */
		int timeout = 100;
		if (a.announce) {
			/* the compositor has the window's picture once this returns */
			a.announce = false;
			if (wl_display_roundtrip(a.dpy) < 0) {
				return 0;
			}
			printf("drawn %d %d\n", a.drawn_w, a.drawn_h);
		}
		if (a.mode && a.mode != 3 && a.configured) {
			int64_t now = now_us();
			if (next_step == 0 || now >= next_step) {
				step(&a);
				next_step = (next_step == 0 ? now : next_step) + 1000000 / a.rate;
				if (next_step < now) {
					next_step = now; /* fell behind: no burst to catch up */
				}
			}
			timeout = (int)((next_step - now_us()) / 1000) + 1;
			timeout = timeout < 0 ? 0 : timeout;
		}
		while (wl_display_prepare_read(a.dpy) != 0) {
			wl_display_dispatch_pending(a.dpy);
		}
		wl_display_flush(a.dpy);
		int r = poll(&p, 1, timeout);
		if (r > 0) {
			if (wl_display_read_events(a.dpy) < 0) {
				return 0; /* the compositor went away */
			}
		} else {
			wl_display_cancel_read(a.dpy);
			if (r < 0 && errno != EINTR) {
				return 1;
			}
		}
		if (wl_display_dispatch_pending(a.dpy) < 0) {
			return 0;
		}
		if (want_pattern2 && a.configured) {
			want_pattern2 = 0;
			a.pattern = 2;
			if (draw(&a) == 0) {
				printf("drawn2\n");
			}
		}
		if (want_redraw && a.configured) {
			want_redraw = 0;
			if (draw(&a) == 0) {
				printf("redrawn\n");
			}
		}
		if (want_hide) {
			want_hide = 0;
			a.hide_cursor = true;
			apply_cursor(&a);
			printf("hidden\n");
		}
	}
}
