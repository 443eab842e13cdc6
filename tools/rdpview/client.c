#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freerdp/client.h>
#include <freerdp/error.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/graphics.h>
#include <freerdp/settings.h>
#include <winpr/synch.h>

#include "framing.h"
#include "rdpshare.h"
#include "rdpview.h"
#include "util/clock.h"
#include "util/keyhash.h"
#include "util/knownhosts.h"

struct rv_ctx {
	rdpContext base;
	struct rv *rv;
};

static struct rv *rv_of(rdpContext *ctx)
{
	return ((struct rv_ctx *)ctx)->rv;
}

/* ---- pictures ---- */

static BOOL on_begin_paint(rdpContext *ctx)
{
	HGDI_WND hwnd = ctx->gdi->primary->hdc->hwnd;
	hwnd->invalid->null = TRUE;
	hwnd->ninvalid = 0;
	return TRUE;
}

static BOOL on_end_paint(rdpContext *ctx)
{
	struct rv *rv = rv_of(ctx);
	HGDI_WND hwnd = ctx->gdi->primary->hdc->hwnd;
	if (hwnd->invalid->null) {
		return TRUE;
	}
	rv->frames++;
	if (rv->o->frame_times) {
		printf("{\"event\":\"frame\",\"n\":%llu,\"t_us\":%lld}\n",
		       (unsigned long long)rv->frames, (long long)util_clock_us());
		fflush(stdout);
	}
	if (rv->t_first_frame_ms == 0) {
		rv->t_first_frame_ms = util_clock_ms();
	}
	if (rv->win) {
		for (int i = 0; i < hwnd->ninvalid; i++) {
			const GDI_RGN *r = &hwnd->cinvalid[i];
			rv_window_paint(rv->win, r->x, r->y, r->w, r->h);
		}
	}
	return TRUE;
}

/* FreeRDP leaves a new picture buffer uninitialised: until the sharer
 * paints, show (and save) black, never stale memory. */
static void clear_picture(rdpGdi *gdi)
{
	if (gdi && gdi->primary_buffer) {
		memset(gdi->primary_buffer, 0, (size_t)gdi->stride * gdi->height);
	}
}

static BOOL on_desktop_resize(rdpContext *ctx)
{
	struct rv *rv = rv_of(ctx);
	const rdpSettings *st = ctx->settings;
	UINT32 width = freerdp_settings_get_uint32(st, FreeRDP_DesktopWidth);
	UINT32 height = freerdp_settings_get_uint32(st, FreeRDP_DesktopHeight);
	if (!gdi_resize(ctx->gdi, width, height)) {
		return FALSE;
	}
	clear_picture(ctx->gdi);
	if (rv->win) {
		rv_window_resize(rv->win, (int)width, (int)height);
	}
	return TRUE;
}

/* The viewer shows its own cursor, so pointer shapes are only kept (FreeRDP's
 * pointer cache owns and frees them). */
static BOOL pointer_new(rdpContext *ctx, rdpPointer *p)
{
	(void)ctx;
	(void)p;
	return TRUE;
}

static void pointer_free(rdpContext *ctx, rdpPointer *p)
{
	(void)ctx;
	(void)p;
}

static BOOL pointer_set(rdpContext *ctx, rdpPointer *p)
{
	(void)ctx;
	(void)p;
	return TRUE;
}

static BOOL pointer_set_null(rdpContext *ctx)
{
	(void)ctx;
	return TRUE;
}

static BOOL pointer_set_position(rdpContext *ctx, UINT32 x, UINT32 y)
{
	(void)ctx;
	(void)x;
	(void)y;
	return TRUE;
}

static void register_pointer(rdpContext *ctx)
{
	rdpPointer proto = {.size = sizeof(rdpPointer),
	                    .New = pointer_new,
	                    .Free = pointer_free,
	                    .Set = pointer_set,
	                    .SetNull = pointer_set_null,
	                    .SetDefault = pointer_set_null,
	                    .SetPosition = pointer_set_position};
	graphics_register_pointer(ctx->graphics, &proto);
}

