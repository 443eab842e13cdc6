/* Capture back-end interface.
 *
 * A back-end turns "the desktop" (an X server, the built-in demo desktop, later a
 * PipeWire stream) into damage rectangles, pixels and a cursor. It knows nothing
 * of RDP or of the session: the engine thread owns one back-end, polls its fd,
 * calls process() when it is readable (or on a timer), takes the accumulated
 * damage and grabs just those pixels. Every function is called from the engine
 * thread only, so back-ends need no locking.
 *
 * Pixels are always 32-bit little-endian BGRX (blue in byte 0), which is
 * FreeRDP's PIXEL_FORMAT_BGRX32 and X11's usual TrueColor ZPixmap layout.
 */
#ifndef RDPSHARE_CAPTURE_H
#define RDPSHARE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cap_rect {
	int x, y, w, h;
};

/* Cursor state. The shape is only valid when shape_serial changed since the
 * last call; argb is owned by the back-end and valid until the next call. */
struct cap_cursor {
	int x, y; /* hot-spot position in desktop coordinates */
	bool visible;
	unsigned long shape_serial; /* changes whenever the shape changes */
	int width, height;          /* shape size, at most 96x96 (larger shapes are cropped) */
	int xhot, yhot;
	const uint32_t *argb; /* width*height ARGB32 pixels, straight (not premultiplied)
	                       * alpha; NULL until the back-end knows a shape */
};

/* Input an interactive attendee sends (back-ends that cannot inject return
 * -ENOTSUP; one that cannot take more now, -EAGAIN: the engine keeps the
 * event and tries again). */
enum cap_input_kind {
	CAP_INPUT_KEY_SCANCODE, /* code = RDP scancode (with 0x100 for extended), down */
	CAP_INPUT_KEY_UNICODE,  /* code = code point (or a UTF-16 code unit), down */
	CAP_INPUT_MOTION,       /* x, y in desktop coordinates */
	CAP_INPUT_BUTTON,       /* code = 1 left, 2 middle, 3 right, 8/9 extra; x, y; down */
	CAP_INPUT_WHEEL, /* code = 0 vertical, 1 horizontal; amount (+ = up/right) in notches*120 */
};

struct cap_input {
	enum cap_input_kind kind;
	int code;
	int x, y;
	bool down;
	int amount;
};

/* A top-level window as the back-end sees it, for the application filter.
 * Applications are grouped by the back-end: app is the process id where it
 * is known, else a synthetic id at or above CAP_APP_SYNTHETIC (one per
 * client connection). */
#define CAP_APP_SYNTHETIC 0x40000000u
#define CAP_NAME_MAX 64
#define CAP_TITLE_MAX 256
struct cap_window {
	uint32_t id;    /* the application's own window (X: the client window) */
	uint32_t app;   /* application id (see above) */
	uint32_t owner; /* transient-for window id, 0 for none */
	int x, y, w, h; /* desktop coordinates, border included */
	bool viewable;  /* mapped and on screen */
	bool listed;    /* a sharable window: a normal, unowned top-level that was mapped once */
	char app_name[CAP_NAME_MAX]; /* process name, else the window class */
	char title[CAP_TITLE_MAX];   /* UTF-8 */
};

struct capture;

