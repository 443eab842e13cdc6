#include "rdp/conn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <freerdp/channels/drdynvc.h>
#include <freerdp/channels/wtsvc.h>
#include <freerdp/error.h>
#include <freerdp/freerdp.h>
#include <freerdp/peer.h>
#include <freerdp/settings.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#include "encode/encoder.h"
#include "engine.h"
#include "rdp/chan_guard.h"
#include "rdp/clip.h"
#include "rdp/dvc.h"
#include "rdp/encomsp.h"
#include "rdp/host.h"
#include "rdp/input.h"
#include "rdp/logon.h"
#include "rdp/peer_ctx.h"
#include "rdp/multiparty.h"
#include "rdp/server.h"
#include "rdp/view.h"
#include "rdpshare.h"
#include "util/clock.h"
#include "util/ratelimit.h"
#include "util/thread.h"
#include "util/wake.h"

/* Bytes that may wait unsent (or unacknowledged) in the kernel before a
 * viewer counts as behind: at most this, and at most half the socket's
 * real send buffer (SEND_BUFFER is only asked for: net.core.wmem_max caps
 * it, near 416 KiB on a stock machine), so the next write mostly finds
 * room while a distant viewer still gets a round trip's worth in flight.
 * FreeRDP's own write waits until the kernel took everything, so a write
 * that does not fit still blocks while the viewer reads nothing: ending
 * such a connection takes conn_cut (LEAVE_GRACE_MS). */
#define MAX_UNSENT_BYTES (1024 * 1024)
#define SEND_BUFFER (8 * 1024 * 1024)
/* A connection told to end (kicked, or the session closing) has this long
 * to say goodbye; then its socket is shut down (by the server's reaper or
 * server_stop), which fails a write blocked on a viewer that reads nothing. */
#define LEAVE_GRACE_MS 500

struct conn {
	struct server *srv;
	const struct rdp_host *host;
	struct engine *engine;
	const struct tls_identity *id;
	int fd;
	int wake_fd;  /* the session: terminate, level, pause, depth, channel data */
	int frame_fd; /* the hub: a new frame or cursor */
	freerdp_peer *peer;
	pthread_t thread;
	atomic_bool finished;
	atomic_bool silent;       /* session closing: no events */
	atomic_bool handshaken;   /* announced: past logon and first picture */
	atomic_bool cut;          /* conn_cut was called */
	atomic_bool kicked;       /* the sharer asked it to end (terminate) */
	_Atomic int64_t leave_by; /* told to end: cut when not finished by this (ms); 0: no */
	int cut_fd;               /* a duplicate of fd that FreeRDP never closes, so conn_cut cannot
	                           * hit a number FreeRDP freed and something else reused */
	int64_t started_ms, deadline_ms;
	struct conn *next;
	struct endpoints ends;

	struct host_member *member; /* admitted; the connection's reference */
	struct member_stats *stats;
	bool announced, activated, subscribed;
	bool suppressed;
	struct ratelimit requests; /* control requests (on_control_request) */
	int last_level;
	struct host_state state; /* the session's, as of this pass */

	struct view view;
	struct input_sink input;
	struct clip_chan clip;
	struct dvc_set dvc;
	/* caps on what the viewer's channel messages may make FreeRDP buffer;
	 * FreeRDP's receive function sits behind it */
	struct chan_guard guard;
	psPeerReceiveChannelData receive_channel_data;

	/* multiparty channel */
	HANDLE vcm;
	struct multiparty mp;
	uint64_t roster_gen; /* last roster generation told */
	/* the roster line: a reference kept until conn_free, read by other
	 * connections under the server's lock */
	_Atomic(struct host_member *) listed;
	atomic_bool left;
	struct roster_entry *roster; /* ROSTER_MAX, for tell_viewer */
	atomic_uint disc_type, disc_code;
};

/* FreeRDP keeps process-wide state for peers (WTSOpenServerA's handle table,
 * created and freed on demand, and its session counter) without locks;
 * connections start and end on the accept thread, reverse-connect dials and
 * the owner thread. */
static pthread_mutex_t setup_lock = PTHREAD_MUTEX_INITIALIZER;

static struct conn *conn_of(rdpContext *ctx)
{
	return ((struct peer_ctx *)ctx)->conn;
}

void conn_wake(void *arg)
{
	util_wake_poke(((struct conn *)arg)->wake_fd);
}