/* ---- connection ---- */

static BOOL on_pre_connect(freerdp *instance)
{
	rdpSettings *st = instance->context->settings;
	return freerdp_settings_set_uint32(st, FreeRDP_OsMajorType, OSMAJORTYPE_UNIX) &&
	       freerdp_settings_set_uint32(st, FreeRDP_OsMinorType, OSMINORTYPE_NATIVE_XSERVER) &&
	       rv_dvc_setup(rv_of(instance->context), instance->context);
}

/* FreeRDP 3 makes the channel manager anew after pre-connect and loads the
 * channels here (whatever pre-connect loaded is gone by then). */
static BOOL on_load_channels(freerdp *instance)
{
	return rv_mp_load(rv_of(instance->context), instance->context) &&
	       rv_dvc_load(rv_of(instance->context), instance->context);
}

static BOOL on_post_connect(freerdp *instance)
{
	rdpContext *ctx = instance->context;
	struct rv *rv = rv_of(ctx);
	if (!gdi_init(instance, PIXEL_FORMAT_BGRX32)) {
		return FALSE;
	}
	clear_picture(ctx->gdi);
	register_pointer(ctx);
	rdpUpdate *u = ctx->update;
	u->BeginPaint = on_begin_paint;
	u->EndPaint = on_end_paint;
	u->DesktopResize = on_desktop_resize;
	if (!rv->o->headless) {
		rv->win = rv_window_new(
		    rv, (int)freerdp_settings_get_uint32(ctx->settings, FreeRDP_DesktopWidth),
		    (int)freerdp_settings_get_uint32(ctx->settings, FreeRDP_DesktopHeight));
		if (!rv->win) {
			fprintf(stderr,
			        "rdpview: cannot open a window (no X display? try --headless)\n");
			return FALSE;
		}
	}
	return TRUE;
}

static void on_post_disconnect(freerdp *instance)
{
	struct rv *rv = rv_of(instance->context);
	rv_window_free(rv->win);
	rv->win = NULL;
	gdi_free(instance);
}

/* Trust on first use: the KH recorded for rv->host:port must be this one;
 * none recorded, this one is recorded. True to accept. */
static bool check_known_host(struct rv *rv, const char *kh)
{
	char *known = NULL;
	int line = 0;
	int r = knownhosts_lookup(rv->known_hosts, rv->host, rv->port, &known, &line);
	if (r < 0) {
		/* fail closed: an unreadable file may hold the entry */
		fprintf(stderr, "rdpview: cannot read %s: %s; not connecting to %s:%d\n",
		        rv->known_hosts, strerror(-r), rv->host, rv->port);
		rv->kh_mismatch = true;
		return false;
	}
	if (r == 1) {
		bool same = strcmp(known, kh) == 0;
		if (!same) {
			fprintf(
			    stderr,
			    "rdpview: WARNING: %s:%d presents another key than the one recorded "
			    "in %s line %d\n"
			    "rdpview: recorded KH %s, now KH %s\n"
			    "rdpview: someone may be posing as the sharer; nothing was sent. If "
			    "the sharer really changed its key, delete that line (or pin the "
			    "new one with --kh).\n",
			    rv->host, rv->port, rv->known_hosts, line, known, kh);
			rv->kh_mismatch = true;
		}
		free(known);
		return same;
	}
	r = knownhosts_add(rv->known_hosts, rv->host, rv->port, kh);
	if (r < 0) {
		fprintf(stderr,
		        "rdpview: %s:%d certificate KH=%s, first use; cannot record it in "
		        "%s: %s\n",
		        rv->host, rv->port, kh, rv->known_hosts, strerror(-r));
	} else {
		fprintf(stderr, "rdpview: %s:%d certificate KH=%s, first use: recorded in %s\n",
		        rv->host, rv->port, kh, rv->known_hosts);
	}
	return true;
}

/* The sharer's certificate must carry the pinned key hash (the
 * invitation's, --kh's or the known-hosts file's): the TLS channel is only as
 * good as this check, and FreeRDP makes it inside the TLS handshake, before
 * the Client Info PDU carries the password. pem: the certificate (the
 * server's first, then its chain). True to accept. */
