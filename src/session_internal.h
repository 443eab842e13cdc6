/* The session object's insides, shared by the object-model files (session.c,
 * invitation.c, attendee.c, appfilter.c, properties.c, events.c) and the
 * layers below (rdp/, encode/) through the narrow functions at the end. No
 * FreeRDP types.
 *
 * Threads: the owner thread (every public call, dispatch and callback), the
 * engine thread (engine.c), one thread per connection and the listener
 * (rdp/), the clipboard watcher, reverse dials.
 *
 * Locking, the rules in one place. Each lock is a leaf (nothing else is
 * taken while it is held) unless said otherwise:
 * - s->lock guards the invitation array and the invitation fields worker
 *   threads read during admission, the failed-logon throttle, s->state
 *   changes, the shared rect and desktop size (rect_*, desk_*), and
 *   s->server for the clipboard thread, which calls server_poke_all under
 *   it: the one nesting, s->lock -> the server's lock.
 * - The application filter's lock (private to appfilter.c) guards the
 *   newest window list the engine thread hands in and the viewers' copy
 *   the connections read. The filter's objects (apps, windows, enabled)
 *   are the owner thread's alone.
 * - a->wake_lock guards an attendee's connection binding, outbox, queued
 *   channel messages and latency samples.
 * - The event queue (events.h) and the engine (engine.c: input, filter,
 *   snapshot and rect locks) keep their locks inside; the owner thread
 *   pushes settings into the engine with engine_set_*, which only queue.
 * - Across layers: the engine's listener functions (session.c) run on the
 *   engine thread with no engine lock held; they take s->lock or the
 *   filter's lock briefly, queue an event for the owner thread and never
 *   call back into the engine. The owner thread holds none of these locks
 *   while it calls into the engine: engine_snapshot waits for the engine
 *   thread and engine_stop joins it.
 * The attendee list is touched only on the owner thread; worker threads
 * reach an attendee through the pointer they were given at admission,
 * holding a reference, and only read its immutable strings or its atomics.
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
#include "rdp/host.h"
#include "rdp/tls.h"

struct server;
struct engine;
struct capture;
struct appfilter;
struct clipboard;
struct dial;

#define SESSION_MAX_DIALERS 16
#define SESSION_MAX_CHANNELS 32

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
	atomic_int level;          /* enum rdpshare_ctrl_level */
	atomic_bool terminate;     /* owner asked the connection to end */
	bool listed;               /* in s->attendees (owner thread only) */
	struct member_stats stats; /* written by the connection's thread */
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
	/* the control request waiting for an answer (owner thread only): its
	 * id (0: none) and the level it asked for, fixed when it was raised */
	long req_id;
	int req_level;
};

struct rdpshare_session {
	pthread_t owner;
	enum session_state state;
	struct rdpshare_config config;
	char **listen_cfg; /* copy of config.listen */
	char *config_dir, *runtime_dir, *display;
	enum rdpshare_backend backend; /* resolved, never AUTO once created */
	struct rdpshare_callbacks cb;
	void *userdata;
	int lock_fd; /* single-instance lock */

	pthread_mutex_t lock;
	rdpshare_invitation **invitations;
	int n_invitations;

	rdpshare_attendee **attendees; /* owner thread only */
	int n_attendees;
	atomic_int next_attendee_id;
	long next_request_id; /* control requests (owner thread) */
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
	atomic_bool paused; /* the engine is told (engine_set_paused) */
	atomic_int color_depth;
	/* shared rect, desktop coordinates, right/bottom exclusive; under lock */
	int rect_l, rect_t, rect_r, rect_b;
	bool rect_set;

	struct event_queue events;
	atomic_bool stop_run;

	struct throttle throttle; /* failed logons (under lock) */
	struct appfilter *af;     /* the application filter (appfilter.c, its own lock) */

	struct capture *capture; /* created at create(), owned by the engine after open */
	int desk_w, desk_h;      /* under lock once open (the engine follows resizes) */
	struct engine *engine;
	struct server *server;
	char **listen_addrs; /* "addr:port" after open */
	int n_listen_addrs;
	char *key_hash;           /* KH, after open */
	struct tls_identity tls;  /* read by connections while open */
	struct rdp_host rdp_host; /* what connections see of the session (session_host.c) */
};

