/* rdpshare — share a Linux desktop with RDP viewers.
 *
 * The C re-creation of Microsoft's Windows Desktop Sharing sharer object
 * (IRDPSRAPISharingSession in rdpencomapi.h). Same nouns and verbs, plain C:
 *
 *   rdpshare_session     IRDPSRAPISharingSession(2): open, close, pause, resume,
 *                        shared rect, colour depth, properties
 *   rdpshare_invitation  IRDPSRAPIInvitation: ticket, group, password, limit, revoked
 *   rdpshare_attendee    IRDPSRAPIAttendee (+ TcpConnectionInfo, DisconnectInfo)
 *   rdpshare_callbacks   _IRDPSessionEvents
 *   rdpshare_viewer      IRDPSRAPIViewer + IRDPViewerInputSink: the other
 *                        side, a viewer that programs embed (below)
 *
 * Threads — the apartment rule. The thread that calls rdpshare_session_create()
 * owns the session: every public function taking a session, invitation or
 * attendee must be called on it (other threads get RDPSHARE_E_WRONG_THREAD),
 * and every callback is delivered on it, in order, from inside
 * rdpshare_session_dispatch() or rdpshare_session_run(). The library's own
 * threads (capture, encoding, network) never call user code.
 *
 * Errors. Functions return RDPSHARE_OK (0) or a negative enum rdpshare_result;
 * rdpshare_strerror() names it. The library never exits or aborts the process.
 *
 * Ownership. Each function that hands out memory says in one line who frees it.
 * Handles (invitation, attendee) are owned by the session.
 */
#ifndef RDPSHARE_H
#define RDPSHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RDPSHARE_VERSION_MAJOR 0
#define RDPSHARE_VERSION_MINOR 1

typedef struct rdpshare_session rdpshare_session;
typedef struct rdpshare_invitation rdpshare_invitation;
typedef struct rdpshare_attendee rdpshare_attendee;
typedef struct rdpshare_channel rdpshare_channel;
typedef struct rdpshare_app rdpshare_app;
typedef struct rdpshare_window rdpshare_window;
typedef struct rdpshare_viewer rdpshare_viewer;

/* Results. The original's HRESULTs where one exists (noted), else ours. */
enum rdpshare_result {
	RDPSHARE_OK = 0,
	RDPSHARE_E_INVALIDARG = -1,    /* E_INVALIDARG */
	RDPSHARE_E_NOMEM = -2,         /* E_OUTOFMEMORY */
	RDPSHARE_E_UNEXPECTED = -3,    /* E_UNEXPECTED: not allowed in this state */
	RDPSHARE_E_ALREADY_OPEN = -4,  /* Open on an open session */
	RDPSHARE_E_NOT_OPEN = -5,      /* needs an open session */
	RDPSHARE_E_CLOSED = -6,        /* the session was closed; create a new one */
	RDPSHARE_E_INSTANCE = -7,      /* another session is live in this login session */
	RDPSHARE_E_NOT_FOUND = -8,     /* no such attendee / invitation / property */
	RDPSHARE_E_READONLY = -9,      /* property is read-only (now) */
	RDPSHARE_E_ADDRINUSE = -10,    /* listening address already in use */
	RDPSHARE_E_DISPLAY = -11,      /* display unreachable or unusable */
	RDPSHARE_E_TLS = -12,          /* certificate or key unusable */
	RDPSHARE_E_IO = -13,           /* file or socket error */
	RDPSHARE_E_WRONG_THREAD = -14, /* called from a thread other than the owner */
	RDPSHARE_E_UNSUPPORTED = -15,  /* valid in the original, not supported here */
	RDPSHARE_E_GONE = -16,         /* the attendee has left (E_UNEXPECTED in the original) */
	RDPSHARE_E_NOSPACE = -17,      /* file: no space left on the device (or over quota) */
	RDPSHARE_E_ACCESS = -18,       /* file: permission denied or read-only file system */
	RDPSHARE_E_DENIED = -19,       /* viewer: not allowed at our control level */
	RDPSHARE_E_PENDING = -20,      /* viewer: not connected (yet), or the channel is not open */
};

/* CTRL_LEVEL, same values as the original. */
enum rdpshare_ctrl_level {
	RDPSHARE_CTRL_LEVEL_INVALID = 0,
	RDPSHARE_CTRL_LEVEL_NONE = 1,        /* connected, sees nothing, sends nothing */
	RDPSHARE_CTRL_LEVEL_VIEW = 2,        /* sees the session */
	RDPSHARE_CTRL_LEVEL_INTERACTIVE = 3, /* sees it and drives keyboard and mouse */
	RDPSHARE_CTRL_LEVEL_REQCTRL_VIEW = 4,
	RDPSHARE_CTRL_LEVEL_REQCTRL_INTERACTIVE = 5,
};

/* ATTENDEE_DISCONNECT_REASON, same values as the original. */
enum rdpshare_disconnect_reason {
	RDPSHARE_DISCONNECT_APP = 0, /* the sharer terminated it */
	RDPSHARE_DISCONNECT_ERR = 1, /* an error: timeout, broken data, our side failed */
	RDPSHARE_DISCONNECT_CLI = 2, /* the viewer left (code 0), or its end closed or it died
	                              * mid-stream (code -EPIPE) */
};

/* RDPENCOMAPI_ATTENDEE_FLAGS */
#define RDPSHARE_ATTENDEE_FLAGS_LOCAL 1

/* RDPENCOMAPI_CONSTANTS */
#define RDPSHARE_ATTENDEE_ID_EVERYONE (-1)
#define RDPSHARE_ATTENDEE_ID_HOST 0

/* Why a viewer was turned away before it became an attendee (our addition:
 * the original raises nothing on the sharer for a refused logon). */
enum rdpshare_refusal {
	RDPSHARE_REFUSED_BAD_PASSWORD = 1, /* no invitation matches ticket + password */
	RDPSHARE_REFUSED_REVOKED = 2,      /* the matching invitation is revoked */
	RDPSHARE_REFUSED_LIMIT = 3,        /* the matching invitation is full */
	RDPSHARE_REFUSED_NOT_OPEN = 4,     /* arrived while the session was closing */
	RDPSHARE_REFUSED_PROTOCOL = 5,     /* broken, stalled or crowded-out handshake */
	RDPSHARE_REFUSED_THROTTLED = 6,    /* too many failed logons: see auth_throttled */
};

/* Which desktop a session shares (our addition: the original shares the
 * one Windows desktop). */
enum rdpshare_backend {
	/* Mutter's org.gnome.Mutter.RemoteDesktop on the session bus: GNOME;
	 * else a Wayland display offering zwlr_screencopy_manager_v1: wlroots;
	 * else $DISPLAY: X11; else the demo desktop. In a Wayland session
	 * ($WAYLAND_DISPLAY set, or XDG_SESSION_TYPE=wayland) that no Wayland
	 * back-end can serve, creation fails (RDPSHARE_E_DISPLAY) and
	 * rdpshare_backend_check says why: the XWayland root, black or nearly,
	 * is never shared in its place. An explicit display with a ':' (":1",
	 * "host:0") means X11, any other (a socket name or path) wlroots. */
	RDPSHARE_BACKEND_AUTO = 0,
	RDPSHARE_BACKEND_X11 = 1,     /* config.display, else $DISPLAY */
	RDPSHARE_BACKEND_WLROOTS = 2, /* sway & co.: config.display, else $WAYLAND_DISPLAY */
	RDPSHARE_BACKEND_GNOME = 3,   /* Mutter, through its D-Bus API and PipeWire */
	RDPSHARE_BACKEND_DEMO = 4,    /* the built-in animated desktop */
};

/* How the session was created. Zero-initialise, set size, then set what you need.
 * Only the first size bytes are read; new members are only ever added at the end. */