static bool check_certificate(struct rv *rv, const char *pem, size_t length, const char *hostname,
                              UINT16 port)
{
	char *kh = NULL;
	if (!pem || keyhash_from_pem(pem, length, &kh) != 0) {
		fprintf(stderr, "rdpview: %s:%u sent no usable certificate\n", hostname, port);
		rv->kh_mismatch = true;
		return false;
	}
	bool ok = true;
	if (rv->expect_kh) {
		if (strcmp(kh, rv->expect_kh) != 0) {
			fprintf(stderr,
			        "rdpview: %s:%u is not the sharer %s: certificate KH %s, expected "
			        "KH %s\n",
			        hostname, port, rv->pin_from ? rv->pin_from : "of this invitation",
			        kh, rv->expect_kh);
			rv->kh_mismatch = true;
			ok = false;
		}
	} else if (rv->known_hosts) {
		ok = check_known_host(rv, kh);
	} else if (rv->o->insecure) {
		fprintf(stderr, "rdpview: %s:%u certificate KH=%s (not checked: --insecure)\n",
		        hostname, port, kh);
	} else {
		/* main.c never gets here; should it ever, fail closed */
		fprintf(stderr, "rdpview: %s:%u certificate KH=%s: nothing to check it against\n",
		        hostname, port, kh);
		rv->kh_mismatch = true;
		ok = false;
	}
	free(kh);
	return ok;
}

/* With ExternalCertificateManagement FreeRDP hands every server certificate
 * to this callback (as PEM, the whole chain) and nothing else decides:
 * FreeRDP's own known_hosts is neither read nor written (rdpview's is
 * util/knownhosts.h). It runs inside the TLS handshake, before the Client
 * Info PDU, so a refused sharer never sees the password. 2: accepted for
 * this session only (FreeRDP keeps nothing). */
static int on_verify_x509(freerdp *instance, const BYTE *data, size_t length, const char *hostname,
                          UINT16 port, DWORD flags)
{
	(void)flags;
	struct rv *rv = rv_of(instance->context);
	return check_certificate(rv, (const char *)data, length, hostname, port) ? 2 : 0;
}

/* FreeRDP 3 only asks these when it manages certificates itself and has no
 * VerifyX509Certificate, neither of which is the case here. They replace its
 * defaults, which ask on the terminal, and pin the same way should they ever
 * be asked (with the certificate as PEM: CertificateCallbackPreferPEM). */
static DWORD verify_fingerprint(freerdp *instance, const char *host, UINT16 port,
                                const char *fingerprint, DWORD flags)
{
	struct rv *rv = rv_of(instance->context);
	if (!(flags & VERIFY_CERT_FLAG_FP_IS_PEM)) {
		fprintf(stderr, "rdpview: %s:%u: no certificate to check the KH of\n", host, port);
		rv->kh_mismatch = true;
		return 0;
	}
	size_t length = fingerprint ? strlen(fingerprint) : 0;
	return check_certificate(rv, fingerprint, length, host, port) ? 2 : 0;
}

static DWORD on_verify_certificate(freerdp *instance, const char *host, UINT16 port,
                                   const char *common_name, const char *subject, const char *issuer,
                                   const char *fingerprint, DWORD flags)
{
	(void)common_name;
	(void)subject;
	(void)issuer;
	return verify_fingerprint(instance, host, port, fingerprint, flags);
}

static DWORD on_verify_changed_certificate(freerdp *instance, const char *host, UINT16 port,
                                           const char *common_name, const char *subject,
                                           const char *issuer, const char *new_fingerprint,
                                           const char *old_subject, const char *old_issuer,
                                           const char *old_fingerprint, DWORD flags)
{
	(void)common_name;
	(void)subject;
	(void)issuer;
	(void)old_subject;
	(void)old_issuer;
	(void)old_fingerprint;
	return verify_fingerprint(instance, host, port, new_fingerprint, flags);
}

