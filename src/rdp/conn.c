#include "rdp/conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <freerdp/error.h>
#include <freerdp/freerdp.h>
#include <freerdp/crypto/certificate.h>
#include <freerdp/crypto/privatekey.h>
#include <freerdp/settings.h>
#include <freerdp/channels/drdynvc.h>
#include <freerdp/channels/wtsvc.h>
#include <freerdp/peer.h>
#include <winpr/wtsapi.h>
#include <winpr/synch.h>

#include "encode/encoder.h"
#include "engine.h"
#include "properties.h"
#include "rdp/clip.h"
#include "rdp/dvc.h"
#include "rdp/encomsp.h"
#include "rdp/gfx.h"
#include "rdp/input.h"
#include "rdp/multiparty.h"
#include "rdp/send.h"
#include "rdp/server.h"
#include "session_internal.h"
#include "worker.h"

/* A viewer that has not finished the handshake by then is dropped, so a
 * stalled client cannot hold a thread and a socket for ever. */
/* Picture bytes that may wait unsent in the kernel before a viewer counts as
 * behind; far below the send buffer so writes never block the thread. */
#define MAX_UNSENT_BYTES (1024 * 1024)
#define SEND_BUFFER (8 * 1024 * 1024)
/* [MS-RDPBCGR] 2.2.1.13.1.1.1: the capability set type of Bitmap Codecs
 * (FreeRDP keeps its name in a private header). */
#define CAPSET_BITMAP_CODECS 0x1D

struct conn {
	struct server *srv;
	rdpshare_session *s;
	struct engine *engine;
	struct hub *hub;
	const struct tls_identity *id;
	int fd;
	int wake_fd;  /* owner thread: terminate, level, pause, depth */
	int frame_fd; /* hub: a new frame or cursor */
	freerdp_peer *peer;
	pthread_t thread;
	atomic_bool finished;
	atomic_bool silent;     /* session closing: no events */
	atomic_bool handshaken; /* announced: past logon and first picture */
	atomic_bool cut;        /* conn_cut was called */
	int cut_fd;             /* a duplicate of fd that FreeRDP never closes, so conn_cut cannot
	                         * hit a number FreeRDP freed and something else reused */
	int64_t started_ms;
	struct conn *next;

	char peer_ip[64], local_ip[64];
	int peer_port, local_port;

	rdpshare_attendee *att;
	bool announced;
	bool activated;
	bool subscribed;
	int64_t deadline_ms;

	/* picture state */
	struct encoder *enc;
	struct enc_key key;
	uint64_t sent_seq;
	bool need_full;
	int last_level;
	bool suppressed;
	bool use_acks;
	uint32_t next_frame_id;
	int in_flight;
	uint64_t cursor_gen, shape_gen;
	bool resizing;
	/* graphics pipeline: tried once per connection when the viewer offers it */
	struct gfx_chan gfx;
	bool gfx_tried;
	int gfx_wait_ms;        /* the H.264 group wants to be asked again in this long (-1: no) */
	int64_t gfx_hold_until; /* no bitmap updates before this while the pipeline may come */
	struct input_sink input;
	struct clip_chan clip;
	struct dvc_set dvc;

	/* multiparty channel */
	HANDLE vcm;
	struct multiparty mp;
	uint64_t roster_gen; /* last roster generation told */
	/* the roster line: a reference kept until conn_free, read by other
	 * connections under the server's lock */
	_Atomic(rdpshare_attendee *) member;
	atomic_bool left;
	struct roster_entry *roster; /* ROSTER_MAX, for tell_viewer */
	atomic_uint disc_type, disc_code;
};

/* FreeRDP keeps process-wide state for peers (WTSOpenServerA's handle table,
 * created and freed on demand, and its session counter) without locks;
 * connections start and end on the accept thread, reverse-connect dials and
 * the owner thread. */
static pthread_mutex_t setup_lock = PTHREAD_MUTEX_INITIALIZER;