struct rdpshare_config {
	size_t size; /* sizeof(struct rdpshare_config) */
	/* What to share: the X display (x11) or the Wayland socket name or path
	 * (wlroots; its first output is shared) of the back-end below; NULL =
	 * $DISPLAY or $WAYLAND_DISPLAY. "demo" (or demo=true) = the built-in
	 * animated demo desktop, no display needed. */
	const char *display;
	bool demo;
	int demo_width, demo_height; /* 0: 1024x768 */
	/* Addresses to listen on, as "ADDR" or "ADDR:PORT" ("[v6]:PORT"), NULL-
	 * terminated. NULL: every address (per PortProtocol) on PortId. A port 0
	 * or none takes PortId; PortId 0 lets the system pick a free port. */
	const char *const *listen;
	/* Where the TLS certificate lives (created on first use, 0600).
	 * NULL: $XDG_CONFIG_HOME/rdpshare, else ~/.config/rdpshare with ~ from
	 * $HOME or else the password database; never under /tmp (no home
	 * directory at all: create fails with RDPSHARE_E_TLS). */
	const char *config_dir;
	/* Where the single-instance lock lives. NULL: $XDG_RUNTIME_DIR, or when
	 * unset ${TMPDIR:-/tmp}/rdpshare-UID. It must be private (ours, mode 0700,
	 * not a symbolic link; made so when missing): else create fails with
	 * RDPSHARE_E_ACCESS, since whoever else can write there could hold the
	 * lock or replace what is kept beside it. */
	const char *runtime_dir;
	/* The desktop back-end (see enum rdpshare_backend). demo = true is the
	 * same as RDPSHARE_BACKEND_DEMO. */
	enum rdpshare_backend backend;
};

/* _IRDPSessionEvents. Any member may be NULL. Pointers handed to a callback
 * are valid during the callback; attendees stay valid until their
 * attendee_disconnected callback has returned (or the session is closed).
 * size: as in rdpshare_config, only the first size bytes are read. */
struct rdpshare_callbacks {
	size_t size; /* sizeof(struct rdpshare_callbacks) */
	/* OnAttendeeConnected: authenticated, connection sequence complete, at
	 * DefaultAttendeeControlLevel. */
	void (*attendee_connected)(rdpshare_session *s, rdpshare_attendee *a, void *userdata);
	/* OnAttendeeDisconnected (never during close). code: 0 for a clean leave,
	 * else a negative errno-style detail. */
	void (*attendee_disconnected)(rdpshare_session *s, rdpshare_attendee *a,
	                              enum rdpshare_disconnect_reason reason, int code,
	                              void *userdata);
	/* OnAttendeeUpdate: a property of the attendee changed (e.g. control level). */
	void (*attendee_update)(rdpshare_session *s, rdpshare_attendee *a, void *userdata);
	/* Our addition: a viewer was refused. name may be NULL; address is "ip:port". */
	void (*attendee_refused)(rdpshare_session *s, enum rdpshare_refusal why, const char *name,
	                         const char *address, void *userdata);
	/* OnControlLevelChangeRequest: a viewer asked for a level for itself
	 * (VIEW or INTERACTIVE; NONE when it gives control back). Nothing
	 * changes until the application sets the level or answers. A viewer's
	 * request about another attendee is ignored and raises nothing.
	 * Our additions: each call is one request with its own id
	 * (rdpshare_attendee_get_control_request) whose level never changes.
	 * The same level asked again while it waits raises nothing; another
	 * level is a new request, raised anew, that supersedes (withdraws) the
	 * waiting one. Answer with rdpshare_session_answer_control_request,
	 * which grants exactly the level of the request id shown, never a
	 * newer one's. */
	void (*control_level_change_request)(rdpshare_session *s, rdpshare_attendee *a,
	                                     enum rdpshare_ctrl_level requested, void *userdata);
	/* OnGraphicsStreamPaused / Resumed (raised on the sharer too, after Pause/Resume). */
	void (*graphics_stream_paused)(rdpshare_session *s, void *userdata);
	void (*graphics_stream_resumed)(rdpshare_session *s, void *userdata);
	/* OnSharedRectChanged: what viewers see now (right/bottom exclusive). */
	void (*shared_rect_changed)(rdpshare_session *s, int left, int top, int right, int bottom,
	                            void *userdata);
	/* OnError: a critical error; the session is dead, destroy it. */
	void (*error)(rdpshare_session *s, int result, const char *message, void *userdata);
	/* OnConnectionFailed: rdpshare_session_connect_to_client reached none of
	 * the viewer's addresses; message names them and why. */
	void (*connection_failed)(rdpshare_session *s, const char *message, void *userdata);
	/* Virtual channels (OnVirtualChannelJoined / Left / DataReceived /
	 * SendCompleted): an attendee's viewer opened or closed the channel;
	 * data from an attendee with access (data valid during the call); a send
	 * to an attendee went out. */
	void (*channel_joined)(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
	                       void *userdata);
	void (*channel_left)(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
	                     void *userdata);
	void (*channel_data)(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
	                     const void *data, size_t len, void *userdata);
	void (*channel_send_completed)(rdpshare_session *s, rdpshare_channel *ch,
	                               rdpshare_attendee *a, size_t len, void *userdata);
	/* Application filter (OnApplicationOpen / Close / Update, OnWindowOpen /
	 * Close / Update, our filter_updated). An application opens right before
	 * its first window and closes right after its last; update follows a
	 * change of shared or of a window's title. The objects are freed when
	 * their close callback returns. */
	void (*application_open)(rdpshare_session *s, rdpshare_app *app, void *userdata);
	void (*application_close)(rdpshare_session *s, rdpshare_app *app, void *userdata);
	void (*application_update)(rdpshare_session *s, rdpshare_app *app, void *userdata);
	void (*window_open)(rdpshare_session *s, rdpshare_window *w, void *userdata);
	void (*window_close)(rdpshare_session *s, rdpshare_window *w, void *userdata);
	void (*window_update)(rdpshare_session *s, rdpshare_window *w, void *userdata);
	void (*filter_updated)(rdpshare_session *s, bool enabled, void *userdata);
	/* Our addition: failed logons locked out a network prefix (address
	 * "a.b.c.0/24" for IPv4, "x:x:x:x::/64" for IPv6, "?" for an unknown
	 * peer) or, when many prefixes fail together, every logon of a kind
	 * (address NULL) for seconds. Meanwhile no password is even checked
	 * (refusal THROTTLED). Rules: 5 failures in a row lock a prefix for
	 * 5 s, doubling with each lockout up to 10 min; 30 failures within a
	 * minute lock all logons for 30 s. Logons that present the ticket of
	 * an invitation that is not revoked (Remote Assistance logons: the
	 * invitation file, a connection string) are counted apart from all
	 * others, so strangers guessing cannot lock out invited viewers. */
	void (*auth_throttled)(rdpshare_session *s, const char *address, int seconds,
	                       void *userdata);
};

/* ---- Session (IRDPSRAPISharingSession) ---------------------------------- */

/* Create the session object. Fails with RDPSHARE_E_INSTANCE while another
 * session lives in this login session (the original's one-per-Winlogon rule;
 * ours is a lock under the runtime dir), RDPSHARE_E_DISPLAY when the display
 * cannot be opened. The calling thread becomes the owner thread. callbacks
 * is copied. config and callbacks may be NULL (defaults). Their size must be
 * sizeof(size_t)..sizeof(the struct) (else RDPSHARE_E_INVALIDARG); members
 * past a smaller, older size count as zero.
 * Ownership: *out is yours, free it with rdpshare_session_destroy. */
int rdpshare_session_create(const struct rdpshare_config *config,
                            const struct rdpshare_callbacks *callbacks, void *userdata,
                            rdpshare_session **out);