static BOOL on_client_new(freerdp *instance, rdpContext *ctx)
{
	(void)ctx;
	instance->PreConnect = on_pre_connect;
	instance->LoadChannels = on_load_channels;
	instance->PostConnect = on_post_connect;
	instance->PostDisconnect = on_post_disconnect;
	instance->VerifyX509Certificate = on_verify_x509;
	instance->VerifyCertificateEx = on_verify_certificate;
	instance->VerifyChangedCertificateEx = on_verify_changed_certificate;
	return TRUE;
}

static bool configure(struct rv *rv)
{
	rdpSettings *st = rv->ctx->settings;
	const struct rv_opts *o = rv->o;
	bool ok = freerdp_settings_set_string(st, FreeRDP_ServerHostname, rv->host) &&
	          freerdp_settings_set_uint32(st, FreeRDP_ServerPort, (UINT32)rv->port) &&
	          freerdp_settings_set_string(st, FreeRDP_Username, o->name);
	if (rv->ticket) {
		/* Remote Assistance logon ([MS-RA] 2.2.7.2): the ticket names
		 * the invitation, the password travels as the alternate shell */
		ok = ok && freerdp_settings_set_string(st, FreeRDP_Password, "*") &&
		     freerdp_settings_set_string(st, FreeRDP_AlternateShell, o->password) &&
		     freerdp_settings_set_string(st, FreeRDP_ShellWorkingDirectory, rv->ticket);
	} else {
		ok = ok && freerdp_settings_set_string(st, FreeRDP_Password, o->password);
	}
	/* A product id tells the sharer we take control-change responses
	 * (FreeRDP's own multiparty client, 2.x and 3.x, does not). */
	ok = ok && freerdp_settings_set_string(st, FreeRDP_ClientProductId, "rdpshare-rdpview");
	return ok && freerdp_settings_set_bool(st, FreeRDP_NlaSecurity, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_TlsSecurity, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_RdpSecurity, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_ExternalCertificateManagement, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_CertificateCallbackPreferPEM, TRUE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, 32) &&
	       freerdp_settings_set_bool(st, FreeRDP_SoftwareGdi, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_RemoteFxCodec, TRUE) &&
	       /* the rest of it: rv_dvc_setup */
	       freerdp_settings_set_bool(st, FreeRDP_SupportGraphicsPipeline, o->gfx) &&
	       freerdp_settings_set_bool(st, FreeRDP_FastPathOutput, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_SurfaceFrameMarkerEnabled, TRUE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_FrameAcknowledge, 2) &&
	       freerdp_settings_set_bool(st, FreeRDP_DesktopResize, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_AutoReconnectionEnabled, FALSE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, 1024) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, 768);
}

/* Exit status for a failed or ended connection. */
static int failure_status(struct rv *rv)
{
	UINT32 e = freerdp_get_last_error(rv->ctx);
	if (rv->kh_mismatch) {
		return 3;
	}
	if (GET_FREERDP_ERROR_CLASS(e) == FREERDP_ERROR_ERRINFO_CLASS) {
		UINT32 info = GET_FREERDP_ERROR_TYPE(e);
		if (info == ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES ||
		    info == ERRINFO_SERVER_DENIED_CONNECTION) {
			fprintf(stderr, "rdpview: the sharer refused: %s\n",
			        freerdp_get_last_error_string(e));
			return 4;
		}
	}
	return 1;
}

static bool limits_reached(struct rv *rv)
{
	const struct rv_opts *o = rv->o;
	if (o->frames > 0 && rv->frames >= (uint64_t)o->frames) {
		return true;
	}
	return o->seconds > 0 && util_clock_ms() - rv->t_connect_ms >= (int64_t)(o->seconds * 1000);
}