struct capture_ops {
	/* Descriptor that becomes readable when the back-end has something to
	 * process (X11: an epoll set of the X connection and an eventfd, since
	 * events read during grab/cursor/inject round trips would otherwise sit
	 * unseen in Xlib's queue; demo: a timerfd). Level-triggered: poll it
	 * again after every call, not only after process(). Never changes. */
	int (*fd)(struct capture *c);
	/* Drain pending back-end events (non-blocking). Returns 1 when there is
	 * new damage or cursor change, 0 when nothing changed, a negative errno
	 * when the back-end is dead (display gone): the engine reports an error. */
	int (*process)(struct capture *c);
	/* Move accumulated damage, clipped to the desktop, into out[] (at most
	 * max rectangles; a back-end with more merges them so nothing is lost).
	 * Returns the count (0: nothing damaged). */
	int (*take_damage)(struct capture *c, struct cap_rect *out, int max);
	/* Copy the desktop pixels of r into dst (BGRX32) so that desktop pixel
	 * (r->x, r->y) lands at dst + (r->y - dst_y) * dst_stride + (r->x - dst_x) * 4.
	 * r lies inside the desktop. Returns 0 or a negative errno. */
	int (*grab)(struct capture *c, const struct cap_rect *r, uint8_t *dst, int dst_stride,
	            int dst_x, int dst_y);
	/* Current desktop size in pixels. */
	void (*size)(struct capture *c, int *w, int *h);
	/* Current cursor position and shape (see struct cap_cursor). */
	int (*cursor)(struct capture *c, struct cap_cursor *out);
	/* Inject input; NULL or -ENOTSUP where the back-end cannot. */
	int (*inject)(struct capture *c, const struct cap_input *in);
	/* Top-level windows, bottom of the stack first; *out is owned by the
	 * back-end and valid until the next process(). *serial changes whenever
	 * anything in the list changed (process() then returns 1). NULL for
	 * back-ends without windows (the demo desktop). */
	int (*windows)(struct capture *c, const struct cap_window **out, uint64_t *serial);
	/* Bring window id to the front. -ENOENT for an unknown window. */
	int (*raise)(struct capture *c, uint32_t id);
	/* Where typed keys go: 0 with *id the top-level window that has the
	 * keyboard focus, 1 when they go to whatever lies under the pointer,
	 * a negative errno when nowhere. NULL where unknown. */
	int (*focus)(struct capture *c, uint32_t *id);
	/* Where windows is NULL: why, in a sentence for the user (valid while
	 * c is). NULL where the back-end's kind says it all. */
	const char *(*why_no_windows)(struct capture *c);
	void (*destroy)(struct capture *c);
};

struct capture {
	const struct capture_ops *ops;
};

/* Open the X11 back-end on display (NULL: $DISPLAY). On failure returns NULL
 * and sets *err to a negative errno (-ENXIO: no such display, -ENOTSUP: a
 * required extension is missing). */
struct capture *capture_x11_open(const char *display, int *err);
/* Can display (NULL: $DISPLAY) be opened? 0 or -ENXIO. */
int capture_x11_probe(const char *display);

/* Open the GNOME back-end: Mutter's RemoteDesktop and ScreenCast sessions on
 * the session bus from the environment, the first monitor streamed over
 * PipeWire. Returns with the first frame in hand. On failure returns NULL
 * and sets *err to a negative errno (-ENXIO: no org.gnome.Mutter.RemoteDesktop
 * / ScreenCast on the bus, -ENOTSUP: something required is missing, such as
 * PipeWire or a monitor, -ETIMEDOUT: Mutter did not answer or stream in
 * time, -ENOMEM). Windows where gnome-shell tells them (gnome_windows.c). */
struct capture *capture_gnome_open(int *err);

/* Whether Mutter's RemoteDesktop name has an owner on the session bus: a
 * cheap probe for choosing a back-end (waits at most about a second). */
bool capture_gnome_available(void);

/* The built-in demo desktop of width x height pixels, animated at fps frames a
 * second, with no X server needed. */
struct capture *capture_demo_open(int width, int height, int fps, int *err);

/* The wlroots back-end (sway and others) on the Wayland display (NULL:
 * $WAYLAND_DISPLAY; an absolute path is a socket), sharing its first output.
 * Waits for the first picture (at most 5 s). On failure returns NULL, sets
 * *err (-ENXIO: no compositor there, -ENOTSUP: no wlr-screencopy) and writes
 * a sentence for the user into why. */
struct capture *capture_wlroots_open(const char *display, char *why, size_t why_len, int *err);

/* Would capture_wlroots_open find what it needs there? 0, or its error and
 * why, without capturing anything. */
int capture_wlroots_probe(const char *display, char *why, size_t why_len);

#endif