/* Our addition: which back-end config would share with, without opening
 * it (AUTO resolved as session_create resolves it). RDPSHARE_OK and *out,
 * or RDPSHARE_E_DISPLAY (nothing there can be shared), RDPSHARE_E_NOMEM,
 * RDPSHARE_E_INVALIDARG, and in every case but success a sentence for the
 * user in *why that names the desktop and what is missing (why may be NULL).
 * Ownership: *why is malloc'd (NULL on success), free it. */
int rdpshare_backend_check(const struct rdpshare_config *config, enum rdpshare_backend *out,
                           char **why);

/* Our addition: how much of FreeRDP's own log reaches stderr (process-wide,
 * for every session; the library's own reports are its events and return
 * values, never log text). Default RDPSHARE_LOG_QUIET: FreeRDP reports every
 * port probe and dropped connection as an error, which says nothing to a
 * user. Lines go to stderr, never stdout, tagged "rdpshare: freerdp LEVEL:"
 * with their FreeRDP module and escaped for a terminal. RDPSHARE_LOG in the
 * environment (quiet, warn, info, debug, trace) raises it; FreeRDP's own
 * WLOG_LEVEL overrides both. RDPSHARE_OK, or RDPSHARE_E_INVALIDARG for a
 * level out of range. */
enum rdpshare_log_level {
	RDPSHARE_LOG_QUIET = 0, /* nothing */
	RDPSHARE_LOG_WARN = 1,  /* warnings and errors */
	RDPSHARE_LOG_INFO = 2,  /* and each connection's steps */
	RDPSHARE_LOG_DEBUG = 3,
	RDPSHARE_LOG_TRACE = 4, /* and the bytes of each message */
};
int rdpshare_set_log_level(enum rdpshare_log_level level);
/* The level in force (after RDPSHARE_LOG). */
enum rdpshare_log_level rdpshare_get_log_level(void);

/* Our addition: the back-end the session shares ("x11", "wlroots",
 * "gnome", "demo" by rdpshare_backend_name). */
enum rdpshare_backend rdpshare_session_get_backend(const rdpshare_session *s);
/* "auto", "x11", "wlroots", "gnome", "demo"; NULL for no such value.
 * Static storage. */
const char *rdpshare_backend_name(enum rdpshare_backend b);

/* Our addition: the directory that holds the TLS certificate and key
 * (config.config_dir, else $XDG_CONFIG_HOME/rdpshare or
 * ~/.config/rdpshare). Owned by the session. */
const char *rdpshare_session_get_config_dir(const rdpshare_session *s);

/* Our addition: the fingerprint of the session's TLS certificate, the
 * SHA-256 of its whole DER encoding as 64 lowercase hex digits, which is what
 * xfreerdp3 pins with /cert:fingerprint:sha256:HEX (the invitation's KH pins
 * the public key instead). NULL before the first open. Owned by the session:
 * valid until destroy. */
const char *rdpshare_session_get_certificate_fingerprint(const rdpshare_session *s);

/* Close if open, free everything. NULL is accepted. No callbacks run. */
void rdpshare_session_destroy(rdpshare_session *s);

/* Open: start listening; connections are accepted from now on.
 * RDPSHARE_E_ALREADY_OPEN if open, RDPSHARE_E_CLOSED after close,
 * RDPSHARE_E_ADDRINUSE / RDPSHARE_E_TLS / RDPSHARE_E_IO with nothing left
 * half-started. */
int rdpshare_session_open(rdpshare_session *s);

/* Close: disconnect every attendee (no attendee_disconnected callbacks, as in
 * the original), stop listening. Final: open afterwards fails. Closing a
 * never-opened or closed session returns RDPSHARE_OK. */
int rdpshare_session_close(rdpshare_session *s);

/* Pause: from now on nothing more is sent to any viewer; Resume: viewers get
 * a full refresh and live updates again. Repeating either is a no-op that
 * returns RDPSHARE_OK. Allowed before Open (the session then opens paused). */
int rdpshare_session_pause(rdpshare_session *s);
int rdpshare_session_resume(rdpshare_session *s);
bool rdpshare_session_is_paused(const rdpshare_session *s);

/* SetDesktopSharedRect: share only this part of the desktop (right and bottom
 * exclusive); viewers see exactly it as their desktop, resized live.
 * RDPSHARE_E_INVALIDARG for an empty rectangle or one outside the desktop. */
int rdpshare_session_set_shared_rect(rdpshare_session *s, int left, int top, int right, int bottom);
/* GetDesktopSharedRect: the whole desktop until set. */
int rdpshare_session_get_shared_rect(rdpshare_session *s, int *left, int *top, int *right,
                                     int *bottom);

/* ---- virtual channels (IRDPSRAPIVirtualChannelManager / ...Channel) ----
 * Named data channels between the sharing application and viewers, carried
 * as RDP dynamic virtual channels. The sharer decides per attendee: access
 * starts at NONE (no data to it, its data dropped) until set to
 * SENDRECEIVE. */
#define RDPSHARE_ATTENDEE_EVERYONE (-1) /* ATTENDEE_ID_EVERYONE */
#define RDPSHARE_CHANNEL_MAX_NAME 7
#define RDPSHARE_CHANNEL_MAX_MESSAGE 1024          /* per send */
#define RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY 409600 /* with CHANNEL_FLAGS_LEGACY */
enum rdpshare_channel_priority {
	RDPSHARE_CHANNEL_PRIORITY_LOW = 0,
	RDPSHARE_CHANNEL_PRIORITY_MED = 1,
	RDPSHARE_CHANNEL_PRIORITY_HIGH = 2,
};
#define RDPSHARE_CHANNEL_FLAGS_LEGACY 0x01       /* CHANNEL_FLAGS_LEGACY */
#define RDPSHARE_CHANNEL_FLAGS_UNCOMPRESSED 0x02 /* CHANNEL_FLAGS_UNCOMPRESSED */
enum rdpshare_channel_access {
	RDPSHARE_CHANNEL_ACCESS_NONE = 0,
	RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE = 1,
};
/* CreateVirtualChannel: before Open (RDPSHARE_E_UNEXPECTED after), name 1..7
 * printable ASCII characters, unique (RDPSHARE_E_INVALIDARG otherwise).
 * Ownership: *out is the session's. */
int rdpshare_session_create_channel(rdpshare_session *s, const char *name,
                                    enum rdpshare_channel_priority priority, unsigned flags,
                                    rdpshare_channel **out);
int rdpshare_session_channel_count(rdpshare_session *s);
rdpshare_channel *rdpshare_session_channel_at(rdpshare_session *s, int index);
rdpshare_channel *rdpshare_session_find_channel(rdpshare_session *s, const char *name);
const char *rdpshare_channel_name(const rdpshare_channel *ch);
/* SetAccess: NONE or SENDRECEIVE for one attendee (by id). */
int rdpshare_channel_set_access(rdpshare_channel *ch, int attendee_id,
                                enum rdpshare_channel_access access);
enum rdpshare_channel_access rdpshare_channel_get_access(rdpshare_channel *ch, int attendee_id);
/* SendData: queue data (copied) for one attendee or RDPSHARE_ATTENDEE_EVERYONE
 * (every attendee with access). RDPSHARE_E_INVALIDARG for an empty message or
 * one over the size limit, RDPSHARE_E_NOT_FOUND for an unknown attendee,
 * RDPSHARE_E_UNEXPECTED for one without access. Returns at once; each
 * delivery raises channel_send_completed once it went out (the original's
 * pending sends). flags: reserved, 0. */
int rdpshare_channel_send(rdpshare_channel *ch, const void *data, size_t len, int attendee_id,
                          unsigned flags);

/* ConnectToClient: dial the viewer that is listening for us (its connection
 * string, e.g. from `rdpview --listen`), each address in turn, and play the
 * server side of RDP on that socket; the viewer still logs on with an
 * invitation's password. Returns at once (RDPSHARE_E_INVALIDARG for a string
 * that does not parse, RDPSHARE_E_NOT_OPEN before Open); when no address
 * answers within 5 s each, connection_failed is raised. */