static void print_stats(struct rv *rv)
{
	UINT64 in_bytes = 0, out_bytes = 0, in_packets = 0, out_packets = 0;
	freerdp_get_stats(rv->ctx->rdp, &in_bytes, &out_bytes, &in_packets, &out_packets);
	double secs = (double)(util_clock_ms() - rv->t_connect_ms) / 1000.0;
	double first =
	    rv->t_first_frame_ms ? (double)(rv->t_first_frame_ms - rv->t_connect_ms) / 1000.0 : -1;
	rdpGdi *gdi = rv->ctx->gdi;
	printf("{\"event\":\"stats\",\"frames\":%llu,\"bytes\":%llu,\"seconds\":%.3f,"
	       "\"updates_per_second\":%.2f,\"first_frame_seconds\":%.3f,\"width\":%u,"
	       "\"height\":%u,\"level\":\"%s\",\"id\":%d}\n",
	       (unsigned long long)rv->frames, (unsigned long long)in_bytes, secs,
	       secs > 0 ? (double)rv->frames / secs : 0.0, first, gdi ? gdi->width : 0,
	       gdi ? gdi->height : 0,
	       rv->level >= 0 ? rdpshare_ctrl_level_name((enum rdpshare_ctrl_level)rv->level)
	                      : "unknown",
	       rv->self_id);
	fflush(stdout);
}

static void after_connect(struct rv *rv)
{
	const struct rv_opts *o = rv->o;
	if (o->encomsp_send_hex && rv->mp_open) {
		size_t n = strlen(o->encomsp_send_hex) / 2;
		uint8_t *raw = malloc(n ? n : 1);
		for (size_t i = 0; raw && i < n; i++) {
			char pair[3] = {o->encomsp_send_hex[2 * i], o->encomsp_send_hex[2 * i + 1],
			                0};
			raw[i] = (uint8_t)strtoul(pair, NULL, 16); /* checked as hex by main.c */
		}
		if (raw) {
			rv_mp_send_raw(rv, raw, n);
		}
		free(raw);
	}
}

/* --channel: stdin to the channel, a message per line (or length-prefixed
 * with --binary). Messages wait in `pending` until the channel is open. */
struct stdin_bridge {
	HANDLE event;
	bool eof;
	char *buf;
	size_t len, cap;
};

static void bridge_read(struct stdin_bridge *b)
{
	if (b->cap - b->len < 4096) {
		char *p = realloc(b->buf, b->cap + 65536);
		if (!p) {
			return;
		}
		b->buf = p;
		b->cap += 65536;
	}
	ssize_t n = read(STDIN_FILENO, b->buf + b->len, b->cap - b->len);
	if (n <= 0) {
		b->eof = true;
		return;
	}
	b->len += (size_t)n;
}

/* Send every complete message at the front while the channel takes them.
 * False when the stream is broken (a message over the legacy limit). */
static bool bridge_send(struct stdin_bridge *b, bool binary)
{
	size_t off = 0;
	int r;
	size_t start, mlen, next;
	while ((r = frame_next(b->buf + off, b->len - off, binary,
	                       RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY, &start, &mlen, &next)) > 0) {
		if (mlen > 0 && !rv_dvc_send(b->buf + off + start, mlen)) {
			break; /* not open yet: keep it */
		}
		off += next;
	}
	memmove(b->buf, b->buf + off, b->len - off);
	b->len -= off;
	return r >= 0;
}