struct peer_ctx {
	rdpContext base;
	struct conn *conn;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct conn *conn_of(rdpContext *ctx)
{
	return ((struct peer_ctx *)ctx)->conn;
}

static void drain(int fd)
{
	uint64_t v;
	ssize_t n = read(fd, &v, sizeof(v));
	(void)n;
}

void conn_wake(void *arg)
{
	struct conn *c = arg;
	uint64_t one = 1;
	ssize_t n = write(c->wake_fd, &one, sizeof(one));
	(void)n;
}

/* ---- logon: after the Client Info PDU, before anything is shown ---- */

static void send_error_info(freerdp_peer *peer, UINT32 code)
{
	freerdp_set_error_info(peer->context->rdp, code);
	freerdp_send_error_info(peer->context->rdp);
}

static void desired_size(struct conn *c, UINT32 *w, UINT32 *h)
{
	int l, t, r, b;
	session_get_rect(c->s, &l, &t, &r, &b);
	struct frame *f = hub_latest(c->hub);
	if (f) {
		/* The frame is the truth (it is clipped to the real desktop). */
		*w = (UINT32)f->width;
		*h = (UINT32)f->height;
		frame_unref(f);
	} else {
		*w = (UINT32)(r - l);
		*h = (UINT32)(b - t);
	}
}

/* Admission: after the Client Info PDU and licensing, before the demand
 * active PDU, so nothing is shown to a refused viewer. Returns false when
 * it is refused (told why first). */
static bool admit(struct conn *c, freerdp_peer *peer)
{
	rdpSettings *st = peer->context->settings;
	const char *password = freerdp_settings_get_string(st, FreeRDP_Password);
	const char *shell = freerdp_settings_get_string(st, FreeRDP_AlternateShell);
	const char *workdir = freerdp_settings_get_string(st, FreeRDP_ShellWorkingDirectory);
	const char *user = freerdp_settings_get_string(st, FreeRDP_Username);
	/* Remote Assistance logon ([MS-RA] 2.2.7.2, what `xfreerdp /assistance`
	 * and WDS viewers send): password "*", the invitation password in the
	 * alternate shell, the ticket in the working directory. Anything else
	 * is a plain logon whose password picks the invitation. */
	bool ra = password && strcmp(password, "*") == 0 && shell && shell[0];
	struct admission adm = {
	    .ticket = ra ? workdir : NULL,
	    .password = ra ? shell : (password ? password : ""),
	    .name = user && user[0] ? user : "viewer",
	    .peer_ip = c->peer_ip,
	    .local_ip = c->local_ip,
	    .peer_port = c->peer_port,
	    .local_port = c->local_port,
	};
	rdpshare_attendee *a = NULL;
	int why = session_admit(c->s, &adm, &a);
	if (why != 0) {
		/* Tell the client why before closing; FreeRDP clients report a
		 * Set Error Info PDU (xfreerdp exits with a matching status). */
		send_error_info(peer,
		                why == RDPSHARE_REFUSED_LIMIT || why == RDPSHARE_REFUSED_NOT_OPEN
		                    ? ERRINFO_SERVER_DENIED_CONNECTION
		                    : ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES);
		return false;
	}
	c->att = a;
	c->input.att = a;
	c->input.engine = c->engine;
	attendee_bind(a, conn_wake, c);
	return true;
}

static BOOL on_capabilities(freerdp_peer *peer)
{
	struct conn *c = conn_of(peer->context);
	if (!c->att && !admit(c, peer)) {
		return FALSE;
	}
	/* The demand-active PDU carries our size and depth; clients adopt both. */
	UINT32 w, h;
	desired_size(c, &w, &h);
	rdpSettings *st = peer->context->settings;
	return freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, w) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, h) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ColorDepth,
	                                   (UINT32)atomic_load(&c->s->color_depth));
}

static BOOL on_post_connect(freerdp_peer *peer)
{
	(void)peer;
	return TRUE;
}

static int pick_codec(const rdpSettings *st)
{
	const BYTE *caps = freerdp_settings_get_pointer(st, FreeRDP_ReceivedCapabilities);
	bool codecs = caps &&
	              freerdp_settings_get_uint32(st, FreeRDP_ReceivedCapabilitiesSize) >
	                  CAPSET_BITMAP_CODECS &&
	              caps[CAPSET_BITMAP_CODECS];
	switch (freerdp_settings_get_uint32(st, FreeRDP_ColorDepth)) {
	case 32:
		if (freerdp_settings_get_bool(st, FreeRDP_RemoteFxCodec) &&
		    freerdp_settings_get_bool(st, FreeRDP_SurfaceCommandsEnabled) && codecs) {
			return CODEC_REMOTEFX;
		}
		return CODEC_PLANAR;
	default:
		return CODEC_INTERLEAVED;
	}
}