int rdpshare_session_connect_to_client(rdpshare_session *s, const char *connection_string);
/* ConnectUsingTransportStream (Session2, our form): run an attendee over a
 * connected stream socket the application already has (its own relay, a
 * socketpair). The library owns fd from now on, also when this fails. Same
 * authentication as any viewer. */
int rdpshare_session_connect_using_transport(rdpshare_session *s, int fd);

/* FrameBuffer (Session2): what viewers are shown, i.e. the shared rect of the
 * desktop as it is now. Width and height follow the shared rect; bpp is 32
 * (the picture before it is reduced to a viewer's colour depth). Needs an
 * open session (RDPSHARE_E_NOT_OPEN). */
int rdpshare_session_get_frame_buffer_info(rdpshare_session *s, int *width, int *height, int *bpp);
/* GetFrameBufferBits: copy the rectangle (x, y, width, height) of the frame
 * buffer into out, 4 bytes a pixel (blue, green, red, unused), stride bytes
 * a row (at least width * 4). RDPSHARE_E_INVALIDARG when the rectangle is not
 * inside the frame buffer. */
int rdpshare_session_get_frame_buffer_bits(rdpshare_session *s, int x, int y, int width, int height,
                                           unsigned char *out, int stride);

/* ColorDepth: 15, 16, 24 or 32 bits per pixel on the wire (default 32).
 * Viewers connected when it changes are re-activated at the new depth.
 * 8 is accepted and served as 16 (get then reports 16), as the original's
 * RequestColorDepthChange does: 8 bpp needs a palette PDU that FreeRDP's
 * server side (2.11 and 3.10) cannot send. */
int rdpshare_session_set_color_depth(rdpshare_session *s, int bpp);
int rdpshare_session_get_color_depth(rdpshare_session *s, int *bpp);

/* Poll this descriptor for readability, then call dispatch. */
int rdpshare_session_get_fd(const rdpshare_session *s);
/* Deliver every queued event, in order, on this (the owner) thread. Returns
 * the number delivered or a negative result. Never blocks. */
int rdpshare_session_dispatch(rdpshare_session *s);
/* Block, dispatching events, until rdpshare_session_stop() or close. */
int rdpshare_session_run(rdpshare_session *s);
/* Make run() return. The one function that may be called from any thread
 * and from a signal handler. */
void rdpshare_session_stop(rdpshare_session *s);

/* The addresses the open session listens on, as "addr:port" strings.
 * Returns the count (at most max); strings are owned by the session and valid
 * until close. */
int rdpshare_session_listen_addresses(rdpshare_session *s, const char **addrs, int max);

/* ---- Properties (IRDPSRAPISessionProperties) ---------------------------- */
/* Names are case-sensitive, as in the original:
 *   PortId                       int   0..65535, default 0 (a free port)   before Open
 *   PortProtocol                 int   0 (AF_UNSPEC), 2 (IPv4), 23 (IPv6)  before Open
 *   FrameCaptureIntervalInMs     int   1..10000, default 33                any time
 *                                      (grabs per interval on average; a change
 *                                      after a still spell goes at once)
 *   DefaultAttendeeControlLevel  int   1 NONE (default) or 2 VIEW          any time
 *   EnableClipboardRedirect      bool  default false                       any time
 *   EnabledTransports            int   1 (TCP; 3 = TCP+UDP is UNSUPPORTED) before Open
 *   EnforceStrongEncryption      bool  default false (TLS is always used)  before Open
 *   DrvConAttach                 bool  accepted, no effect (obsolete since Windows 10)
 * Our additions, prefixed "rdpshare.":
 *   rdpshare.MaxFramesInFlight   int   1..16, default 2: frames a viewer may have
 *                                      unacknowledged before it skips frames
 *   rdpshare.BackgroundColor     int   0xRRGGBB, default 0x303030: what viewers see
 *                                      where the application filter hides the desktop
 *   rdpshare.HandshakeTimeoutMs  int   1000..300000, default 20000: a connection that
 *                                      has not logged on and shown its first picture by
 *                                      then is dropped (refusal PROTOCOL); so are the
 *                                      oldest unfinished ones past 32 from one address
 *                                      or 128 in all, so a flood cannot crowd viewers out
 *   rdpshare.GraphicsPipeline    bool  default 1: viewers that offer the graphics
 *                                      pipeline (MS-RDPEGFX) get it: H.264 (AVC420)
 *                                      shared by all viewers of the same size, with a
 *                                      lossless pass over regions that stop changing;
 *                                      planar tiles where H.264 is not offered. 0: bitmap
 *                                      updates (RemoteFX / planar / interleaved) for all.
 *                                      Read when a viewer connects.
 * Unknown names: RDPSHARE_E_NOT_FOUND; wrong type or value: RDPSHARE_E_INVALIDARG;
 * a before-Open name after Open: RDPSHARE_E_READONLY. Bools are 0/1 ints. */
int rdpshare_session_set_property(rdpshare_session *s, const char *name, long value);
int rdpshare_session_get_property(rdpshare_session *s, const char *name, long *value);
/* Enumerate property names: returns the i-th name or NULL past the end
 * (static storage). *is_bool and *before_open_only describe it. */
const char *rdpshare_property_name(int i, bool *is_bool, bool *before_open_only);

/* ---- Invitations (IRDPSRAPIInvitationManager / IRDPSRAPIInvitation) ----- */

/* CreateInvitation. auth_string: the ticket, unique, at most 255 bytes, NULL
 * to generate one. group: at most 255 bytes (NULL = ""). password: at most 255
 * bytes, NULL or "" for none. attendee_limit >= 0 counts attendees connected
 * through it at once (0: nobody may join). Allowed before and after Open.
 * Admission, as in the original: a Remote Assistance logon names the
 * invitation by its ticket and must give its password; a plain logon's
 * password picks the invitation. An invitation without a password admits
 * only logons that carry its ticket (the invitation file, the connection
 * string), never a plain logon, whatever password that sends: the ticket is
 * then its only secret, so let it be generated (auth_string NULL), and warn
 * whoever asked for it.
 * Ownership: *out belongs to the session (invitations are never deleted,
 * only revoked, as in the original). */
int rdpshare_session_create_invitation(rdpshare_session *s, const char *auth_string,
                                       const char *group, const char *password, int attendee_limit,
                                       rdpshare_invitation **out);
int rdpshare_session_invitation_count(rdpshare_session *s);
rdpshare_invitation *rdpshare_session_invitation_at(rdpshare_session *s, int index);
rdpshare_invitation *rdpshare_session_find_invitation(rdpshare_session *s, const char *auth_string);

/* ConnectionString: the [MS-RAI] XML, one <L> per listening address, KH the
 * base64 SHA-1 of the sharer's TLS public key (DER SubjectPublicKeyInfo).
 * Needs an open session (RDPSHARE_E_NOT_OPEN before). Ownership: *out is
 * malloc'd, caller frees. */
int rdpshare_invitation_get_connection_string(rdpshare_invitation *inv, char **out);
/* Write a file `xfreerdp /assistance:PASSWORD FILE` accepts (0600; never
 * contains the password). Written beside and renamed into place, so a
 * failure (RDPSHARE_E_NOSPACE, RDPSHARE_E_ACCESS, RDPSHARE_E_IO) leaves
 * any earlier file whole and nothing half-written. */
