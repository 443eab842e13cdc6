/* rdpview: the viewer tool, built on the library's public viewer API
 * (rdpshare_viewer) alone. It joins a sharer with an invitation (connection
 * string, invitation file) or HOST:PORT, pins the sharer's certificate (the
 * invitation's KH, --kh, or a known-hosts file), and shows the desktop in an
 * X window or headless (screenshots, statistics, scripted input for tests
 * and benchmarks).
 *
 *   main.c     options, the viewer, the event loop, exit status
 *   report.c   the viewer's events: messages, --events JSON, the bridge out
 *   window.c   the X11 window: drawing, input, title
 *   script.c   timed input from --input-script
 *   input.c    keys and buttons to the viewer API, the clock
 *   framing.c  --channel's message framing on stdin
 */
#ifndef RDPVIEW_H
#define RDPVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdpshare.h"

struct rv_window;
struct rv_script;

struct rv_opts {
	const char *target;
	const char *name;
	const char *password;
	const char *kh; /* pin for HOST:PORT targets and --listen */
	bool insecure;  /* no pin and no known-hosts entry needed */
	bool headless;
	const char *screenshot;
	long frames;    /* stop after this many frames (0: no limit) */
	double seconds; /* stop after this long connected (0: no limit) */
	bool stats;
	bool events;
	int request_level; /* -1: none; else enum rdpshare_ctrl_level */
	const char *input_script;
	const char *encomsp_send_hex; /* testing aid: raw multiparty bytes to send */
	const char *listen;           /* reverse connect: wait for the sharer here */
	const char *channel;          /* a virtual channel bridged to stdin/stdout */
	bool binary;                  /* ... with 4-byte length prefixes */
	bool gfx;                     /* graphics pipeline (MS-RDPEGFX) */
	bool frame_times;             /* a JSON line per picture with its arrival time */
};

/* One viewer run. */
struct rv {
	const struct rv_opts *o;
	rdpshare_viewer *v;
	char host[300]; /* for the title */
	bool authenticated, ended, quit, requested, sent_raw;
	int status;           /* the exit status once ended */
	bool kh_mismatch;     /* some address showed another key */
	int64_t t_auth_us;    /* authenticated */
	int64_t t_first_us;   /* first picture */
	uint64_t frames_seen; /* updates counted by the frame callbacks */
	struct rv_window *win;
	struct rv_script *script;
};

int64_t rv_now_us(void);

/* report.c: the callbacks (userdata: struct rv) */
extern const struct rdpshare_viewer_callbacks rv_callbacks;

/* window.c */
struct rv_window *rv_window_new(struct rv *rv, int width, int height);
void rv_window_free(struct rv_window *w);
int rv_window_fd(struct rv_window *w);
void rv_window_resize(struct rv_window *w, int width, int height);
void rv_window_paint(struct rv_window *w, int x, int y, int width, int height);
void rv_window_title(struct rv_window *w);
/* Handle pending X events (input to the sharer, shortcuts). */
void rv_window_events(struct rv_window *w);

/* script.c */
struct rv_script *rv_script_load(const char *path, int *err_line);
void rv_script_free(struct rv_script *s);
/* Run the steps due at t_ms (since the first frame); returns the ms until
 * the next one, or -1 when none is left. */
int rv_script_run(struct rv_script *s, struct rv *rv, int64_t t_ms);

/* Input to the sharer, quietly dropped below INTERACTIVE (the library
 * refuses it: the sharer would drop it anyway). */
void rv_key(struct rv *rv, unsigned rdp_scancode, bool down);
void rv_button(struct rv *rv, int x11_button, bool down, int x, int y);

#endif