static BOOL on_activate(freerdp_peer *peer)
{
	struct conn *c = conn_of(peer->context);
	const rdpSettings *st = peer->context->settings;
	if (!c->att) {
		return FALSE; /* never admitted: cannot happen past licensing */
	}
	c->activated = true;
	c->resizing = false;
	c->need_full = true;
	c->in_flight = 0;
	c->cursor_gen = 0;
	c->shape_gen = 0;
	c->gfx.surface = false; /* a reactivation starts the pipeline's picture over */
	if (!c->announced) {
		c->gfx_hold_until = now_ms() + 5000;
	}
	c->gfx.last_unit = 0;
	c->key.codec = pick_codec(st);
	c->key.bpp = (int)freerdp_settings_get_uint32(st, FreeRDP_ColorDepth);
	c->key.max_bytes = c->key.codec == CODEC_REMOTEFX
	                       ? freerdp_settings_get_uint32(st, FreeRDP_MultifragMaxRequestSize)
	                       : 0;
	c->use_acks = freerdp_settings_get_bool(st, FreeRDP_SurfaceFrameMarkerEnabled) &&
	              freerdp_settings_get_uint32(st, FreeRDP_FrameAcknowledge) > 0;
	atomic_store(&c->att->color_depth, c->key.bpp);
	atomic_store(&c->att->codec, c->key.codec);
	if (!c->announced) {
		c->announced = true;
		atomic_store(&c->handshaken, true);
		attendee_ref(c->att);
		atomic_store(&c->member, c->att);
		session_attendee_ready(c->s, c->att);
		/* Windows viewers and rdpview fill in the client's digital product
		 * id; FreeRDP leaves it empty, and its encomsp client cannot take
		 * a control-change response. */
		const char *product = freerdp_settings_get_string(st, FreeRDP_ClientProductId);
		multiparty_open(&c->mp, c->vcm, c->att->id, product && product[0]);
		clip_open(&c->clip, c->vcm, peer->context, c->s->clipboard);
		server_roster_changed(c->srv);
	}
	if (!c->subscribed && hub_subscribe(c->hub, c->frame_fd) == 0) {
		c->subscribed = true;
	}
	return TRUE;
}

static BOOL on_frame_ack(rdpContext *ctx, UINT32 frame_id)
{
	(void)frame_id;
	struct conn *c = conn_of(ctx);
	if (c->in_flight > 0) {
		c->in_flight--;
	}
	return TRUE;
}

static BOOL on_suppress_output(rdpContext *ctx, BYTE allow, const RECTANGLE_16 *area)
{
	(void)area;
	struct conn *c = conn_of(ctx);
	c->suppressed = !allow;
	if (allow) {
		c->need_full = true;
	}
	return TRUE;
}

static BOOL on_refresh_rect(rdpContext *ctx, BYTE count, const RECTANGLE_16 *areas)
{
	(void)count;
	(void)areas;
	conn_of(ctx)->need_full = true;
	return TRUE;
}

/* Input: INTERACTIVE attendees' input reaches the desktop through the
 * engine; everyone else's is dropped and counted (rdp/input.c). */
static BOOL on_sync(rdpInput *input, UINT32 flags)
{
	(void)input;
	(void)flags;
	return TRUE; /* lock-key state is not input anyone typed */
}

static struct input_sink *sink_of(rdpInput *input)
{
	struct conn *c = conn_of(input->context);
	return c->att ? &c->input : NULL;
}

static BOOL on_key(rdpInput *input, UINT16 flags, UINT8 code)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_key(k, flags, code);
	}
	return TRUE;
}

static BOOL on_unicode(rdpInput *input, UINT16 flags, UINT16 code)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_unicode(k, flags, code);
	}
	return TRUE;
}

static BOOL on_mouse(rdpInput *input, UINT16 flags, UINT16 x, UINT16 y)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_mouse(k, flags, x, y);
	}
	return TRUE;
}

static BOOL on_extended_mouse(rdpInput *input, UINT16 flags, UINT16 x, UINT16 y)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_extended_mouse(k, flags, x, y);
	}
	return TRUE;
}

/* Send what the channels queued and take what came in. Dynamic channels
 * are offered once the viewer is active: FreeRDP 3's channel manager would
 * open drdynvc on the first call, before the viewer joined any channel,
 * and never try again. */
static bool channels_flush(struct conn *c)
{
	if (c->activated && WTSVirtualChannelManagerGetDrdynvcState(c->vcm) == DRDYNVC_STATE_NONE &&
	    WTSVirtualChannelManagerIsChannelJoined(c->vcm, DRDYNVC_SVC_CHANNEL_NAME) &&
	    !WTSVirtualChannelManagerOpen(c->vcm)) {
		return false;
	}
	return WTSVirtualChannelManagerCheckFileDescriptorEx(c->vcm, FALSE);
}

/* ---- pictures ---- */

static bool behind_on_socket(struct conn *c)
{
	int unsent = 0;
	if (ioctl(c->fd, SIOCOUTQ, &unsent) < 0) {
		return false;
	}
	return unsent > MAX_UNSENT_BYTES;
}

static void send_cursor(struct conn *c)
{
	int x, y;
	bool visible, shape_changed;
	struct cursor_shape shape;
	uint64_t shape_gen_before = c->shape_gen;
	if (!hub_get_cursor(c->hub, &c->cursor_gen, &c->shape_gen, &x, &y, &visible, &shape,
	                    &shape_changed)) {
		return;
	}
	rdpContext *ctx = c->peer->context;
	if (!visible) {
		send_cursor_hidden(ctx);
		c->shape_gen = 0; /* show the shape again when it comes back */
		return;
	}
	if (shape_changed || shape_gen_before == 0) {
		if (!shape_changed) {
			/* Re-send after hiding: fetch the shape unconditionally. */
			c->cursor_gen = 0;
			c->shape_gen = 0;
			hub_get_cursor(c->hub, &c->cursor_gen, &c->shape_gen, &x, &y, &visible,
			               &shape, &shape_changed);
		}
		if (shape_changed) {
			send_cursor_shape(ctx, &shape);
		}
	}
	send_cursor_position(ctx, x, y);
}