int rdpshare_invitation_write_file(rdpshare_invitation *inv, const char *path);
/* Strings owned by the invitation, valid for the session's lifetime. */
const char *rdpshare_invitation_auth_string(const rdpshare_invitation *inv);
const char *rdpshare_invitation_group(const rdpshare_invitation *inv);
const char *rdpshare_invitation_password(const rdpshare_invitation *inv);
int rdpshare_invitation_get_limit(const rdpshare_invitation *inv);
/* Lowering the limit never disconnects anyone; it stops new joins. */
int rdpshare_invitation_set_limit(rdpshare_invitation *inv, int limit);
bool rdpshare_invitation_is_revoked(const rdpshare_invitation *inv);
/* Revoked: no new attendee joins with it; connected ones stay. */
int rdpshare_invitation_set_revoked(rdpshare_invitation *inv, bool revoked);
/* Attendees connected through it right now. */
int rdpshare_invitation_attendee_count(const rdpshare_invitation *inv);

/* ---- Application filter (IRDPSRAPIApplicationFilter, ...Application,
 * ...Window) ----
 * Share chosen applications' windows instead of the whole desktop (or the
 * shared rect). Applications are processes (X11: the process of the X
 * client that owns the window, else _NET_WM_PID; a client with no known
 * process is one application of its own, with an id of 0x40000000 or
 * more). Windows are the sharable ones: top-level, not override-redirect,
 * not transient for another window, mapped at least once; they stay
 * listed while hidden (minimised) until destroyed. Both lists are followed
 * live from rdpshare_session_open on (before it they are empty).
 *
 * The rules are the original's: filter disabled, the whole desktop; enabled,
 * an application's windows are shown when the application is shared
 * (including its future windows), else each window by its own flag. Menus,
 * tooltips and dialogs follow the window they belong to (transient-for),
 * else their application (shown when the application or any of its windows
 * is). Everything not shown, including any part of a shown window that a
 * hidden one covers, reaches viewers as the rdpshare.BackgroundColor
 * property's colour; clicks and wheel turns there are dropped. New
 * applications start not shared. Viewers on the multiparty channel are told
 * the filter state and, of the applications and windows, only those they
 * can see: mapped windows whose outer geometry meets the shared rect (and,
 * with the filter on, that it shows), and the applications that have one.
 * A window that unmaps or leaves the rect is withdrawn from them as if
 * closed, and told again when it comes back. */
bool rdpshare_session_get_filter_enabled(const rdpshare_session *s);
/* Raises filter_updated when the state changes. */
int rdpshare_session_set_filter_enabled(rdpshare_session *s, bool enabled);
/* Our addition: does this desktop list its windows, so the filter can show
 * some? False for the demo desktop, GNOME (Mutter tells no window
 * positions) and wlroots compositors without sway's IPC; there the filter on
 * shows only the background colour. *why (may be NULL) gets a sentence for
 * the user when false (static storage). */
bool rdpshare_session_has_window_list(const rdpshare_session *s, const char **why);

int rdpshare_session_app_count(rdpshare_session *s);
rdpshare_app *rdpshare_session_app_at(rdpshare_session *s, int index);
/* NULL when no application has that id. */
rdpshare_app *rdpshare_session_find_app(rdpshare_session *s, long id);
int rdpshare_session_window_count(rdpshare_session *s);
rdpshare_window *rdpshare_session_window_at(rdpshare_session *s, int index);
/* NULL when no listed window has that id. */
rdpshare_window *rdpshare_session_find_window(rdpshare_session *s, long id);

long rdpshare_app_id(const rdpshare_app *app);
/* Owned by the application object: its process name (else its window class). */
const char *rdpshare_app_name(const rdpshare_app *app);
/* RDPSHARE_APP_FLAG_PRIVILEGED is never set on X11 (any client can be captured). */
#define RDPSHARE_APP_FLAG_PRIVILEGED 1
#define RDPSHARE_WND_FLAG_PRIVILEGED 1
unsigned rdpshare_app_flags(const rdpshare_app *app);
bool rdpshare_app_get_shared(const rdpshare_app *app);
/* Raises application_update when it changes; viewers see it at once. */
int rdpshare_app_set_shared(rdpshare_app *app, bool shared);
int rdpshare_app_window_count(const rdpshare_app *app);
rdpshare_window *rdpshare_app_window_at(const rdpshare_app *app, int index);

/* The X window id (the original's is a generated number; on the wire Windows
 * uses the window handle too). */
long rdpshare_window_id(const rdpshare_window *w);
/* Owned by the window object: its title, UTF-8 (may be empty). */
const char *rdpshare_window_name(const rdpshare_window *w);
rdpshare_app *rdpshare_window_app(const rdpshare_window *w);
unsigned rdpshare_window_flags(const rdpshare_window *w);
/* The window's own flag (whether it is shown also depends on its
 * application and the filter, see above). */
bool rdpshare_window_get_shared(const rdpshare_window *w);
/* Raises window_update when it changes. */
int rdpshare_window_set_shared(rdpshare_window *w, bool shared);
/* Our addition: where the window is (desktop coordinates, border included)
 * and whether it is on screen now. */
int rdpshare_window_geometry(const rdpshare_window *w, int *x, int *y, int *width, int *height,
                             bool *visible);
/* Show: bring the window to the front (and map it if hidden), for the
 * viewers' benefit. Asynchronous; RDPSHARE_E_NOT_OPEN before Open. */
int rdpshare_window_show(rdpshare_window *w);

/* ---- Attendees (IRDPSRAPIAttendeeManager / IRDPSRAPIAttendee) ----------- */

int rdpshare_session_attendee_count(rdpshare_session *s);
rdpshare_attendee *rdpshare_session_attendee_at(rdpshare_session *s, int index);
/* Item(id): NULL when no attendee has that id. */
rdpshare_attendee *rdpshare_session_find_attendee(rdpshare_session *s, int id);

int rdpshare_attendee_id(const rdpshare_attendee *a);
/* Strings owned by the attendee, valid as long as the attendee. */
const char *rdpshare_attendee_remote_name(const rdpshare_attendee *a);
rdpshare_invitation *rdpshare_attendee_invitation(const rdpshare_attendee *a);
enum rdpshare_ctrl_level rdpshare_attendee_get_control_level(const rdpshare_attendee *a);
/* NONE, VIEW or INTERACTIVE; takes effect at once. Raises attendee_update. */
int rdpshare_attendee_set_control_level(rdpshare_attendee *a, enum rdpshare_ctrl_level level);
/* SendControlLevelChangeResponse (Session2): answer a control_level_change_request
 * without (or besides) changing the level; the viewer gets it on the multiparty
 * channel (MS-RDPEMC OD_PARTICIPANT_CTRL_CHANGE_RESPONSE) with reason (ours: 0
 * granted, 1 denied; the original leaves reason codes to the application).
 * Viewers that leave the client product id empty (FreeRDP 2.x and 3.x: its multiparty
 * client drops the connection on this PDU) are not sent it.
 * RDPSHARE_E_UNEXPECTED when 8 answers already wait for the viewer. */
int rdpshare_attendee_send_control_level_change_response(rdpshare_attendee *a,
                                                         enum rdpshare_ctrl_level level,
                                                         long reason);
/* Our addition: the control request this attendee waits on: its id (> 0,
 * unique in the session) and, when level is not NULL, the level it asked
 * for; 0 when none waits (never asked, answered, or the attendee left).
 * In the control_level_change_request callback it is the request raised. */
long rdpshare_attendee_get_control_request(const rdpshare_attendee *a,
                                           enum rdpshare_ctrl_level *level);
/* Our addition: answer control request request_id. grant: set exactly the
 * level that request asked for, then tell the viewer (reason 0); deny: only
 * tell it (reason 1), the level stays. Either way the request is done.
 * RDPSHARE_E_NOT_FOUND when no attendee waits on that id: answered
 * already, superseded by a newer request of another level, or its
 * attendee left; nothing changes then. */
int rdpshare_session_answer_control_request(rdpshare_session *s, long request_id, bool grant);
int rdpshare_attendee_flags(const rdpshare_attendee *a);
/* IRDPSRAPITcpConnectionInfo. Strings owned by the attendee. */
const char *rdpshare_attendee_peer_ip(const rdpshare_attendee *a);
int rdpshare_attendee_peer_port(const rdpshare_attendee *a);
const char *rdpshare_attendee_local_ip(const rdpshare_attendee *a);
int rdpshare_attendee_local_port(const rdpshare_attendee *a);
/* TerminateConnection: not blocking; the attendee is gone once its
 * attendee_disconnected callback (reason APP) has run. */
