/* The session object's insides, shared by the object-model files (session.c,
 * invitation.c, attendee.c, properties.c, events.c) and the layers below
 * (rdp/, encode/) through the narrow functions at the end. No FreeRDP types.
 *
 * Locking: s->lock guards the invitation array and invitation fields that
 * worker threads read during admission. The attendee list is touched only
 * on the owner thread; worker threads reach an attendee through the pointer
 * they were given at admission, holding a reference, and only read its
 * immutable strings or its atomics.
 */
#ifndef RDPSHARE_SESSION_INTERNAL_H
#define RDPSHARE_SESSION_INTERNAL_H

#include "rdpshare.h"

#include <pthread.h>
#include <stdatomic.h>

#include "capture/capture.h"
#include "events.h"
#include "mp_filter.h"
#include "properties.h"
#include "throttle.h"
#include "rdp/tls.h"

struct server;
struct engine;
struct capture;
struct clipboard;
struct dial;

#define SESSION_MAX_DIALERS 16
#define SESSION_MAX_CHANNELS 32

/* A channel message waiting for an attendee's connection. */
struct chan_msg {
	struct rdpshare_channel *channel;
	struct chan_msg *next;
	size_t len;
	unsigned char data[];
};

/* The application filter's objects (appfilter.c), owner thread only. */
struct rdpshare_app {
	rdpshare_session *session;
	uint32_t id;
	char name[CAP_NAME_MAX];
	bool shared;
	rdpshare_window **wins;
	int n_wins, cap_wins;
};

struct rdpshare_window {
	rdpshare_app *app;
	uint32_t id;
	char title[CAP_TITLE_MAX];
	bool shared, visible;
	int x, y, w, h;
};

struct appfilter {
	bool enabled;
	rdpshare_app **apps;
	int n_apps, cap_apps;
	rdpshare_window **wins; /* every listed window, in the order they opened */
	int n_wins, cap_wins;
};

enum session_state {
	SESSION_CREATED,
	SESSION_OPEN,
	SESSION_CLOSED,
};

struct rdpshare_invitation {
	rdpshare_session *session;
	char *auth_string;
	char *group;
	char *password;
	int limit;            /* under s->lock */
	bool revoked;         /* under s->lock */
	atomic_int attendees; /* connected through it now */
};

#define ATTENDEE_OUTBOX 8
#define ATTENDEE_LATENCY 256

struct rdpshare_attendee {
	atomic_int refs;
	int id;
	char *name;
	char *peer_ip, *local_ip;
	int peer_port, local_port;
	rdpshare_invitation *invitation;
	atomic_int level;      /* enum rdpshare_ctrl_level */
	atomic_bool terminate; /* owner asked the connection to end */
	bool listed;           /* in s->attendees (owner thread only) */
	/* statistics, written by the connection's thread */
	atomic_uint_fast64_t frames_sent, frames_skipped, bytes_sent, input_dropped, input_injected,
	    channel_dropped;
	atomic_int color_depth;
	atomic_int codec; /* enum encode_codec */
	/* damage-to-socket latency of the last ATTENDEE_LATENCY updates, us;
	 * under wake_lock */
	uint32_t latency_us[ATTENDEE_LATENCY];
	int n_latency, latency_pos;
	/* lets the owner thread wake the connection (terminate, level change) */
	void (*wake)(void *conn);
	void *conn;
	pthread_mutex_t wake_lock; /* guards wake/conn and the outbox */
	/* SendControlLevelChangeResponse answers waiting for the connection */
	struct {
		int level;
		long reason;
	} outbox[ATTENDEE_OUTBOX];
	int n_outbox;
	struct chan_msg *chan_head, *chan_tail; /* channel data to send (wake_lock) */
};

struct rdpshare_session {
	pthread_t owner;
	enum session_state state;
	struct rdpshare_config config;
	char **listen_cfg; /* copy of config.listen */
	char *config_dir, *runtime_dir, *display;
	struct rdpshare_callbacks cb;
	void *userdata;
	int lock_fd; /* single-instance lock */

	pthread_mutex_t lock;
	rdpshare_invitation **invitations;
	int n_invitations;

	rdpshare_attendee **attendees; /* owner thread only */
	int n_attendees;
	atomic_int next_attendee_id;
	/* the X clipboard (NULL in demo mode) and who shares it: the attendee
	 * that most recently became INTERACTIVE (0: nobody) */
	struct clipboard *clipboard;
	atomic_int clip_owner;
	/* virtual channels: created before Open, fixed after (channel.c) */
	rdpshare_channel *channels[SESSION_MAX_CHANNELS];
	int n_channels;
	/* reverse connects under way (owner thread; reverse.c) */
	struct dial *dialers[SESSION_MAX_DIALERS];
	int n_dialers;
	int dial_stop_fd;

	struct props props;
	atomic_bool paused;
	atomic_int color_depth;
	/* shared rect, desktop coordinates, right/bottom exclusive; under lock */
	int rect_l, rect_t, rect_r, rect_b;
	bool rect_set;

	struct event_queue events;
	atomic_bool stop_run;

	struct throttle throttle;      /* failed logons (under lock) */
	struct appfilter af;           /* owner thread */
	struct mp_filter mpf;          /* under lock: what viewers are told */
	struct cap_window *win_latest; /* under lock: the newest window list, not yet taken */
	int n_win_latest;
	bool win_posted;              /* under lock: an EV_WINDOWS waits */
	atomic_uint_fast64_t mpf_gen; /* bumps when mpf changes */