/* The frame's own damage is what this viewer lacks: share the encode of
 * every viewer with the same codec. Otherwise encode what it missed (or
 * everything) for it alone, in *own (the caller frees it). */
static const struct enc_output *encode_for(struct conn *c, struct frame *f, struct enc_output **own)
{
	*own = NULL;
	if ((!c->need_full && f->seq == c->sent_seq + 1) || (c->need_full && f->full)) {
		return encoder_encode_shared(c->enc, &c->key, f);
	}
	struct cap_rect rects[FRAME_MAX_RECTS];
	int n = 0;
	if (c->need_full || !hub_damage_since(c->hub, c->sent_seq, f->seq, rects, &n)) {
		rects[0] = (struct cap_rect){0, 0, f->width, f->height};
		n = 1;
	}
	*own = encoder_encode(c->enc, &c->key, f, rects, n);
	return *own;
}

/* Frame f went out as o (ok: all of it): statistics and the viewer's place. */
static void sent_frame(struct conn *c, const struct frame *f, const struct enc_output *o, bool ok)
{
	if (ok && f->damage_us) {
		attendee_note_latency(c->att, mono_us() - f->damage_us);
	}
	if (c->sent_seq && f->seq > c->sent_seq + 1) {
		atomic_fetch_add(&c->att->frames_skipped, f->seq - c->sent_seq - 1);
	}
	atomic_fetch_add(&c->att->frames_sent, 1);
	atomic_fetch_add(&c->att->bytes_sent, o->bytes);
	c->sent_seq = f->seq;
	c->need_full = false;
}

/* ---- pictures through the graphics pipeline ---- */

/* The viewer offered the pipeline and it is not up yet (its dynamic
 * channels come after activation): a bitmap picture now would be sent
 * twice. Given up after a deadline: then bitmap updates. */
static bool gfx_pending(struct conn *c)
{
	if (c->gfx.state == GFX_WAITING) {
		return true;
	}
	return !c->gfx_tried &&
	       freerdp_settings_get_bool(c->peer->context->settings,
	                                 FreeRDP_SupportGraphicsPipeline) &&
	       props_get(&c->s->props, PROP_GRAPHICS_PIPELINE) && now_ms() < c->gfx_hold_until;
}

static bool gfx_may_send(struct conn *c)
{
	int max_in_flight = (int)props_get(&c->s->props, PROP_MAX_FRAMES_IN_FLIGHT);
	if (atomic_load(&c->gfx.in_flight) >= max_in_flight) {
		/* ask for a wake-up by the next acknowledgement, then look again:
		 * it may have come in between */
		atomic_store(&c->gfx.want_ack_wake, true);
		if (atomic_load(&c->gfx.in_flight) >= max_in_flight) {
			return false;
		}
		atomic_store(&c->gfx.want_ack_wake, false);
	}
	return !behind_on_socket(c);
}

/* Units of the viewer's H.264 group, in order, while it keeps up. */
static bool send_units(struct conn *c, struct frame *f)
{
	struct gfx_chan *g = &c->gfx;
	if (!g->group && !(g->group = vstream_join(c->hub, f->width, f->height))) {
		g->avc = false; /* no encoder: planar tiles instead */
		atomic_store(&c->att->codec, CODEC_GFX_PLANAR);
		c->need_full = true;
		return true;
	}
	if (c->need_full) {
		g->last_unit = 0; /* rejoin at a key frame */
		c->need_full = false;
	}
	while (gfx_may_send(c)) {
		struct vunit *u = NULL;
		uint64_t before = g->last_unit;
		bool fresh = false;
		enum vstream_result r = vstream_next(g->group, c->hub, &g->last_unit, now_ms(), &u,
		                                     &fresh, &c->gfx_wait_ms);
		if (r == VSTREAM_ERROR) {
			return false;
		}
		if (r == VSTREAM_NOTHING) {
			break;
		}
		if (before && u->id > before + 1) {
			atomic_fetch_add(&c->att->frames_skipped, u->id - before - 1);
		}
		bool ok;
		if (fresh) {
			/* the whole picture lossless, for this viewer alone */
			struct cap_rect all = {0, 0, u->src->width, u->src->height};
			struct enc_output *whole = encoder_encode(c->enc, &c->key, u->src, &all, 1);
			ok = whole && gfx_send_start(g, u, whole);
			enc_output_free(whole);
		} else {
			ok = gfx_send_unit(g, u);
		}
		ok = ok && channels_flush(c);
		if (ok && u->damage_us) {
			attendee_note_latency(c->att, mono_us() - u->damage_us);
		}
		atomic_fetch_add(&c->att->frames_sent, 1);
		atomic_fetch_add(&c->att->bytes_sent, u->bytes);
		vunit_unref(u);
		if (!ok) {
			return false;
		}
	}
	return true;
}