static void member_info(struct conn *c, struct member_info *out)
{
	c->host->ops->info(c->host->ctx, c->member, out);
}

/* ---- pacing's view of the socket ---- */

/* What the kernel has not sent yet, and FreeRDP's own output buffer: its
 * write normally returns only once that is empty, but when it holds
 * anything the viewer is behind whatever the kernel says (asked once the
 * transport is surely set up: past the handshake). */
static size_t unsent_bytes(void *ctx)
{
	struct conn *c = ctx;
	if (c->announced && c->peer->IsWriteBlocked && c->peer->IsWriteBlocked(c->peer)) {
		return SIZE_MAX;
	}
	int unsent = 0;
	if (ioctl(c->fd, SIOCOUTQ, &unsent) < 0) {
		return 0;
	}
	return unsent > 0 ? (size_t)unsent : 0;
}

static bool behind(struct conn *c)
{
	return pace_behind(&c->view.pic.pace);
}

/* Told to end: from now on the grace period runs (once). */
static void leave_soon(struct conn *c)
{
	int64_t none = 0;
	if (atomic_compare_exchange_strong(&c->leave_by, &none, util_clock_ms() + LEAVE_GRACE_MS)) {
		server_wake(c->srv); /* its reaper keeps the time */
	}
}

/* The session's wake-up for this attendee (level, terminate, channel data),
 * on the thread that changed it. A kick must not wait for this thread: it
 * may be stuck in a write to a viewer that reads nothing. c->member is set
 * before the bind and cleared after the unbind, both under the session's
 * lock that calls us. */
static void on_member_wake(void *arg)
{
	struct conn *c = arg;
	struct member_info mi;
	c->host->ops->info(c->host->ctx, c->member, &mi);
	if (mi.terminate) {
		atomic_store(&c->kicked, true);
		leave_soon(c);
	}
	conn_wake(c);
}

/* Send what the channels queued and take what came in. Dynamic channels
 * are offered once the viewer is active: FreeRDP 3's channel manager would
 * open drdynvc on the first call, before the viewer joined any channel,
 * and never try again. */
static bool channels_flush(void *arg)
{
	struct conn *c = arg;
	if (c->activated && WTSVirtualChannelManagerGetDrdynvcState(c->vcm) == DRDYNVC_STATE_NONE &&
	    WTSVirtualChannelManagerIsChannelJoined(c->vcm, DRDYNVC_SVC_CHANNEL_NAME) &&
	    !WTSVirtualChannelManagerOpen(c->vcm)) {
		return false;
	}
	return WTSVirtualChannelManagerCheckFileDescriptorEx(c->vcm, FALSE);
}

/* ---- channel caps (rdp/chan_guard.h) ---- */

static size_t dvc_cap(void *arg, uint32_t id)
{
	struct conn *c = arg;
	size_t cap = 0;
	if (c->view.gfx.ctx && id == c->view.gfx.channel_id) {
		return CHAN_CAP_GFX;
	}
	return dvc_channel_cap(&c->dvc, c->host, id, &cap) ? cap : CHAN_CAP_DVC_OTHER;
}

/* Every chunk of every static channel passes here before FreeRDP buffers
 * it; refusing one makes FreeRDP end the connection. */
static BOOL on_channel_data(freerdp_peer *peer, UINT16 id, const BYTE *data, size_t size,
                            UINT32 flags, size_t total)
{
	struct conn *c = conn_of(peer->context);
	int r =
	    chan_guard_chunk(&c->guard, id, WTSChannelGetName(peer, id), data, size, flags, total);
	if (r < 0) {
		return FALSE;
	}
	if (r == CHAN_GUARD_SKIP) {
		if (!(flags & CHANNEL_FLAG_LAST)) {
			return TRUE;
		}
		if (c->stats) {
			atomic_fetch_add(&c->stats->channel_dropped, 1);
		}
		/* an empty first chunk: FreeRDP forgets the message's start */
		static const BYTE none[1];
		return c->receive_channel_data(peer, id, none, 0, CHANNEL_FLAG_FIRST, 0);
	}
	return c->receive_channel_data(peer, id, data, size, flags, total);
}

/* ---- the peer's callbacks ---- */