	struct capture *capture; /* created at create(), owned by the engine after open */
	int desk_w, desk_h;      /* under lock once open (the engine follows resizes) */
	struct engine *engine;
	struct server *server;
	char **listen_addrs; /* "addr:port" after open */
	int n_listen_addrs;
	char *key_hash;          /* KH, after open */
	struct tls_identity tls; /* read by connections while open */
};

/* Owner-thread check used by every public entry point. */
#define CHECK_OWNER(s)                                                                             \
	do {                                                                                       \
		if (!pthread_equal(pthread_self(), (s)->owner)) {                                  \
			return RDPSHARE_E_WRONG_THREAD;                                            \
		}                                                                                  \
	} while (0)

/* ---- used by the connection threads (rdp/) ---- */

struct admission {
	const char *ticket; /* may be NULL: plain logon, match by password */
	const char *password;
	const char *name;
	const char *peer_ip, *local_ip;
	int peer_port, local_port;
};

/* Check a logon against the invitations. On success returns 0 and a new
 * attendee with one reference for the caller (the connection) and the
 * invitation's count raised; otherwise returns the refusal reason (> 0) and
 * posts the attendee_refused event. Thread-safe. */
int session_admit(rdpshare_session *s, const struct admission *adm, rdpshare_attendee **out);
/* The connection finished its handshake: queue attendee_connected. */
void session_attendee_ready(rdpshare_session *s, rdpshare_attendee *a);
/* The connection ended: queue attendee_disconnected (if it was announced),
 * lower the invitation's count, drop the connection's reference. */
void session_attendee_gone(rdpshare_session *s, rdpshare_attendee *a,
                           enum rdpshare_disconnect_reason reason, int code, bool announced);
/* Failed logons locked out address (NULL: every logon) for seconds. */
void session_post_throttled(rdpshare_session *s, const char *address, int seconds);
/* Post a refusal seen before admission (protocol errors). */
void session_post_refusal(rdpshare_session *s, enum rdpshare_refusal why, const char *name,
                          const char *address);
/* A viewer asked for a control level (multiparty channel). */
void session_post_control_request(rdpshare_session *s, rdpshare_attendee *a, int level);
/* Who is in the session, or their levels, changed: every connection
 * re-tells its viewer (multiparty channel). Thread-safe. */
void session_roster_changed(rdpshare_session *s);
/* channel.c */
void channel_free(rdpshare_channel *ch);
unsigned channel_flags(const rdpshare_channel *ch);
int channel_priority(const rdpshare_channel *ch);
/* The connection takes every queued channel message (a list it frees). */
struct chan_msg *attendee_take_chan_msgs(rdpshare_attendee *a);
/* Queue a channel event (type EV_CHANNEL_*); data is copied. */
void session_post_channel_event(rdpshare_session *s, int type, rdpshare_channel *ch,
                                rdpshare_attendee *a, const void *data, size_t len);

/* No address of a reverse connect answered. */
void session_post_connection_failed(rdpshare_session *s, const char *message);
/* reverse.c: start dialling the viewer of connection_string (owner thread);
 * stop and join every dial (Close). */
int reverse_connect_start(rdpshare_session *s, const char *connection_string);
void reverse_connect_stop_all(rdpshare_session *s);
/* The engine or a connection hit a fatal error. */
void session_post_error(rdpshare_session *s, int result, const char *message);
void session_get_rect(rdpshare_session *s, int *l, int *t, int *r, int *b);
/* The engine saw the desktop change size: an unset shared rect follows it
 * (with a shared_rect_changed event); a set one stays (clipped when used). */
void session_desktop_resized(rdpshare_session *s, int w, int h);

/* appfilter.c */
/* The engine saw the window list change (n entries, copied). Thread-safe. */
void session_post_windows(rdpshare_session *s, const struct cap_window *w, int n);
/* Owner thread: bring the model up to date with a posted list and raise
 * the open/close/update callbacks. */
void appfilter_windows(rdpshare_session *s, const struct cap_window *w, int n);
/* Owner thread, on EV_WINDOWS: take the newest list and apply it. */
void appfilter_take_windows(rdpshare_session *s);
/* Owner thread: hand the current policy to the engine and the viewers. */
void appfilter_push(rdpshare_session *s);
void appfilter_free(rdpshare_session *s);
/* Connection threads: copy what viewers may be told (free with
 * mp_filter_free); returns the generation copied. */
uint64_t session_filter_copy(rdpshare_session *s, struct mp_filter *out);
uint64_t session_filter_gen(rdpshare_session *s);
/* A viewer asked to see window id (it was told of it). Thread-safe. */
void session_show_window(rdpshare_session *s, uint32_t id);

/* invitation.c */
void invitation_free(rdpshare_invitation *inv);

/* attendee.c */
rdpshare_attendee *attendee_new(int id, const struct admission *adm, rdpshare_invitation *inv,
                                int level);
void attendee_ref(rdpshare_attendee *a);
void attendee_unref(rdpshare_attendee *a);
/* Attach/detach the connection so the owner thread can wake it. */
void attendee_bind(rdpshare_attendee *a, void (*wake)(void *), void *conn);
void attendee_wake(rdpshare_attendee *a);
/* The connection takes the queued responses (at most max). */
/* One update's damage-to-socket time (connection thread). */
void attendee_note_latency(rdpshare_attendee *a, int64_t us);
int attendee_take_outbox(rdpshare_attendee *a, int *levels, long *reasons, int max);

/* instance_lock.c */
int instance_lock_take(const char *runtime_dir, int *fd_out);
void instance_lock_release(int fd);

#endif
