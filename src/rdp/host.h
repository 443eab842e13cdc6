/* The RDP side's one window onto the session that runs it. The session
 * (the object model, a layer above) fills a struct rdp_host and hands it to
 * server_start; nothing under src/rdp/ sees struct rdpshare_session or an
 * attendee's insides. Every operation may be called from any connection
 * thread at any time while the server runs; none of them calls back into
 * the RDP side, so no lock is held across the boundary.
 *
 * An attendee is a struct host_member here: opaque, reference counted by
 * the session (admit gives the connection one reference; gone drops it). */
#ifndef RDPSHARE_RDP_HOST_H
#define RDPSHARE_RDP_HOST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct host_member;
struct mp_filter;
struct clipboard;

/* A logon as the viewer sent it, for admission. */
struct admission {
	const char *ticket; /* may be NULL: plain logon, match by password */
	const char *password;
	const char *name;
	const char *peer_ip, *local_ip;
	int peer_port, local_port;
};

/* What a connection counts for its attendee; the session reads it for
 * rdpshare_attendee statistics. Lives in the attendee; atomics. */
struct member_stats {
	atomic_uint_fast64_t frames_sent, frames_skipped, bytes_sent, input_dropped, input_injected,
	    channel_dropped;
	atomic_int color_depth;
	atomic_int codec; /* enum encode_codec */
};

/* The session's state as connections need it, read afresh on every pass. */
struct host_state {
	bool paused;
	int color_depth;
	bool graphics_pipeline;   /* rdpshare.GraphicsPipeline */
	int max_frames_in_flight; /* rdpshare.MaxFramesInFlight */
	bool clipboard;           /* EnableClipboardRedirect */
	int clip_owner;           /* the attendee that may use it; 0: nobody */
	struct clipboard *board;  /* the desktop's clipboard; NULL: none */
	int rect_w, rect_h;       /* the shared rect's size */
	int handshake_timeout_ms; /* rdpshare.HandshakeTimeoutMs */
};

/* An attendee's identity and what the sharer decided for it. */
struct member_info {
	int id;
	const char *name; /* valid while the connection holds its reference */
	int level;        /* enum rdpshare_ctrl_level */
	bool terminate;   /* the sharer asked the connection to end */
};

/* A channel message the application queued for an attendee. */
struct chan_msg {
	int channel; /* index in the session's channel table */
	struct chan_msg *next;
	size_t len;
	unsigned char data[];
};

/* Channel events for the application (EV_CHANNEL_* of the session). */
enum host_channel_event {
	HOST_CHANNEL_JOINED,
	HOST_CHANNEL_LEFT,
	HOST_CHANNEL_DATA,
	HOST_CHANNEL_SENT,
};

struct rdp_host_ops {
	void (*state)(void *ctx, struct host_state *out);
	/* Check a logon against the invitations: 0 and *out (one reference
	 * for the caller), or the refusal reason (> 0, already reported). */
	int (*admit)(void *ctx, const struct admission *adm, struct host_member **out);
	/* Let the session wake the connection (NULL: no longer). */
	void (*bind)(void *ctx, struct host_member *m, void (*wake)(void *), void *conn);
	void (*info)(void *ctx, struct host_member *m, struct member_info *out);
	struct member_stats *(*stats)(void *ctx, struct host_member *m);
	void (*note_latency)(void *ctx, struct host_member *m, int64_t us);
	void (*ref)(void *ctx, struct host_member *m);
	void (*unref)(void *ctx, struct host_member *m);
	/* Handshake done, first picture due: announce it. */
	void (*ready)(void *ctx, struct host_member *m);
	/* The connection ended (reason: enum rdpshare_disconnect_reason);
	 * drops the connection's reference. */
	void (*gone)(void *ctx, struct host_member *m, int reason, int code, bool announced);
	/* A connection failed before admission (enum rdpshare_refusal). */
	void (*refused)(void *ctx, int why, const char *name, const char *address);
	void (*control_request)(void *ctx, struct host_member *m, int level);
	/* The sharer's answers to this member's requests (at most max). */
	int (*take_answers)(void *ctx, struct host_member *m, int *levels, long *reasons, int max);
	/* A viewer allowed to interact asked to see window id. */
	void (*show_window)(void *ctx, uint32_t id);
	/* What viewers may be told of the application filter: when its
	 * generation differs from since (0: any), a copy in out and that
	 * generation; else, or out of memory, 0. out may always be freed with
	 * mp_filter_free. */
	uint64_t (*filter_copy)(void *ctx, uint64_t since, struct mp_filter *out);
	/* The application's virtual channels (fixed while the server runs). */
	int (*n_channels)(void *ctx);
	const char *(*channel_name)(void *ctx, int i);
	size_t (*channel_max_message)(void *ctx, int i);
	bool (*channel_access)(void *ctx, int i, struct host_member *m);
	struct chan_msg *(*take_chan_msgs)(void *ctx, struct host_member *m);
	void (*channel_event)(void *ctx, enum host_channel_event ev, int i, struct host_member *m,
	                      const void *data, size_t len);
};

struct rdp_host {
	const struct rdp_host_ops *ops;
	void *ctx;
};

#endif