/* Planar tiles over the pipeline: the frame's own damage shared with the
 * others of the same codec, or what this viewer missed. */
static bool send_gfx_tiles(struct conn *c, struct frame *f)
{
	if ((f->seq == c->sent_seq && !c->need_full) || !gfx_may_send(c)) {
		return true;
	}
	struct enc_output *own = NULL;
	const struct enc_output *o = encode_for(c, f, &own);
	bool ok = true;
	if (o) {
		ok = gfx_send_tiles(&c->gfx, o) && channels_flush(c);
		sent_frame(c, f, o, ok);
	}
	enc_output_free(own);
	return ok;
}

static bool send_picture_gfx(struct conn *c, struct frame *f)
{
	struct gfx_chan *g = &c->gfx;
	c->gfx_wait_ms = -1;
	if (!g->surface || g->surface_w != f->width || g->surface_h != f->height) {
		vstream_leave(c->hub, g->group); /* another size is another group */
		g->group = NULL;
		g->last_unit = 0;
		if (!gfx_surface(g, f->width, f->height)) {
			return false;
		}
		c->need_full = true;
		c->key = (struct enc_key){.codec = CODEC_GFX_PLANAR, .bpp = 32};
		atomic_store(&c->att->codec, g->avc ? CODEC_AVC420 : CODEC_GFX_PLANAR);
	}
	return g->avc ? send_units(c, f) : send_gfx_tiles(c, f);
}

/* Returns false when the connection broke. */
static bool send_picture(struct conn *c)
{
	rdpSettings *st = c->peer->context->settings;
	struct frame *f = hub_latest(c->hub);
	if (!f) {
		return true;
	}
	int depth = atomic_load(&c->s->color_depth);
	if ((UINT32)f->width != freerdp_settings_get_uint32(st, FreeRDP_DesktopWidth) ||
	    (UINT32)f->height != freerdp_settings_get_uint32(st, FreeRDP_DesktopHeight) ||
	    (UINT32)depth != freerdp_settings_get_uint32(st, FreeRDP_ColorDepth)) {
		if (freerdp_settings_get_bool(st, FreeRDP_DesktopResize)) {
			/* Re-activation carries the new size and depth; pictures
			 * resume from on_activate with a full frame. */
			bool ok =
			    freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth,
			                                (UINT32)f->width) &&
			    freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight,
			                                (UINT32)f->height) &&
			    freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, (UINT32)depth);
			c->activated = false;
			c->resizing = true;
			frame_unref(f);
			return ok && c->peer->context->update->DesktopResize(c->peer->context);
		}
		/* A client that cannot resize keeps its size: it sees the top-left
		 * part (the encoders clip to the frame, the client to itself). */
	}
	if (gfx_pending(c)) {
		frame_unref(f);
		return true; /* the first picture goes through the pipeline, once it is up */
	}
	if (c->gfx.state == GFX_READY) {
		bool ok = send_picture_gfx(c, f);
		frame_unref(f);
		return ok;
	}
	if (f->seq == c->sent_seq && !c->need_full) {
		frame_unref(f);
		return true;
	}
	int max_in_flight = (int)props_get(&c->s->props, PROP_MAX_FRAMES_IN_FLIGHT);
	if ((c->use_acks && c->in_flight >= max_in_flight) || behind_on_socket(c)) {
		frame_unref(f);
		return true; /* behind: skip; the damage is collected from the hub later */
	}
	struct enc_output *own = NULL;
	const struct enc_output *o = encode_for(c, f, &own);
	bool ok = true;
	if (o) {
		uint32_t frame_id = 0;
		if (c->use_acks) {
			frame_id = ++c->next_frame_id;
			if (frame_id == 0) {
				frame_id = c->next_frame_id = 1;
			}
			c->in_flight++;
		}
		ok = send_output(c->peer->context, o, frame_id);
		sent_frame(c, f, o, ok);
	}
	enc_output_free(own);
	frame_unref(f);
	return ok;
}

/* The multiparty channel: who is in the session, their levels, paused, and
 * the sharer's answers to this viewer's requests. */
