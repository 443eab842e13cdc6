/* The FreeRDP client behind rdpshare_viewer (viewer.c): one connection at a
 * time to a sharer, run on the caller's (the viewer's network) thread by
 * rdp_client_run, reporting upward through the listener it was given. No
 * FreeRDP type crosses this header.
 *
 *   client.c       settings, connect, pictures, the event loop, commands
 *   client_cert.c  the sharer's certificate against the pin or known-hosts
 *   client_mp.c    the multiparty channel (MS-RDPEMC) as a static add-in
 *   client_dvc.c   virtual channels and the graphics pipeline (DRDYNVC)
 *   client_input.c input commands to RDP input events
 */
#ifndef RDPSHARE_RDP_CLIENT_H
#define RDPSHARE_RDP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdpshare.h"

struct rdp_client;

#define RDP_CLIENT_MAX_CHANNELS 16
/* The largest picture a sharer may announce (each side, and in all: an 8K
 * desktop fits): every size it chooses is checked before anything is
 * allocated for it, and a sharer that asks for more is disconnected. */
#define RDP_CLIENT_MAX_SIDE 16384
#define RDP_CLIENT_MAX_PIXELS (1u << 25)
#define RDP_CLIENT_MAX_SURFACES 16

/* What every connection of this client asks for. */
struct rdp_client_options {
	bool gfx, remotefx;
	int color_depth; /* 16, 24, 32 */
	const char *channels[RDP_CLIENT_MAX_CHANNELS];
	int n_channels;
};

/* Where one connection goes and as whom. */
struct rdp_client_target {
	const char *host; /* for messages and known-hosts when fd >= 0 */
	int port;
	int fd; /* >= 0: a connected socket (reverse connect), owned from here */
	const char *name;
	const char *password;
	const char *ticket; /* an invitation's auth string: Remote Assistance logon */
	/* the certificate check, in the TLS handshake before any credential */
	const char *expect_kh;
	const char *expect_from; /* "invitation", "pinned" */
	const char *known_hosts;
	bool insecure;
};

/* Callbacks, all on the thread in rdp_client_run. */
struct rdp_client_listener {
	void *ctx;
	void (*certificate)(void *ctx, const struct rdpshare_viewer_certificate *c);
	void (*connected)(void *ctx);                   /* certificate accepted */
	void (*authenticated)(void *ctx, int w, int h); /* logon accepted, picture made */
	void (*resized)(void *ctx, int w, int h, int bpp);
	/* the picture changed in rects (the whole buffer is passed) */
	void (*picture)(void *ctx, const uint8_t *buf, int stride, int w, int h,
	                const struct rdpshare_viewer_rect *rects, int n);
	/* one whole multiparty channel message (capped at 1 MiB) */
	void (*multiparty)(void *ctx, const uint8_t *msg, size_t len);
	void (*channel_open)(void *ctx, int index, bool open);
	/* a message on channel index (capped at the legacy message limit) */
	void (*channel_data)(void *ctx, int index, const uint8_t *data, size_t len);
};

/* How rdp_client_run ended. */
struct rdp_client_result {
	bool connected;     /* the certificate was accepted */
	bool authenticated; /* the logon was */
	bool cert_refused;
	bool stopped;     /* rdp_client_stop */
	bool too_large;   /* the sharer asked for a picture over the caps */
	uint32_t errinfo; /* the sharer's error info, 0 for none */
	enum rdpshare_viewer_reason reason;
	char message[256];
};

/* Ownership: the listener and options are copied; free with rdp_client_free. */
struct rdp_client *rdp_client_new(const struct rdp_client_listener *l,
                                  const struct rdp_client_options *o);
void rdp_client_free(struct rdp_client *c);
/* Connect and run until the connection ends or rdp_client_stop. Returns 0
 * when it ran (see res), RDPSHARE_E_NOMEM. */
int rdp_client_run(struct rdp_client *c, const struct rdp_client_target *t,
                   struct rdp_client_result *res);
/* Make the current (or next) run end. Any thread. */
void rdp_client_stop(struct rdp_client *c);
/* Forget an earlier stop before a new run. */
void rdp_client_reset(struct rdp_client *c);

enum rdp_input_kind {
	RDP_IN_MOVE,
	RDP_IN_BUTTON,     /* button (enum rdpshare_mouse_button), down */
	RDP_IN_WHEEL,      /* value: rotation, horizontal */
	RDP_IN_SCANCODE,   /* code, up, repeat, extended */
	RDP_IN_UNICODE,    /* code, up */
	RDP_IN_SYNC,       /* value: lock flags */
	RDP_IN_MULTIPARTY, /* data/len: raw bytes for the multiparty channel */
};
struct rdp_client_cmd {
	enum rdp_input_kind kind;
	int x, y, button, value;
	unsigned code;
	bool down, up, repeat, extended, horizontal;
	uint8_t *data; /* owned by the queue once queued */
	size_t len;
	struct rdp_client_cmd *next;
};
/* Queue input (or a multiparty message) for the connection; sent from the
 * run thread in order. Any thread. RDPSHARE_E_PENDING when no connection is
 * up, RDPSHARE_E_NOMEM. in is copied (its data taken over on success). */
int rdp_client_queue(struct rdp_client *c, const struct rdp_client_cmd *in);
/* Send a message on channel index. Any thread. RDPSHARE_E_PENDING while it
 * is not open. */
int rdp_client_channel_send(struct rdp_client *c, int index, const void *data, size_t len);
/* Whether a sharer may have a picture (or graphics surface) this size. */
bool rdp_client_size_ok(uint32_t width, uint32_t height);

/* Bytes received on the wire by the current connection. Any thread. */
uint64_t rdp_client_bytes_in(struct rdp_client *c);

#endif