static void desired_size(struct conn *c, UINT32 *w, UINT32 *h)
{
	struct frame *f = hub_latest(c->view.pic.hub);
	if (f) {
		/* The frame is the truth (it is clipped to the real desktop). */
		*w = (UINT32)f->width;
		*h = (UINT32)f->height;
		frame_unref(f);
	} else {
		*w = (UINT32)c->state.rect_w;
		*h = (UINT32)c->state.rect_h;
	}
}

static BOOL on_capabilities(freerdp_peer *peer)
{
	struct conn *c = conn_of(peer->context);
	if (!c->member) {
		if (!(c->member = logon_admit(peer, c->host, &c->ends))) {
			return FALSE;
		}
		c->stats = c->host->ops->stats(c->host->ctx, c->member);
		c->view.pic.member = c->member;
		c->view.pic.stats = c->stats;
		c->input = (struct input_sink){
		    .engine = c->engine, .host = c->host, .member = c->member, .stats = c->stats};
		((struct peer_ctx *)peer->context)->input = &c->input;
		c->host->ops->bind(c->host->ctx, c->member, on_member_wake, c);
	}
	/* The demand-active PDU carries our size and depth; clients adopt both. */
	c->host->ops->state(c->host->ctx, &c->state);
	UINT32 w, h;
	desired_size(c, &w, &h);
	rdpSettings *st = peer->context->settings;
	return freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, w) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, h) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, (UINT32)c->state.color_depth);
}

/* FreeRDP fails a peer whose PostConnect is not set. */
static BOOL on_post_connect(freerdp_peer *peer)
{
	(void)peer;
	return TRUE;
}

/* The clipboard rule on the session's state of this moment: the clipboard
 * channel asks it for every PDU it acts on, so one that arrives after a
 * demotion or a change of owner, before the next service pass, is refused. */
static bool clip_may_share(void *arg)
{
	struct conn *c = arg;
	if (!c->member) {
		return false;
	}
	struct host_state st;
	c->host->ops->state(c->host->ctx, &st);
	struct member_info mi;
	member_info(c, &mi);
	return clip_rule(&st, &mi);
}

static BOOL on_activate(freerdp_peer *peer)
{
	struct conn *c = conn_of(peer->context);
	const rdpSettings *st = peer->context->settings;
	if (!c->member) {
		return FALSE; /* never admitted: cannot happen past capabilities */
	}
	c->activated = true;
	view_activate(&c->view, st, c->state.max_frames_in_flight, !c->announced, util_clock_ms());
	if (!c->announced) {
		c->announced = true;
		atomic_store(&c->handshaken, true);
		c->host->ops->ref(c->host->ctx, c->member);
		atomic_store(&c->listed, c->member);
		c->host->ops->ready(c->host->ctx, c->member);
		struct member_info mi;
		member_info(c, &mi);
		/* Windows viewers and rdpview fill in the client's digital product
		 * id; FreeRDP leaves it empty, and its encomsp client cannot take
		 * a control-change response. */
		const char *product = freerdp_settings_get_string(st, FreeRDP_ClientProductId);
		multiparty_open(&c->mp, c->vcm, mi.id, product && product[0]);
		clip_open(&c->clip, c->vcm, peer->context, c->state.board, clip_may_share, c);
		server_roster_changed(c->srv);
	}
	if (!c->subscribed && hub_subscribe(c->view.pic.hub, c->frame_fd) == 0) {
		c->subscribed = true;
	}
	return TRUE;
}

static BOOL on_frame_ack(rdpContext *ctx, UINT32 frame_id)
{
	(void)frame_id;
	struct conn *c = conn_of(ctx);
	if (c->view.gfx.state != GFX_READY) {
		/* a bitmap frame's (a late one is not the pipeline's) */
		pace_acked(&c->view.pic.pace);
	}
	return TRUE;
}

/* Shown again, or asked to draw everything anew: a whole picture, limited
 * by pace (a viewer repeating these must not make us encode all the time). */
static BOOL on_suppress_output(rdpContext *ctx, BYTE allow, const RECTANGLE_16 *area)
{
	(void)area;
	struct conn *c = conn_of(ctx);
	c->suppressed = !allow;
	if (allow) {
		pace_force_full(&c->view.pic.pace, util_clock_ms());
	}
	return TRUE;
}

static BOOL on_refresh_rect(rdpContext *ctx, BYTE count, const RECTANGLE_16 *areas)
{
	(void)count;
	(void)areas;
	pace_force_full(&conn_of(ctx)->view.pic.pace, util_clock_ms());
	return TRUE;
}