static int loop(struct rv *rv)
{
	struct stdin_bridge bridge = {0};
	if (rv->o->channel) {
		bridge.event =
		    CreateFileDescriptorEventA(NULL, FALSE, FALSE, STDIN_FILENO, WINPR_FD_READ);
	}
	HANDLE win_event = NULL;
	bool sent_raw = false;
	bool ended = false;
	int status = 0;
	while (!freerdp_shall_disconnect_context(rv->ctx) && !rv->quit) {
		HANDLE handles[MAXIMUM_WAIT_OBJECTS];
		DWORD n = freerdp_get_event_handles(rv->ctx, handles, MAXIMUM_WAIT_OBJECTS - 1);
		if (n == 0) {
			status = 1;
			break;
		}
		if (rv->win && !win_event) {
			win_event = CreateFileDescriptorEventA(
			    NULL, FALSE, FALSE, rv_window_fd(rv->win), WINPR_FD_READ);
		}
		if (rv->win && win_event) {
			handles[n++] = win_event;
		}
		if (bridge.event && !bridge.eof && n < MAXIMUM_WAIT_OBJECTS) {
			handles[n++] = bridge.event;
		}
		DWORD timeout = 100;
		if (rv->script && rv->t_first_frame_ms) {
			int next =
			    rv_script_run(rv->script, rv, util_clock_ms() - rv->t_first_frame_ms);
			if (next >= 0 && (DWORD)next < timeout) {
				timeout = (DWORD)next;
			}
		}
		WaitForMultipleObjects(n, handles, FALSE, timeout);
		if (!freerdp_check_event_handles(rv->ctx)) {
			ended = true;
			break;
		}
		if (rv->win) {
			rv_window_events(rv->win);
		}
		if (bridge.event && !bridge.eof &&
		    WaitForSingleObject(bridge.event, 0) == WAIT_OBJECT_0) {
			bridge_read(&bridge);
		}
		if (bridge.len && !bridge_send(&bridge, rv->o->binary)) {
			fprintf(stderr,
			        "rdpview: a message on stdin is longer than %d bytes; "
			        "the rest of stdin is ignored\n",
			        RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY);
			bridge.eof = true;
			bridge.len = 0;
		}
		if (rv->mp_open && !sent_raw) {
			sent_raw = true;
			after_connect(rv);
		}
		if (rv->o->request_level >= 0 && !rv->requested && rv->self_id >= 0) {
			rv->requested = true;
			rv_mp_request(rv, rv->o->request_level);
		}
		if (limits_reached(rv)) {
			break;
		}
	}
	if (ended || (freerdp_shall_disconnect_context(rv->ctx) && !rv->quit)) {
		/* the sharer (or the network) ended it, not us */
		UINT32 e = freerdp_get_last_error(rv->ctx);
		fprintf(stderr, "rdpview: the connection ended: %s\n",
		        e ? freerdp_get_last_error_string(e) : "closed by the sharer");
		status = failure_status(rv);
		if (GET_FREERDP_ERROR_CLASS(e) == FREERDP_ERROR_ERRINFO_CLASS &&
		    GET_FREERDP_ERROR_TYPE(e) == ERRINFO_RPC_INITIATED_DISCONNECT) {
			status = 5; /* removed by the sharer, or the session closed */
		}
	}
	if (win_event) {
		CloseHandle(win_event);
	}
	if (bridge.event) {
		CloseHandle(bridge.event);
	}
	free(bridge.buf);
	return status;
}

int rv_run(struct rv *rv)
{
	RDP_CLIENT_ENTRY_POINTS ep = {0};
	ep.Version = RDP_CLIENT_INTERFACE_VERSION;
	ep.Size = sizeof(ep);
	ep.ContextSize = sizeof(struct rv_ctx);
	ep.ClientNew = on_client_new;
	rv->ctx = freerdp_client_context_new(&ep);
	if (!rv->ctx) {
		return 1;
	}
	((struct rv_ctx *)rv->ctx)->rv = rv;
	int status = 1;
	if (configure(rv)) {
		rv->t_connect_ms = util_clock_ms();
		rv->t_first_frame_ms = 0;
		rv->frames = 0;
		if (!freerdp_connect(rv->ctx->instance)) {
			status = failure_status(rv);
			if (status == 1) {
				fprintf(
				    stderr, "rdpview: cannot connect to %s:%d: %s\n", rv->host,
				    rv->port,
				    freerdp_get_last_error_string(freerdp_get_last_error(rv->ctx)));
			}
		} else {
			status = loop(rv);
			if (rv->o->screenshot) {
				int r = rv_screenshot(rv->ctx, rv->o->screenshot);
				if (r < 0) {
					fprintf(stderr, "rdpview: cannot write %s: %s\n",
					        rv->o->screenshot, strerror(-r));
					status = status ? status : 1;
				}
			}
			if (rv->o->stats) {
				print_stats(rv);
			}
			freerdp_disconnect(rv->ctx->instance);
		}
	}
	freerdp_client_context_free(rv->ctx);
	rv->ctx = NULL;
	return status;
}