int rdpshare_attendee_terminate(rdpshare_attendee *a);

/* Our addition: what the sharer has done for this attendee so far. Set size
 * to sizeof(struct rdpshare_attendee_stats) before the call: only the first
 * size bytes are written, so a program built against an older, shorter
 * struct keeps working when fields are added at the end. */
struct rdpshare_attendee_stats {
	size_t size;
	uint64_t frames_sent;     /* picture updates sent */
	uint64_t frames_skipped;  /* updates it missed because it was behind */
	uint64_t bytes_sent;      /* picture bytes handed to the connection */
	uint64_t input_dropped;   /* input events dropped (level below INTERACTIVE) */
	uint64_t input_injected;  /* input events passed to the desktop (INTERACTIVE) */
	uint64_t channel_dropped; /* virtual-channel messages from it without access */
	int color_depth;          /* bits per pixel negotiated */
	const char *codec;        /* "avc420", "gfx-planar", "remotefx", "planar", "interleaved" */
	/* time from the sharer seeing a change to its update leaving for the
	 * socket, over the last 256 updates (0 before the first) */
	uint32_t latency_p50_us, latency_p95_us;
};
/* RDPSHARE_E_INVALIDARG when out->size is smaller than the first version of
 * the struct (every field up to latency_p95_us). */
int rdpshare_attendee_get_stats(const rdpshare_attendee *a, struct rdpshare_attendee_stats *out);

/* ---- Viewer (IRDPSRAPIViewer, IRDPViewerInputSink) ----------------------
 * The other half of the original API: a viewer a program embeds. It joins
 * a sharer (rdpshare or any RDP sharer that speaks the multiparty channel)
 * over TLS, checks the sharer's key before anything is sent, hands each
 * picture to the application as a read-only frame buffer plus the damaged
 * rectangles (the application draws, scales and picks its colours), sends
 * the application's input, asks for control and carries virtual channels.
 *
 * Threads: the same apartment rule as the session. The thread that creates
 * the viewer owns it: every rdpshare_viewer_* function must be called on it
 * (else RDPSHARE_E_WRONG_THREAD), and every callback runs on it, in order,
 * inside rdpshare_viewer_dispatch(). The network runs on a thread of the
 * library's own. Poll rdpshare_viewer_get_fd() for readability.
 *
 * Pictures: the frame buffer (rdpshare_viewer_get_frame) is the viewer's
 * copy of the sharer's desktop, 32 bits a pixel (bytes blue, green, red,
 * unused), updated only inside dispatch, just before the frame callback that
 * names what changed; between dispatches it stays still, so the application
 * may read it at leisure. Updates that arrive faster than the application
 * dispatches are merged: the frame callback then names every rectangle
 * changed since the last one. */

/* The sharer's answer to viewer_connect, as the original's
 * OnConnectionTerminated discReason (the subset this viewer reports). */
enum rdpshare_viewer_reason {
	RDPSHARE_VIEWER_NO_INFO = 0,
	RDPSHARE_VIEWER_LOCAL = 1,            /* rdpshare_viewer_disconnect */
	RDPSHARE_VIEWER_BY_SERVER = 3,        /* the sharer ended it (see ext) */
	RDPSHARE_VIEWER_HOST_NOT_FOUND = 520, /* a name that does not resolve */
	RDPSHARE_VIEWER_CONNECT_FAILED = 516, /* nothing answered at the address */
	RDPSHARE_VIEWER_INTERNAL = 1032,      /* out of memory, a broken stream */
	/* the sharer's certificate is not the one expected (the invitation's
	 * KH, the pinned one, the known-hosts file's): nothing was sent */
	RDPSHARE_VIEWER_BAD_CERTIFICATE = 1542,
	RDPSHARE_VIEWER_SOCKET_CLOSED = 2308, /* the connection dropped */
};
/* ExtendedInfo (the sharer's MS-RDPBCGR error info, as the original). */
#define RDPSHARE_VIEWER_EXT_NONE 0x0000
#define RDPSHARE_VIEWER_EXT_API_DISCONNECT 0x0001 /* removed, or the session closed */
#define RDPSHARE_VIEWER_EXT_SERVER_DENIED 0x0007  /* invitation full, or closing */
/* wrong password or ticket, or a revoked invitation (rdpshare's sharer sends
 * error info 9, insufficient privileges, which is reported as this) */
#define RDPSHARE_VIEWER_EXT_INVALID_CREDENTIALS 0x0300

/* How the sharer's certificate was judged (certificate_checked). */
enum rdpshare_viewer_cert_result {
	RDPSHARE_VIEWER_CERT_PINNED = 0,       /* equal to the invitation's or the pinned KH */
	RDPSHARE_VIEWER_CERT_KNOWN = 1,        /* equal to the known-hosts entry */
	RDPSHARE_VIEWER_CERT_RECORDED = 2,     /* first use: recorded in known-hosts */
	RDPSHARE_VIEWER_CERT_NOT_RECORDED = 3, /* first use, accepted, but the file could
	                                        * not be written (error) */
	RDPSHARE_VIEWER_CERT_UNCHECKED = 4,    /* insecure: accepted, nothing to check */
	RDPSHARE_VIEWER_CERT_MISMATCH = 5,     /* refused: another key than expected */
	RDPSHARE_VIEWER_CERT_UNREADABLE = 6,   /* refused: known-hosts cannot be read */
	RDPSHARE_VIEWER_CERT_NONE = 7,         /* refused: no usable certificate */
};
struct rdpshare_viewer_certificate {
	const char *host;
	int port;
	const char *kh;            /* the sharer's key hash (NULL for CERT_NONE) */
	const char *expected;      /* the KH it had to be, NULL when none was set */
	const char *expected_from; /* "invitation", "pinned", "known-hosts" or NULL */
	const char *known_hosts;   /* the file, when it was used */
	int line;                  /* its line for CERT_KNOWN / CERT_MISMATCH from it */
	int error;                 /* RDPSHARE_E_* for NOT_RECORDED / UNREADABLE */
	enum rdpshare_viewer_cert_result result;
};

/* How a viewer is made. Zero-initialise, set size, then set what you need
 * (only the first size bytes are read; members are only added at the end). */
struct rdpshare_viewer_config {
	size_t size; /* sizeof(struct rdpshare_viewer_config) */
	/* The key hash (28 characters of base64, as in an invitation's KH) the
	 * sharer's certificate must have where the invitation carries none (a
	 * HOST:PORT target, a reverse connection). */
	const char *kh;
	/* Trust on first use for HOST:PORT targets without kh: the file of
	 * "HOST:PORT KH" lines (rdpshare_known_hosts_default_path() gives the
	 * usual one). A first connection records its key; another key later is
	 * refused. NULL: no such file. */
	const char *known_hosts;
	/* Accept any certificate where nothing pins it (anyone in the middle
	 * gets the password): the KH is still reported. */
	bool insecure;
	/* Ask for the graphics pipeline (MS-RDPEGFX, AVC420 where the sharer
	 * offers it) instead of bitmap updates. Pictures reach the application
	 * the same way either way. */
	bool graphics_pipeline;
	/* Virtual channels to open, NULL-terminated (names 1..7 printable ASCII
	 * characters, at most 16). They are joined when the sharer offers them. */
	const char *const *channels;
	/* Bits per pixel asked of the sharer on the wire: 16, 24 or 32 (0: 32).
	 * The frame buffer is 32 bits a pixel regardless. */
	int color_depth;
	/* Offer RemoteFX for bitmap updates: fewer bytes, but lossy. Off (the
	 * default), a sharer sends lossless bitmaps (planar or interleaved), so
	 * the frame buffer is exactly the sharer's picture. */
	bool remotefx;
};