/* The multiparty channel: who is in the session, their levels, paused, the
 * application filter and the sharer's answers to this viewer's requests. */
static bool tell_viewer(struct conn *c, int level)
{
	if (!c->mp.chan) {
		return true;
	}
	uint64_t gen = server_roster_gen(c->srv);
	int n = -1; /* the roster did not change */
	if (gen != c->roster_gen || c->mp.sent_paused != (int)c->state.paused) {
		c->roster_gen = gen;
		if (!c->roster && !(c->roster = calloc(ROSTER_MAX, sizeof(*c->roster)))) {
			return false;
		}
		n = server_roster(c->srv, c->roster, ROSTER_MAX);
	}
	return multiparty_service(&c->mp, c->host, c->member, c->roster, n, c->state.paused, level);
}

/* A viewer's control requests become events, prompts and lines on the
 * sharer's terminal; one message can carry hundreds of them. A person asks
 * a few times a minute: more than CONTROL_REQUESTS_PER_S a second are
 * dropped (and counted) before they reach the session. */
#define CONTROL_REQUESTS_PER_S 4

static void on_control_request(void *ctx, int level)
{
	struct conn *c = ctx;
	if (!c->member) {
		return;
	}
	if (!ratelimit_take(&c->requests, util_clock_ms(), CONTROL_REQUESTS_PER_S, 1000)) {
		atomic_fetch_add(&c->stats->input_dropped, 1);
		return;
	}
	c->host->ops->control_request(c->host->ctx, c->member, level);
}

/* Show window: as on Windows, only from a participant allowed to interact
 * (MS-RDPEMC note <27>). */
static void on_show_window(void *ctx, uint32_t wnd)
{
	struct conn *c = ctx;
	if (!c->member) {
		return;
	}
	struct member_info mi;
	member_info(c, &mi);
	if (mi.level == RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		c->host->ops->show_window(c->host->ctx, wnd);
	} else {
		atomic_fetch_add(&c->stats->input_dropped, 1);
	}
}

/* Everything that may have changed since the last wake-up. Returns false
 * when the connection broke. */
static bool service(struct conn *c)
{
	c->view.gfx_wait_ms = -1; /* asked afresh by the pipeline on each pass */
	if (!c->activated || !c->member) {
		return true;
	}
	c->host->ops->state(c->host->ctx, &c->state);
	pace_set_max_in_flight(&c->view.pic.pace, c->state.max_frames_in_flight);
	struct member_info mi;
	member_info(c, &mi);
	int level = mi.level;
	/* the clipboard's permission follows at once; what it would tell the
	 * viewer is only queued (one message per change on the desktop) */
	clip_sync(&c->clip, clip_rule(&c->state, &mi));
	/* a level change takes effect even for a viewer that is behind (none
	 * of this writes to it) */
	if (level != c->last_level && level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		input_release_all(&c->input); /* no stuck keys after a demotion */
	}
	if (level != c->last_level) {
		if (level >= RDPSHARE_CTRL_LEVEL_VIEW && c->last_level < RDPSHARE_CTRL_LEVEL_VIEW) {
			view_restart(&c->view);
		}
		c->last_level = level;
	}
	if (behind(c)) {
		/* what it sends is still taken: FreeRDP queues a dynamic
		 * channel's messages without limit until they are read */
		dvc_read(&c->dvc, c->host, c->member, c->stats);
		/* Nothing is written to a viewer that is behind: a write could
		 * block this thread. What it misses is told when it catches up
		 * (roster and answers by generation, channel messages stay
		 * queued, pictures and pointer from the hub); pace_timeout
		 * looks again. */
		return true;
	}
	if (!tell_viewer(c, level)) {
		return false;
	}
	dvc_service(&c->dvc, c->host, c->member, c->stats);
	int64_t now = util_clock_ms();
	view_pipeline(&c->view, c->vcm, c->peer->context, c->state.graphics_pipeline,
	              WTSVirtualChannelManagerGetDrdynvcState(c->vcm) == DRDYNVC_STATE_READY,
	              c->wake_fd, now);
	/* what the channels queued goes out now */
	if (!channels_flush(c)) {
		return false;
	}
	if (level < RDPSHARE_CTRL_LEVEL_VIEW || c->state.paused || c->suppressed) {
		return true; /* nothing is shown: not before VIEW, not while paused */
	}
	bool resized = false;
	bool ok = view_send(&c->view, c->peer->context, c->state.color_depth, now, channels_flush,
	                    c, &resized);
	if (resized) {
		c->activated = false; /* pictures resume with the re-activation */
	}
	return ok;
}