/* Owner-thread check used by every public entry point. */
#define CHECK_OWNER(s)                                                                             \
	do {                                                                                       \
		if (!pthread_equal(pthread_self(), (s)->owner)) {                                  \
			return RDPSHARE_E_WRONG_THREAD;                                            \
		}                                                                                  \
	} while (0)

/* ---- behind the RDP side's host table (session_host.c, rdp/host.h) ---- */

/* The table connections reach the session through. */
extern const struct rdp_host_ops session_host_ops;

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
/* channel.c */
void channel_free(rdpshare_channel *ch);
unsigned channel_flags(const rdpshare_channel *ch);
/* Its place in s->channels (-1: not there). */
int channel_index(const rdpshare_channel *ch);
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
/* A connection hit a fatal error (the engine reports its own through its
 * listener, which lands here too). Thread-safe. */
void session_post_error(rdpshare_session *s, int result, const char *message);
/* The shared rect as it is now (desktop coordinates). Thread-safe. */
void session_get_rect(rdpshare_session *s, int *l, int *t, int *r, int *b);

/* appfilter.c: the application filter (IRDPSRAPIApplicationFilter), its
 * application and window objects, and what viewers may be told of them.
 * Created and destroyed with the session; the objects live on the owner
 * thread, the rest under the filter's own lock. */
struct appfilter *appfilter_create(rdpshare_session *s);
void appfilter_destroy(struct appfilter *af); /* NULL: nothing */
/* The engine saw the window list change (n entries, copied): keep the
 * newest and wake the owner thread (one EV_WINDOWS at most waits).
 * Thread-safe; the engine listener calls it on the engine thread. */
void appfilter_post_windows(struct appfilter *af, const struct cap_window *w, int n);
/* Owner thread, on EV_WINDOWS: take the newest list, bring the objects up
 * to date, raise the open/close/update callbacks and, when the lists
 * changed, appfilter_push. */
void appfilter_take_windows(struct appfilter *af);
/* Owner thread: the policy changed (or the engine started, or the
 * background colour did): hand it to the engine, make a new generation of
 * the viewers' copy and wake the connections. */
void appfilter_push(struct appfilter *af);
/* Owner thread: what viewers can see may have changed (the shared rect
 * moved, a window mapped or moved): a new generation of the viewers' copy
 * only when it differs. */
void appfilter_refresh_viewers(struct appfilter *af);
/* Connection threads, the one call they need: when the viewers' copy is of
 * another generation than since (0: whatever it is), copy it into out and
 * return its generation (> 0); otherwise, or out of memory, return 0.
 * out may always be freed with mp_filter_free. */
uint64_t appfilter_copy_for_viewers(struct appfilter *af, uint64_t since, struct mp_filter *out);
/* A viewer asked to see window id (it was told of it): the engine raises
 * it. Thread-safe. */
void appfilter_show_window(struct appfilter *af, uint32_t id);

/* invitation.c */
void invitation_free(rdpshare_invitation *inv);

/* attendee.c */
rdpshare_attendee *attendee_new(int id, const struct admission *adm, rdpshare_invitation *inv,
                                int level);
void attendee_ref(rdpshare_attendee *a);
/* ev carries a (with a new reference, or the caller's when take_ref is
 * false) and drops it when freed. */
void attendee_attach(struct event *ev, rdpshare_attendee *a, bool take_ref);
void attendee_unref(rdpshare_attendee *a);
/* Attach/detach the connection so the owner thread can wake it. */
void attendee_bind(rdpshare_attendee *a, void (*wake)(void *), void *conn);
void attendee_wake(rdpshare_attendee *a);
/* The connection takes the queued responses (at most max). */
/* One update's damage-to-socket time (connection thread). */
void attendee_note_latency(rdpshare_attendee *a, int64_t us);
int attendee_take_outbox(rdpshare_attendee *a, int *levels, long *reasons, int max);
/* Owner thread, on a viewer's control request for level: true when it is a
 * new request (it gets the next request id and supersedes a pending one of
 * another level), false when the same level is already pending. */
bool attendee_note_request(rdpshare_session *s, rdpshare_attendee *a, int level);

/* instance_lock.c */
int instance_lock_take(const char *runtime_dir, int *fd_out);
void instance_lock_release(int fd);

#endif