/* An attendee as the sharer announces it (the multiparty list). Strings
 * are owned by the viewer and valid until the attendee is removed. */
struct rdpshare_viewer_attendee {
	int id;
	const char *name;
	enum rdpshare_ctrl_level level;
	bool self; /* this viewer */
};
/* An application or window of the sharer's application filter, as it tells
 * viewers (MS-RDPEMC). id is the sharer's; app_id is 0 for an application.
 * name is owned by the viewer and valid until the entry is removed. */
struct rdpshare_viewer_share_item {
	long id;
	long app_id;
	const char *name;
	bool shared;
};

/* The picture (see "Pictures" above). */
struct rdpshare_viewer_frame {
	const uint8_t *pixels; /* NULL before the first picture */
	int width, height, stride;
	uint64_t updates;   /* picture updates received so far (merged ones included) */
	int64_t arrived_us; /* CLOCK_MONOTONIC time the newest update arrived */
};
struct rdpshare_viewer_rect {
	int x, y, width, height;
};

/* The viewer's events (the original's viewer events of _IRDPSessionEvents).
 * Any member may be NULL; pointers are valid during the callback. */
struct rdpshare_viewer_callbacks {
	size_t size; /* sizeof(struct rdpshare_viewer_callbacks) */
	/* Before anything is sent: how the sharer's certificate was judged. */
	void (*certificate_checked)(rdpshare_viewer *v, const struct rdpshare_viewer_certificate *c,
	                            void *userdata);
	/* OnConnectionEstablished: TLS is up with the right sharer. */
	void (*connected)(rdpshare_viewer *v, void *userdata);
	/* OnConnectionAuthenticated: the sharer accepted the logon. */
	void (*authenticated)(rdpshare_viewer *v, void *userdata);
	/* OnConnectionFailed: no address of the target could be joined (reason
	 * tells the last one's trouble; message is a sentence for the user). */
	void (*connection_failed)(rdpshare_viewer *v, enum rdpshare_viewer_reason reason,
	                          const char *message, void *userdata);
	/* OnConnectionTerminated: a connection that was established ended. */
	void (*disconnected)(rdpshare_viewer *v, enum rdpshare_viewer_reason reason, long ext,
	                     const char *message, void *userdata);
	/* The frame buffer changed in these rectangles (see "Pictures"). */
	void (*frame)(rdpshare_viewer *v, const struct rdpshare_viewer_frame *f,
	              const struct rdpshare_viewer_rect *damage, int n_damage, void *userdata);
	/* OnSharedDesktopSettingsChanged, and OnViewingSizeChanged (this
	 * viewer never crops, so the viewing size is the desktop's): the
	 * sharer's picture has a new size (the frame buffer is black until
	 * painted). Also raised once right after authenticated. */
	void (*desktop_size_changed)(rdpshare_viewer *v, int width, int height, int color_depth,
	                             void *userdata);
	/* The multiparty list: an attendee appeared, changed or left (reason
	 * and code as the sharer gave them). */
	void (*attendee_connected)(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a,
	                           void *userdata);
	void (*attendee_update)(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a,
	                        void *userdata);
	void (*attendee_disconnected)(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a,
	                              int reason, int code, void *userdata);
	/* Our own level changed (also in attendee_update for ourselves). */
	void (*control_level_changed)(rdpshare_viewer *v, enum rdpshare_ctrl_level level,
	                              void *userdata);
	/* OnControlLevelChangeResponse: the sharer's answer to request_control
	 * (rdpshare: reason 0 granted, 1 denied). */
	void (*control_level_change_response)(rdpshare_viewer *v, enum rdpshare_ctrl_level level,
	                                      long reason, void *userdata);
	/* OnGraphicsStreamPaused / Resumed. */
	void (*graphics_stream_paused)(rdpshare_viewer *v, void *userdata);
	void (*graphics_stream_resumed)(rdpshare_viewer *v, void *userdata);
	/* The application filter as the sharer shows it to us: filter on or
	 * off, applications and windows opened, changed (shared, title) and
	 * closed. */
	void (*filter_updated)(rdpshare_viewer *v, bool enabled, void *userdata);
	void (*application_open)(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *app,
	                         void *userdata);
	void (*application_update)(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *app,
	                           void *userdata);
	void (*application_close)(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *app,
	                          void *userdata);
	void (*window_open)(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *w,
	                    void *userdata);
	void (*window_update)(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *w,
	                      void *userdata);
	void (*window_close)(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *w,
	                     void *userdata);
	/* Virtual channels: the sharer opened or closed one of config.channels;
	 * a message arrived on it (from the sharer: attendee id 0); a send went
	 * out. */
	void (*channel_opened)(rdpshare_viewer *v, const char *name, void *userdata);
	void (*channel_closed)(rdpshare_viewer *v, const char *name, void *userdata);
	void (*channel_data)(rdpshare_viewer *v, const char *name, int attendee_id,
	                     const void *data, size_t len, void *userdata);
	void (*channel_send_completed)(rdpshare_viewer *v, const char *name, size_t len,
	                               void *userdata);
	/* OnFocusReleased: rdpshare_viewer_release_focus was called (-1 left,
	 * 1 right), for a widget that hands keyboard focus back to its host. */
	void (*focus_released)(rdpshare_viewer *v, int direction, void *userdata);
};

/* Make a viewer. config and callbacks may be NULL; sizes as for the session.
 * RDPSHARE_E_INVALIDARG for a malformed kh, a bad channel name or depth.
 * Ownership: *out is yours, free it with rdpshare_viewer_destroy. */
int rdpshare_viewer_create(const struct rdpshare_viewer_config *config,
                           const struct rdpshare_viewer_callbacks *callbacks, void *userdata,
                           rdpshare_viewer **out);
/* Disconnect if connected, free everything. No callbacks run. NULL is fine.
 * Not from inside one of its callbacks (call disconnect there instead). */
void rdpshare_viewer_destroy(rdpshare_viewer *v);

/* Connect: target is a connection string (<E>...</E>), the path of an
 * invitation file (either kind), or HOST:PORT. An invitation's addresses
 * are tried in order; its KH must match the sharer's certificate (else
 * config.kh, else config.known_hosts, else config.insecure; with none of
 * them a HOST:PORT target is refused: RDPSHARE_E_INVALIDARG). name (1..255
 * bytes, NULL: $USER) is how the sharer sees us; password is the
 * invitation's. Returns at once; connected, authenticated or
 * connection_failed follow. RDPSHARE_E_UNEXPECTED while connected. */
int rdpshare_viewer_connect(rdpshare_viewer *v, const char *target, const char *name,
                            const char *password);
/* Disconnect: disconnected (reason LOCAL) follows, also when the
 * connection (or a reverse listen) was still being made. RDPSHARE_OK when
 * not connected. */
int rdpshare_viewer_disconnect(rdpshare_viewer *v);
/* Connected and authenticated now. */
bool rdpshare_viewer_is_connected(const rdpshare_viewer *v);

/* StartReverseConnectListener: listen on address ("[ADDR:]PORT", "0" for a
 * free port on every address) and return in *reverse_string the connection
 * string to give the sharer (rdpshare_session_connect_to_client, `rdpshare
 * --connect-to`). invitation (a connection string or invitation file, may be
 * NULL) only supplies the KH the caller must present (else config.kh, else
 * config.insecure). Callers are taken until one shows that key (a port
 * scan or a stranger does not use the listener up), within timeout_ms (0:
 * no limit), and joined as by connect; none: connection_failed. Ownership:
 * *reverse_string is malloc'd, free it. */
int rdpshare_viewer_start_reverse_connect_listener(rdpshare_viewer *v, const char *invitation,
                                                   const char *name, const char *password,
                                                   const char *address, int timeout_ms,
                                                   char **reverse_string);