/* How long the loop may sleep. */
static int poll_timeout(struct conn *c)
{
	int64_t now = util_clock_ms();
	if (!c->announced) {
		int64_t left = c->deadline_ms - now;
		return left > 0 ? (int)left : 0;
	}
	if (behind(c)) {
		return PACE_BEHIND_RETRY_MS; /* nothing says when the socket drains */
	}
	return c->activated ? view_timeout(&c->view, now) : -1;
}

/* Leaving: tell the viewer and everyone else, give the attendee back. */
static void finish(struct conn *c, enum rdpshare_disconnect_reason reason, int code)
{
	freerdp_peer *peer = c->peer;
	bool silent = atomic_load(&c->silent);
	if (c->subscribed) {
		hub_unsubscribe(c->view.pic.hub, c->frame_fd);
	}
	view_finish(&c->view);
	if (c->activated && (reason == RDPSHARE_DISCONNECT_APP || silent)) {
		/* removed by the sharer (terminate, or the session closed) */
		logon_error_info(peer, ERRINFO_RPC_INITIATED_DISCONNECT);
	}
	if (!silent && reason != RDPSHARE_DISCONNECT_CLI) {
		peer->Disconnect(peer);
	}
	atomic_store(&c->disc_type,
	             reason == RDPSHARE_DISCONNECT_APP ? ENCOMSP_DISC_APP : ENCOMSP_DISC_CLI);
	/* MS-RDPEMC's codes: S_OK, or "an error on the host side" */
	atomic_store(&c->disc_code, reason == RDPSHARE_DISCONNECT_ERR ? 0xD0000001u : 0u);
	atomic_store(&c->left, true);
	multiparty_close(&c->mp);
	if (atomic_load(&c->listed) && !silent) {
		server_roster_changed(c->srv);
	}
	if (c->member) {
		dvc_close(&c->dvc, c->host, c->announced ? c->member : NULL);
		input_release_all(&c->input); /* a viewer that leaves lets go */
		c->host->ops->bind(c->host->ctx, c->member, NULL, NULL);
		c->host->ops->gone(c->host->ctx, c->member, reason, code, c->announced && !silent);
		c->member = NULL;
	} else if (!silent && !c->announced &&
	           (code == -ETIMEDOUT || code == -EPROTO || atomic_load(&c->cut))) {
		/* too slow, crowded out by a flood (conn_cut), or no TLS for it */
		char addr[96];
		snprintf(addr, sizeof(addr), "%s:%d", c->ends.peer_ip, c->ends.peer_port);
		c->host->ops->refused(c->host->ctx, RDPSHARE_REFUSED_PROTOCOL, NULL, addr);
	}
	if (c->cut_fd >= 0) {
		/* our duplicate would keep the socket open until the reaper frees
		 * us: end it now so the viewer sees the close at once */
		shutdown(c->cut_fd, SHUT_RDWR);
	}
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	freerdp_peer *peer = c->peer;
	enum rdpshare_disconnect_reason reason = RDPSHARE_DISCONNECT_CLI;
	int code = 0;

	if (!logon_identity(peer->context, c->id) || !peer->Initialize(peer)) {
		reason = RDPSHARE_DISCONNECT_ERR;
		code = -EPROTO;
	}
	while (code == 0 && !atomic_load(&c->silent)) {
		HANDLE handles[32];
		DWORD n = peer->GetEventHandles(peer, handles, 32);
		struct pollfd pfd[36];
		nfds_t nfd = 0;
		for (DWORD i = 0; i < n; i++) {
			int fd = GetEventFileDescriptor(handles[i]);
			if (fd >= 0) {
				pfd[nfd++] = (struct pollfd){fd, POLLIN, 0};
			}
		}
		pfd[nfd++] = (struct pollfd){c->wake_fd, POLLIN, 0};
		pfd[nfd++] = (struct pollfd){c->frame_fd, POLLIN, 0};
		nfds_t clip_at = nfd;
		pfd[nfd++] = (struct pollfd){c->clip.ctx ? c->clip.fd : -1, POLLIN, 0};
		if (poll(pfd, nfd, poll_timeout(c)) < 0 && errno != EINTR) {
			reason = RDPSHARE_DISCONNECT_ERR;
			code = -errno;
			break;
		}
		util_wake_drain(c->wake_fd);
		util_wake_drain(c->frame_fd);
		if (atomic_load(&c->silent)) {
			break;
		}
		struct member_info mi = {0};
		if (c->member) {
			member_info(c, &mi);
		}
		if (mi.terminate) {
			reason = RDPSHARE_DISCONNECT_APP;
			break;
		}
		/* the viewer's input is read even while it is behind; what the
		 * channels queued waits until it is not */
		if (!peer->CheckFileDescriptor(peer) || (!behind(c) && !channels_flush(c))) {
			if (c->guard.refused) {
				/* a channel message over its cap: the viewer's fault */
				reason = RDPSHARE_DISCONNECT_ERR;
				code = -EMSGSIZE;
			}
			break; /* the viewer closed or sent something broken */
		}
		multiparty_receive(&c->mp, on_control_request, on_show_window, c);
		if ((pfd[clip_at].revents & POLLIN) && !clip_check(&c->clip)) {
			break;
		}
		if (!c->announced && util_clock_ms() >= c->deadline_ms) {
			reason = RDPSHARE_DISCONNECT_ERR;
			code = -ETIMEDOUT;
			break;
		}
		if (!service(c)) {
			/* Writing failed: the viewer closed its end, cleanly in the
			 * middle of a frame or by dying. Either way the client left;
			 * the code tells it did not say goodbye first. */
			reason = RDPSHARE_DISCONNECT_CLI;
			code = -EPIPE;
			break;
		}
	}
	if (atomic_load(&c->kicked)) {
		/* a write that failed once the kick cut the socket: still a kick */
		reason = RDPSHARE_DISCONNECT_APP;
		code = 0;
	}
	if (reason == RDPSHARE_DISCONNECT_APP || atomic_load(&c->silent)) {
		leave_soon(c); /* the goodbye gets the grace period, no more */
	}
	finish(c, reason, code);
	atomic_store(&c->finished, true);
	return NULL;
}