static bool tell_viewer(struct conn *c)
{
	if (!c->mp.chan) {
		return true;
	}
	uint64_t gen = server_roster_gen(c->srv);
	bool ok = true;
	if (gen != c->roster_gen || c->mp.sent_paused != (int)atomic_load(&c->s->paused)) {
		c->roster_gen = gen;
		if (!c->roster && !(c->roster = calloc(ROSTER_MAX, sizeof(*c->roster)))) {
			return false;
		}
		int n = server_roster(c->srv, c->roster, ROSTER_MAX);
		ok = multiparty_sync(&c->mp, c->roster, n, atomic_load(&c->s->paused));
	}
	bool may_see = atomic_load(&c->att->level) >= RDPSHARE_CTRL_LEVEL_VIEW;
	uint64_t fgen = session_filter_gen(c->s);
	if (ok && (fgen != c->mp.filter_gen || may_see != c->mp.may_see)) {
		struct mp_filter f;
		uint64_t copied = session_filter_copy(c->s, &f);
		int told = copied ? multiparty_sync_filter(&c->mp, &f, may_see) : 0;
		mp_filter_free(&f);
		if (told > 0) {
			c->mp.filter_gen = copied;
		}
		ok = told >= 0; /* 0: out of memory, the next wake-up tries again */
	}
	int levels[ATTENDEE_OUTBOX];
	long reasons[ATTENDEE_OUTBOX];
	int n = attendee_take_outbox(c->att, levels, reasons, ATTENDEE_OUTBOX);
	for (int i = 0; i < n && ok; i++) {
		ok = multiparty_respond(&c->mp, levels[i], (uint32_t)reasons[i]);
	}
	return ok;
}

static void on_control_request(void *ctx, int level)
{
	struct conn *c = ctx;
	if (c->att) {
		session_post_control_request(c->s, c->att, level);
	}
}

/* Show window: as on Windows, only from a participant allowed to interact
 * (MS-RDPEMC note <27>). */
static void on_show_window(void *ctx, uint32_t wnd)
{
	struct conn *c = ctx;
	if (c->att && atomic_load(&c->att->level) == RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		session_show_window(c->s, wnd);
	} else if (c->att) {
		atomic_fetch_add(&c->att->input_dropped, 1);
	}
}

/* Everything that may have changed since the last wake-up. Returns false
 * when the connection broke. */
