/* rdpview: the viewer tool. A FreeRDP client that joins a sharer with an
 * invitation (connection string, invitation file) or HOST:PORT, pins the
 * sharer's certificate (the invitation's KH, --kh, or a known-hosts file),
 * speaks the multiparty channel itself, and shows the desktop in an X window
 * or headless (screenshots, statistics, scripted input for tests and
 * benchmarks).
 *
 *   main.c     options, targets, trying each address, results
 *   client.c   the FreeRDP client: connect, pictures, the event loop
 *   mpchan.c   the multiparty channel (MS-RDPEMC) as a static channel add-in
 *   window.c   the X11 window: drawing, input, title
 *   script.c   timed input from --input-script
 *   shot.c     PNG screenshots
 */
#ifndef RDPVIEW_H
#define RDPVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <freerdp/freerdp.h>

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

/* One viewer run; the FreeRDP context points back to it. */
struct rv {
	const struct rv_opts *o;
	rdpContext *ctx;
	/* where and as whom */
	char *host; /* "|" with port = a connected socket (reverse connect) */
	int port;
	char *ticket; /* invitation auth string; NULL for a plain logon */
	/* The certificate check, in the TLS handshake, before any credential
	 * is sent: expect_kh pins (pin_from says whose it is: "of this
	 * invitation", "pinned by --kh"); else known_hosts is the file of trust on first
	 * use (util/knownhosts.h); else (--insecure) anything is accepted and
	 * its KH printed. */
	char *expect_kh;
	const char *pin_from;
	const char *known_hosts;
	bool kh_mismatch;
	/* pictures */
	uint64_t frames;
	int64_t t_connect_ms, t_first_frame_ms;
	/* multiparty state */
	void *mp_init_handle;
	uint32_t mp_open_handle;
	bool mp_open;
	uint8_t *mp_buf; /* a channel message being reassembled */
	size_t mp_len, mp_cap;
	int self_id; /* -1 until the sharer told us */
	int level;   /* ours, from the sharer; -1 unknown */
	bool requested;
	bool paused;
	int participants;
	/* outputs */
	struct rv_window *win;
	struct rv_script *script;
	bool quit;
};

/* client.c: connect to rv->host:port and run until done. Returns 0, or the
 * tool's exit status for the failure (1 error, 3 certificate, 4 refused). */
int rv_run(struct rv *rv);

/* mpchan.c */
BOOL rv_mp_load(struct rv *rv, rdpContext *ctx);
/* Ask for a level for ourselves (REQUEST_VIEW / REQUEST_INTERACT). */
void rv_mp_request(struct rv *rv, int level);
/* Send raw bytes on the channel (testing aid). */
void rv_mp_send_raw(struct rv *rv, const uint8_t *data, size_t len);

/* dvchan.c: --channel and --gfx. Settings (at pre-connect), then the
 * channels (when FreeRDP loads them). */
BOOL rv_dvc_setup(struct rv *rv, rdpContext *ctx);
BOOL rv_dvc_load(struct rv *rv, rdpContext *ctx);
/* Send one message; false while the channel is not open. Any thread. */
bool rv_dvc_send(const void *data, size_t len);

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

/* shot.c: the current desktop as PNG. Returns 0 or -errno. */
int rv_screenshot(rdpContext *ctx, const char *path);

#endif