static bool setup_peer(struct conn *c)
{
	freerdp_peer *peer = freerdp_peer_new(c->fd);
	if (!peer) {
		return false;
	}
	c->peer = peer;
	peer->ContextSize = sizeof(struct peer_ctx);
	if (!freerdp_peer_context_new(peer)) {
		freerdp_peer_free(peer);
		c->peer = NULL;
		return false;
	}
	((struct peer_ctx *)peer->context)->conn = c;
	c->vcm = WTSOpenServerA((LPSTR)peer->context);
	if (!c->vcm || c->vcm == INVALID_HANDLE_VALUE) {
		c->vcm = NULL;
		return false;
	}
	dvc_init(&c->dvc, c->vcm);
	/* WTSOpenServerA installed FreeRDP's reassembly: ours goes in front */
	c->receive_channel_data = peer->ReceiveChannelData;
	if (!c->receive_channel_data) {
		return false;
	}
	chan_guard_init(&c->guard, dvc_cap, c);
	peer->ReceiveChannelData = on_channel_data;
	UINT32 w, h;
	desired_size(c, &w, &h);
	if (!logon_configure(peer->context, &c->state, w, h)) {
		return false;
	}
	peer->Capabilities = on_capabilities;
	peer->PostConnect = on_post_connect;
	peer->Activate = on_activate;
	rdpUpdate *update = peer->context->update;
	update->SurfaceFrameAcknowledge = on_frame_ack;
	update->SuppressOutput = on_suppress_output;
	update->RefreshRect = on_refresh_rect;
	input_attach(peer->context->input);
	return true;
}

static void conn_free(struct conn *c)
{
	/* Once the context exists its transport owns the socket. */
	bool transport_owns_fd = c->peer && c->peer->context;
	clip_close(&c->clip);
	if (c->vcm) {
		pthread_mutex_lock(&setup_lock);
		WTSCloseServer(c->vcm);
		pthread_mutex_unlock(&setup_lock);
	}
	if (atomic_load(&c->listed)) {
		c->host->ops->unref(c->host->ctx, atomic_load(&c->listed));
	}
	free(c->roster);
	if (c->peer) {
		if (c->peer->context) {
			freerdp_peer_context_free(c->peer);
		}
		freerdp_peer_free(c->peer);
	}
	if (!transport_owns_fd && c->fd >= 0) {
		close(c->fd);
	}
	if (c->cut_fd >= 0) {
		close(c->cut_fd);
	}
	encoder_free(c->view.pic.enc);
	if (c->wake_fd >= 0) {
		close(c->wake_fd);
	}
	if (c->frame_fd >= 0) {
		close(c->frame_fd);
	}
	free(c);
}