static bool service(struct conn *c)
{
	c->gfx_wait_ms = -1;
	if (!c->activated || !c->att) {
		return true;
	}
	if (!tell_viewer(c)) {
		return false;
	}
	int level = atomic_load(&c->att->level);
	clip_sync(&c->clip, props_get(&c->s->props, PROP_ENABLE_CLIPBOARD) &&
	                        level == RDPSHARE_CTRL_LEVEL_INTERACTIVE &&
	                        atomic_load(&c->s->clip_owner) == c->att->id);
	dvc_service(&c->dvc, c->s, c->att);
	if (!c->gfx_tried &&
	    freerdp_settings_get_bool(c->peer->context->settings,
	                              FreeRDP_SupportGraphicsPipeline) &&
	    props_get(&c->s->props, PROP_GRAPHICS_PIPELINE) &&
	    WTSVirtualChannelManagerGetDrdynvcState(c->vcm) == DRDYNVC_STATE_READY) {
		c->gfx_tried = true;
		gfx_open(&c->gfx, c->vcm, c->peer->context, c->wake_fd, now_ms());
	}
	gfx_service(&c->gfx, now_ms());
	/* what the channels queued goes out now */
	if (!channels_flush(c)) {
		return false;
	}
	if (level != c->last_level && level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		input_release_all(&c->input); /* no stuck keys after a demotion */
	}
	if (level != c->last_level) {
		if (level >= RDPSHARE_CTRL_LEVEL_VIEW && c->last_level < RDPSHARE_CTRL_LEVEL_VIEW) {
			c->need_full = true;
			c->cursor_gen = c->shape_gen = 0;
		}
		c->last_level = level;
	}
	if (level < RDPSHARE_CTRL_LEVEL_VIEW || atomic_load(&c->s->paused) || c->suppressed) {
		return true; /* nothing is shown: not before VIEW, not while paused */
	}
	if (!send_picture(c)) {
		return false;
	}
	if (c->activated) {
		send_cursor(c);
	}
	return true;
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	freerdp_peer *peer = c->peer;
	enum rdpshare_disconnect_reason reason = RDPSHARE_DISCONNECT_CLI;
	int code = 0;

	if (!peer->Initialize(peer)) {
		reason = RDPSHARE_DISCONNECT_ERR;
		code = -EPROTO;
		goto out;
	}
	while (!atomic_load(&c->silent)) {
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
		int timeout = -1;
		if (!c->announced) {
			int64_t left = c->deadline_ms - now_ms();
			timeout = left > 0 ? (int)left : 0;
		} else if (behind_on_socket(c)) {
			timeout = 10; /* nothing tells us when the socket drains */
		} else if (c->activated && gfx_pending(c)) {
			timeout = 100; /* the pipeline's deadline */
		} else if (c->gfx_wait_ms >= 0) {
			timeout = c->gfx_wait_ms; /* a key frame or a lossless pass comes due */
		}
		if (poll(pfd, nfd, timeout) < 0 && errno != EINTR) {
			reason = RDPSHARE_DISCONNECT_ERR;
			code = -errno;
			break;
		}
		drain(c->wake_fd);
		drain(c->frame_fd);
		if (atomic_load(&c->silent)) {
			break;
		}
		if (c->att && atomic_load(&c->att->terminate)) {
			reason = RDPSHARE_DISCONNECT_APP;
			break;
		}
		if (!peer->CheckFileDescriptor(peer) || !channels_flush(c)) {
			break; /* the viewer closed or sent something broken */
		}
		multiparty_receive(&c->mp, on_control_request, on_show_window, c);
		if ((pfd[clip_at].revents & POLLIN) && !clip_check(&c->clip)) {
			break;
		}
		if (!c->announced && now_ms() >= c->deadline_ms) {
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
out:
	if (c->subscribed) {
		hub_unsubscribe(c->hub, c->frame_fd);
	}
	gfx_close(&c->gfx);
	vstream_leave(c->hub, c->gfx.group);
	c->gfx.group = NULL;
	if (c->activated && (reason == RDPSHARE_DISCONNECT_APP || atomic_load(&c->silent))) {
		/* removed by the sharer (terminate, or the session closed) */
		send_error_info(peer, ERRINFO_RPC_INITIATED_DISCONNECT);
	}
	if (!atomic_load(&c->silent) && reason != RDPSHARE_DISCONNECT_CLI) {
		peer->Disconnect(peer);
	}
	atomic_store(&c->disc_type,
	             reason == RDPSHARE_DISCONNECT_APP ? ENCOMSP_DISC_APP : ENCOMSP_DISC_CLI);
	/* MS-RDPEMC's codes: S_OK, or "an error on the host side" */
	atomic_store(&c->disc_code, reason == RDPSHARE_DISCONNECT_ERR ? 0xD0000001u : 0u);
	atomic_store(&c->left, true);
	multiparty_close(&c->mp);
	if (atomic_load(&c->member) && !atomic_load(&c->silent)) {
		server_roster_changed(c->srv);
	}
	if (c->att) {
		dvc_close(&c->dvc, c->s, c->announced ? c->att : NULL);
		input_release_all(&c->input); /* a viewer that leaves lets go */
		attendee_bind(c->att, NULL, NULL);
		session_attendee_gone(c->s, c->att, reason, code,
		                      c->announced && !atomic_load(&c->silent));
		c->att = NULL;
	} else if (!atomic_load(&c->silent) && !c->announced &&
	           (code == -ETIMEDOUT || atomic_load(&c->cut))) {
		/* too slow, or crowded out by a flood (conn_cut) */
		char addr[96];
		snprintf(addr, sizeof(addr), "%s:%d", c->peer_ip, c->peer_port);
		session_post_refusal(c->s, RDPSHARE_REFUSED_PROTOCOL, NULL, addr);
	}
	if (c->cut_fd >= 0) {
		/* our duplicate would keep the socket open until the reaper frees
		 * us: end it now so the viewer sees the close at once */
		shutdown(c->cut_fd, SHUT_RDWR);
	}
	atomic_store(&c->finished, true);
	return NULL;
}

static void describe_endpoints(struct conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char port[16];
	if (getpeername(c->fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, c->peer_ip, sizeof(c->peer_ip), port,
	                sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
		c->peer_port = (int)strtol(port, NULL, 10);
	}
	sl = sizeof(ss);
	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, c->local_ip, sizeof(c->local_ip), port,
	                sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
		c->local_port = (int)strtol(port, NULL, 10);
	}
	/* IPv4 through a dual-stack socket reads as ::ffff:a.b.c.d. */
	if (strncmp(c->peer_ip, "::ffff:", 7) == 0) {
		memmove(c->peer_ip, c->peer_ip + 7, strlen(c->peer_ip + 7) + 1);
	}
	if (strncmp(c->local_ip, "::ffff:", 7) == 0) {
		memmove(c->local_ip, c->local_ip + 7, strlen(c->local_ip + 7) + 1);
	}
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
	rdpSettings *st = peer->context->settings;
	/* the settings own what they are given, also on failure */
	rdpCertificate *cert = freerdp_certificate_new_from_file(c->id->cert_path);
	rdpPrivateKey *key = freerdp_key_new_from_file(c->id->key_path);
	bool ok = cert && key;
	if (!freerdp_settings_set_pointer_len(st, FreeRDP_RdpServerCertificate, cert,
	                                      cert ? 1 : 0)) {
		freerdp_certificate_free(cert);
		ok = false;
	}
	if (!freerdp_settings_set_pointer_len(st, FreeRDP_RdpServerRsaKey, key, key ? 1 : 0)) {
		freerdp_key_free(key);
		ok = false;
	}
	UINT32 w, h;
	desired_size(c, &w, &h);
	/* TLS only: NLA would need an NTLM verifier for invitation passwords,
	 * and Standard RDP Security is weak. Clients fall back to TLS. */
	const struct {
		FreeRDP_Settings_Keys_Bool key;
		BOOL value;
	} flags[] = {
	    {FreeRDP_RdpSecurity, FALSE},
	    {FreeRDP_TlsSecurity, TRUE},
	    {FreeRDP_NlaSecurity, FALSE},
	    {FreeRDP_RemoteFxCodec, TRUE},
	    {FreeRDP_NSCodec, FALSE},
	    {FreeRDP_SurfaceFrameMarkerEnabled, TRUE},
	    /* FreeRDP clears this while reading the client's core data when
	     * the client does not offer the pipeline */
	    {FreeRDP_SupportGraphicsPipeline, props_get(&c->s->props, PROP_GRAPHICS_PIPELINE) != 0},
	    {FreeRDP_RefreshRect, TRUE},
	    {FreeRDP_SuppressOutput, TRUE},
	    {FreeRDP_DesktopResize, TRUE},
	    /* everything an INTERACTIVE viewer may send: Unicode keys (IMEs,
	     * rdpview's typed text), horizontal wheel, X buttons */
	    {FreeRDP_UnicodeInput, TRUE},
	    {FreeRDP_HasHorizontalWheel, TRUE},
	    {FreeRDP_HasExtendedMouseEvent, TRUE},
	};
	for (size_t i = 0; ok && i < sizeof(flags) / sizeof(flags[0]); i++) {
		ok = freerdp_settings_set_bool(st, flags[i].key, flags[i].value);
	}
	ok = ok &&
	     freerdp_settings_set_uint32(st, FreeRDP_ColorDepth,
	                                 (UINT32)atomic_load(&c->s->color_depth)) &&
	     freerdp_settings_set_uint32(st, FreeRDP_FrameAcknowledge, 2) &&
	     freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, w) &&
	     freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, h);
	if (!ok) {
		return false;
	}

	peer->Capabilities = on_capabilities;
	peer->PostConnect = on_post_connect;
	peer->Activate = on_activate;
	rdpUpdate *update = peer->context->update;
	update->SurfaceFrameAcknowledge = on_frame_ack;
	update->SuppressOutput = on_suppress_output;
	update->RefreshRect = on_refresh_rect;
	rdpInput *input = peer->context->input;
	input->SynchronizeEvent = on_sync;
	input->KeyboardEvent = on_key;
	input->UnicodeKeyboardEvent = on_unicode;
	input->MouseEvent = on_mouse;
	input->ExtendedMouseEvent = on_extended_mouse;
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
	if (atomic_load(&c->member)) {
		attendee_unref(atomic_load(&c->member));
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
	encoder_free(c->enc);
	if (c->wake_fd >= 0) {
		close(c->wake_fd);
	}
	if (c->frame_fd >= 0) {
		close(c->frame_fd);
	}
	free(c);
}

struct conn *conn_start(struct server *srv, rdpshare_session *s, struct engine *engine,
                        const struct tls_identity *id, int fd)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return NULL;
	}
	c->srv = srv;
	c->s = s;
	c->engine = engine;
	c->hub = engine_hub(engine);
	c->id = id;
	c->fd = fd;
	c->cut_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	c->last_level = RDPSHARE_CTRL_LEVEL_NONE;
	c->started_ms = now_ms();
	c->deadline_ms = c->started_ms + props_get(&s->props, PROP_HANDSHAKE_TIMEOUT);
	c->gfx_wait_ms = -1;
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c->frame_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c->enc = encoder_new();
	int sndbuf = SEND_BUFFER;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	describe_endpoints(c);
	pthread_mutex_lock(&setup_lock);
	bool ready = c->wake_fd >= 0 && c->frame_fd >= 0 && c->enc && setup_peer(c);
	pthread_mutex_unlock(&setup_lock);
	if (!ready || worker_start(&c->thread, conn_main, c) != 0) {
		conn_free(c);
		return NULL;
	}
	return c;
}

bool conn_roster_entry(struct conn *c, struct roster_entry *out)
{
	rdpshare_attendee *a = atomic_load(&c->member);
	if (!a) {
		return false;
	}
	out->id = a->id;
	snprintf(out->name, sizeof(out->name), "%s", a->name);
	out->level = atomic_load(&a->level);
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
	return c->peer_ip;
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
	conn_wake(c);
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