/* The frame buffer (see "Pictures"): valid until the next dispatch or
 * connect (a new connection starts black). */
int rdpshare_viewer_get_frame(rdpshare_viewer *v, struct rdpshare_viewer_frame *out);

/* RequestControl: ask the sharer for a level for ourselves (NONE, VIEW,
 * INTERACTIVE); the answer comes as control_level_change_response and, when
 * granted, control_level_changed. */
int rdpshare_viewer_request_control(rdpshare_viewer *v, enum rdpshare_ctrl_level level);
/* Our control level as the sharer last told it (INVALID before it did). */
enum rdpshare_ctrl_level rdpshare_viewer_get_control_level(const rdpshare_viewer *v);
/* Our attendee id (-1 until the sharer told it). */
int rdpshare_viewer_get_attendee_id(const rdpshare_viewer *v);
bool rdpshare_viewer_is_paused(const rdpshare_viewer *v);

/* IRDPViewerInputSink. Refused (RDPSHARE_E_DENIED, nothing sent) below
 * INTERACTIVE, RDPSHARE_E_PENDING when not connected. Positions are frame
 * buffer pixels. */
enum rdpshare_mouse_button {                             /* RDPSRAPI_MOUSE_BUTTON_TYPE */
	                     RDPSHARE_MOUSE_BUTTON1 = 0, /* left */
	                     RDPSHARE_MOUSE_BUTTON2 = 1, /* right */
	                     RDPSHARE_MOUSE_BUTTON3 = 2, /* middle */
	                     RDPSHARE_MOUSE_XBUTTON1 = 3,
	                     RDPSHARE_MOUSE_XBUTTON2 = 4,
	                     RDPSHARE_MOUSE_XBUTTON3 = 5, /* RDP has none: RDPSHARE_E_UNSUPPORTED */
};
enum rdpshare_kbd_code_type { /* RDPSRAPI_KBD_CODE_TYPE */
	                      RDPSHARE_KBD_CODE_SCANCODE = 0,
	                      RDPSHARE_KBD_CODE_UNICODE = 1,
};
#define RDPSHARE_KBD_SYNC_SCROLL_LOCK 1 /* RDPSRAPI_KBD_SYNC_FLAG */
#define RDPSHARE_KBD_SYNC_NUM_LOCK 2
#define RDPSHARE_KBD_SYNC_CAPS_LOCK 4
#define RDPSHARE_KBD_SYNC_KANA_LOCK 8
int rdpshare_viewer_send_mouse_move(rdpshare_viewer *v, int x, int y);
int rdpshare_viewer_send_mouse_button(rdpshare_viewer *v, enum rdpshare_mouse_button button,
                                      bool down, int x, int y);
/* rotation: wheel units, 120 a notch, positive away from the user (up);
 * horizontal: the tilt wheel, positive to the right. -32768..32767, sent in
 * steps of at most 255 units. */
int rdpshare_viewer_send_mouse_wheel(rdpshare_viewer *v, int rotation, bool horizontal);
/* A scancode (1..0x7f; extended for the E0 prefix) or a UTF-16 code unit. */
int rdpshare_viewer_send_keyboard(rdpshare_viewer *v, enum rdpshare_kbd_code_type type,
                                  unsigned code, bool up, bool repeat, bool extended);
int rdpshare_viewer_send_sync(rdpshare_viewer *v, unsigned flags);
/* OnFocusReleased: raise focus_released (direction -1 or 1). */
int rdpshare_viewer_release_focus(rdpshare_viewer *v, int direction);

/* The multiparty lists, as last told (owned by the viewer; see the structs). */
int rdpshare_viewer_attendee_count(const rdpshare_viewer *v);
const struct rdpshare_viewer_attendee *rdpshare_viewer_attendee_at(const rdpshare_viewer *v,
                                                                   int index);
bool rdpshare_viewer_get_filter_enabled(const rdpshare_viewer *v);
int rdpshare_viewer_app_count(const rdpshare_viewer *v);
const struct rdpshare_viewer_share_item *rdpshare_viewer_app_at(const rdpshare_viewer *v,
                                                                int index);
int rdpshare_viewer_window_count(const rdpshare_viewer *v);
const struct rdpshare_viewer_share_item *rdpshare_viewer_window_at(const rdpshare_viewer *v,
                                                                   int index);
/* IRDPSRAPIWindow::Show from the viewer: ask the sharer to bring a listed
 * window to the front. RDPSHARE_E_DENIED below INTERACTIVE (the sharer
 * would ignore it), RDPSHARE_E_NOT_FOUND for a window not listed. */
int rdpshare_viewer_show_window(rdpshare_viewer *v, long window_id);

/* SendData on one of config.channels to the sharer (attendee_id
 * RDPSHARE_ATTENDEE_ID_HOST, the only one a viewer reaches). The limits of
 * the sharer side: 1..1024 bytes, up to 409600 with
 * RDPSHARE_CHANNEL_FLAGS_LEGACY. RDPSHARE_E_PENDING while the channel is not
 * open, RDPSHARE_E_NOT_FOUND for a name not in config.channels. */
int rdpshare_viewer_channel_send(rdpshare_viewer *v, const char *name, const void *data, size_t len,
                                 int attendee_id, unsigned flags);

/* What the connection did so far (bytes and updates received). Set size. */
struct rdpshare_viewer_stats {
	size_t size;
	uint64_t updates;        /* picture updates */
	uint64_t bytes_received; /* on the wire */
	int64_t connected_us;    /* CLOCK_MONOTONIC time authenticated (0: not yet) */
	int64_t first_update_us; /* ... of the first picture update (0: none) */
};
int rdpshare_viewer_get_stats(const rdpshare_viewer *v, struct rdpshare_viewer_stats *out);

/* The counterpart of the original's hidden IRDPSRAPIDebug: send raw bytes
 * on the multiparty channel, for testing a sharer's parser. */
int rdpshare_viewer_debug_send_multiparty(rdpshare_viewer *v, const void *data, size_t len);

int rdpshare_viewer_get_fd(const rdpshare_viewer *v);
/* Deliver every queued event, in order. Returns how many, or a negative
 * result. Never blocks. */
int rdpshare_viewer_dispatch(rdpshare_viewer *v);

/* The usual known-hosts file: $XDG_CONFIG_HOME/rdpview/known_hosts, else
 * ~/.config/rdpview/known_hosts. RDPSHARE_E_NOT_FOUND when neither variable
 * is set. Ownership: *out is malloc'd, free it. */
int rdpshare_known_hosts_default_path(char **out);
/* Whether s is a key hash as an invitation's KH (28 characters of base64). */
bool rdpshare_kh_is_valid(const char *s);

/* Text a peer chose (names, titles, channel data), made safe to show:
 * ESCAPE_TERMINAL gives one line with control characters, bidi overrides
 * and invalid UTF-8 escaped, at most max_chars (0: no cap); ESCAPE_JSON the
 * body of a JSON string (no quotes) that is also inert on a terminal.
 * Ownership: malloc'd (NULL when out of memory), free it. */
enum rdpshare_escape {
	RDPSHARE_ESCAPE_TERMINAL = 0,
	RDPSHARE_ESCAPE_JSON = 1,
};
char *rdpshare_escape_text(const char *s, size_t len, enum rdpshare_escape how, size_t max_chars);

/* Name of a result code, e.g. "invalid argument". Static storage. */
const char *rdpshare_strerror(int result);
/* Names for the enums ("view", "client", "bad-password" ...). Static storage. */
const char *rdpshare_ctrl_level_name(enum rdpshare_ctrl_level level);
const char *rdpshare_disconnect_reason_name(enum rdpshare_disconnect_reason reason);
const char *rdpshare_refusal_name(enum rdpshare_refusal why);

#ifdef __cplusplus
}
#endif
#endif