struct conn *conn_start(struct server *srv, const struct rdp_host *host, struct engine *engine,
                        const struct tls_identity *id, int fd)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return NULL;
	}
	c->srv = srv;
	c->host = host;
	c->engine = engine;
	c->id = id;
	c->fd = fd;
	c->cut_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	c->last_level = RDPSHARE_CTRL_LEVEL_NONE;
	c->started_ms = util_clock_ms();
	c->view.gfx_wait_ms = -1;
	c->wake_fd = util_wake_create();
	c->frame_fd = util_wake_create();
	c->view.pic =
	    (struct picture){.hub = engine_hub(engine), .enc = encoder_new(), .host = host};
	pace_init(&c->view.pic.pace,
	          &(struct pace_sink){.ctx = c, .unsent = unsent_bytes, .wake = conn_wake},
	          MAX_UNSENT_BYTES);
	host->ops->state(host->ctx, &c->state);
	c->deadline_ms = c->started_ms + c->state.handshake_timeout_ms;
	int sndbuf = SEND_BUFFER;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	/* what the kernel gave (Linux reports twice what it allowed, the
	 * other half being its bookkeeping) */
	socklen_t len = sizeof(sndbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == 0 && sndbuf > 0 &&
	    (size_t)sndbuf / 2 < MAX_UNSENT_BYTES) {
		pace_set_max_unsent(&c->view.pic.pace, (size_t)sndbuf / 2);
	}
	logon_describe(fd, &c->ends);
	pthread_mutex_lock(&setup_lock);
	bool ready = c->wake_fd >= 0 && c->frame_fd >= 0 && c->view.pic.enc && setup_peer(c);
	pthread_mutex_unlock(&setup_lock);
	if (!ready || util_thread_start(&c->thread, conn_main, c) != 0) {
		conn_free(c);
		return NULL;
	}
	return c;
}

bool conn_roster_entry(struct conn *c, struct roster_entry *out)
{
	struct host_member *m = atomic_load(&c->listed);
	if (!m) {
		return false;
	}
	struct member_info mi;
	c->host->ops->info(c->host->ctx, m, &mi);
	out->id = mi.id;
	snprintf(out->name, sizeof(out->name), "%s", mi.name);
	out->level = mi.level;
	out->gone = atomic_load(&c->left);
	out->disc_type = atomic_load(&c->disc_type);
	out->disc_code = atomic_load(&c->disc_code);
	return true;
}

bool conn_finished(struct conn *c)
{
	return atomic_load(&c->finished);
}

bool conn_pending(struct conn *c)
{
	return !atomic_load(&c->finished) && !atomic_load(&c->handshaken) && !atomic_load(&c->cut);
}

int64_t conn_started_ms(struct conn *c)
{
	return c->started_ms;
}

int64_t conn_deadline_ms(struct conn *c)
{
	return c->deadline_ms;
}

const char *conn_peer_ip(struct conn *c)
{
	return c->ends.peer_ip;
}

void conn_cut(struct conn *c)
{
	if (!atomic_exchange(&c->cut, true) && c->cut_fd >= 0) {
		shutdown(c->cut_fd, SHUT_RDWR); /* the socket, whichever number reaches it */
	}
}

void conn_close_silently(struct conn *c)
{
	atomic_store(&c->silent, true);
	leave_soon(c);
	conn_wake(c);
}

int64_t conn_leave_by(struct conn *c)
{
	return atomic_load(&c->finished) || atomic_load(&c->cut) ? 0 : atomic_load(&c->leave_by);
}

void conn_join_free(struct conn *c)
{
	pthread_join(c->thread, NULL);
	conn_free(c);
}

struct conn *conn_next(struct conn *c)
{
	return c->next;
}

struct conn **conn_next_ptr(struct conn *c)
{
	return &c->next;
}

void conn_set_next(struct conn *c, struct conn *next)
{
	c->next = next;
}
