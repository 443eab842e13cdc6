/* The FreeRDP client: one connection per rdp_client_run, its pictures drawn
 * by FreeRDP's software GDI (every codec the sharer may send, decoded as
 * xfreerdp decodes it) and handed up with their damage, its event loop, and
 * the commands other threads queue (input, multiparty messages, stop). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freerdp/error.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/graphics.h>
#include <freerdp/settings.h>
#include <winpr/synch.h>

#include "rdp/client_impl.h"
#include "rdp/log.h"

/* ---- pictures ---- */

bool rdp_client_size_ok(uint32_t width, uint32_t height)
{
	return width > 0 && height > 0 && width <= RDP_CLIENT_MAX_SIDE &&
	       height <= RDP_CLIENT_MAX_SIDE && (uint64_t)width * height <= RDP_CLIENT_MAX_PIXELS;
}

/* The sharer asked for too much: say so and end the connection (FreeRDP
 * goes on after some refused callbacks, e.g. a refused resize). */
BOOL rdp_client_too_large(rdpContext *ctx, uint32_t width, uint32_t height)
{
	struct rdp_client *c = rdp_client_of(ctx);
	pthread_mutex_lock(&c->lock); /* also from the drdynvc thread (pipeline surfaces) */
	snprintf(
	    c->res->message, sizeof(c->res->message),
	    "the sharer asked for a %ux%u picture, more than a viewer takes (%dx%d, %u pixels)",
	    width, height, RDP_CLIENT_MAX_SIDE, RDP_CLIENT_MAX_SIDE, RDP_CLIENT_MAX_PIXELS);
	c->res->too_large = true;
	pthread_mutex_unlock(&c->lock);
	freerdp_abort_connect_context(ctx);
	return FALSE;
}

static BOOL on_begin_paint(rdpContext *ctx)
{
	if (!ctx->gdi || !ctx->gdi->primary) {
		return FALSE; /* no picture (a refused resize): nothing to paint into */
	}
	HGDI_WND hwnd = ctx->gdi->primary->hdc->hwnd;
	hwnd->invalid->null = TRUE;
	hwnd->ninvalid = 0;
	return TRUE;
}

static BOOL on_end_paint(rdpContext *ctx)
{
	struct rdp_client *c = rdp_client_of(ctx);
	rdpGdi *gdi = ctx->gdi;
	if (!gdi || !gdi->primary) {
		return FALSE;
	}
	HGDI_WND hwnd = gdi->primary->hdc->hwnd;
	if (hwnd->invalid->null || hwnd->ninvalid <= 0) {
		return TRUE;
	}
	struct rdpshare_viewer_rect stack[32];
	struct rdpshare_viewer_rect *r = stack;
	int n = hwnd->ninvalid;
	if (n > 32 && !(r = malloc(sizeof(*r) * (size_t)n))) {
		r = stack; /* no memory: the bounding box of them all */
		n = 1;
		stack[0] = (struct rdpshare_viewer_rect){hwnd->invalid->x, hwnd->invalid->y,
		                                         hwnd->invalid->w, hwnd->invalid->h};
	} else {
		for (int i = 0; i < n; i++) {
			const GDI_RGN *g = &hwnd->cinvalid[i];
			r[i] = (struct rdpshare_viewer_rect){g->x, g->y, g->w, g->h};
		}
	}
	c->l.picture(c->l.ctx, gdi->primary_buffer, (int)gdi->stride, (int)gdi->width,
	             (int)gdi->height, r, n);
	if (r != stack) {
		free(r);
	}
	return TRUE;
}

/* FreeRDP leaves a new picture buffer uninitialised: until the sharer
 * paints, black, never stale memory. */
static void clear_picture(rdpGdi *gdi)
{
	if (gdi && gdi->primary_buffer) {
		memset(gdi->primary_buffer, 0, (size_t)gdi->stride * gdi->height);
	}
}

static BOOL on_desktop_resize(rdpContext *ctx)
{
	struct rdp_client *c = rdp_client_of(ctx);
	const rdpSettings *st = ctx->settings;
	UINT32 width = freerdp_settings_get_uint32(st, FreeRDP_DesktopWidth);
	UINT32 height = freerdp_settings_get_uint32(st, FreeRDP_DesktopHeight);
	if (!rdp_client_size_ok(width, height)) {
		return rdp_client_too_large(ctx, width, height);
	}
	if (!gdi_resize(ctx->gdi, width, height)) {
		freerdp_abort_connect_context(ctx);
		return FALSE;
	}
	clear_picture(ctx->gdi);
	c->l.resized(c->l.ctx, (int)width, (int)height,
	             (int)freerdp_settings_get_uint32(st, FreeRDP_ColorDepth));
	return TRUE;
}

/* Pointer shapes are only kept (FreeRDP's pointer cache owns and frees
 * them): the application shows its own cursor. */
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
	       rdp_client_dvc_setup(rdp_client_of(instance->context), instance->context);
}

/* FreeRDP 3 makes the channel manager anew after pre-connect and loads the
 * channels here (whatever pre-connect loaded is gone by then). */
static BOOL on_load_channels(freerdp *instance)
{
	struct rdp_client *c = rdp_client_of(instance->context);
	return rdp_client_mp_load(c, instance->context) &&
	       rdp_client_dvc_load(c, instance->context);
}

static BOOL on_post_connect(freerdp *instance)
{
	rdpContext *ctx = instance->context;
	struct rdp_client *c = rdp_client_of(ctx);
	UINT32 width = freerdp_settings_get_uint32(ctx->settings, FreeRDP_DesktopWidth);
	UINT32 height = freerdp_settings_get_uint32(ctx->settings, FreeRDP_DesktopHeight);
	if (!rdp_client_size_ok(width, height)) {
		return rdp_client_too_large(ctx, width, height);
	}
	if (!gdi_init(instance, PIXEL_FORMAT_BGRX32)) {
		return FALSE;
	}
	clear_picture(ctx->gdi);
	register_pointer(ctx);
	rdpUpdate *u = ctx->update;
	u->BeginPaint = on_begin_paint;
	u->EndPaint = on_end_paint;
	u->DesktopResize = on_desktop_resize;
	c->res->authenticated = true;
	pthread_mutex_lock(&c->lock);
	c->up = true;
	pthread_mutex_unlock(&c->lock);
	c->l.authenticated(c->l.ctx, (int)ctx->gdi->width, (int)ctx->gdi->height);
	return TRUE;
}

static void on_post_disconnect(freerdp *instance)
{
	gdi_free(instance);
}

static BOOL on_client_new(freerdp *instance, rdpContext *ctx)
{
	(void)ctx;
	instance->PreConnect = on_pre_connect;
	instance->LoadChannels = on_load_channels;
	instance->PostConnect = on_post_connect;
	instance->PostDisconnect = on_post_disconnect;
	rdp_client_cert_install(instance);
	return TRUE;
}

static bool configure(struct rdp_client *c, const struct rdp_client_target *t)
{
	rdpSettings *st = c->ctx->settings;
	bool ok = t->fd >= 0
	              ? freerdp_settings_set_string(st, FreeRDP_ServerHostname, "|") &&
	                    freerdp_settings_set_uint32(st, FreeRDP_ServerPort, (UINT32)t->fd)
	              : freerdp_settings_set_string(st, FreeRDP_ServerHostname, t->host) &&
	                    freerdp_settings_set_uint32(st, FreeRDP_ServerPort, (UINT32)t->port);
	ok = ok && freerdp_settings_set_string(st, FreeRDP_Username, t->name);
	if (t->ticket) {
		/* Remote Assistance logon ([MS-RA] 2.2.7.2): the ticket names
		 * the invitation, the password travels as the alternate shell */
		ok = ok && freerdp_settings_set_string(st, FreeRDP_Password, "*") &&
		     freerdp_settings_set_string(st, FreeRDP_AlternateShell, t->password) &&
		     freerdp_settings_set_string(st, FreeRDP_ShellWorkingDirectory, t->ticket);
	} else {
		ok = ok && freerdp_settings_set_string(st, FreeRDP_Password, t->password);
	}
	/* A product id tells the sharer we take control-change responses
	 * (FreeRDP's own multiparty client, 2.x and 3.x, does not). */
	ok = ok && freerdp_settings_set_string(st, FreeRDP_ClientProductId, "rdpshare-rdpview");
	return ok && freerdp_settings_set_bool(st, FreeRDP_NlaSecurity, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_TlsSecurity, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_RdpSecurity, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_ExternalCertificateManagement, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_CertificateCallbackPreferPEM, TRUE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, (UINT32)c->o.color_depth) &&
	       freerdp_settings_set_bool(st, FreeRDP_SoftwareGdi, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_RemoteFxCodec, c->o.remotefx) &&
	       /* the rest of it: rdp_client_dvc_setup */
	       freerdp_settings_set_bool(st, FreeRDP_SupportGraphicsPipeline, c->o.gfx) &&
	       freerdp_settings_set_bool(st, FreeRDP_FastPathOutput, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_SurfaceFrameMarkerEnabled, TRUE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_FrameAcknowledge, 2) &&
	       freerdp_settings_set_bool(st, FreeRDP_DesktopResize, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_AutoReconnectionEnabled, FALSE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, 1024) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, 768);
}

/* ---- commands from other threads ---- */

int rdp_client_queue(struct rdp_client *c, const struct rdp_client_cmd *in)
{
	struct rdp_client_cmd *e = malloc(sizeof(*e));
	if (!e) {
		return RDPSHARE_E_NOMEM;
	}
	*e = *in;
	e->next = NULL;
	pthread_mutex_lock(&c->lock);
	bool up = c->up && !c->stop;
	if (up) {
		if (c->tail) {
			c->tail->next = e;
		} else {
			c->head = e;
		}
		c->tail = e;
	}
	pthread_mutex_unlock(&c->lock);
	if (!up) {
		free(e); /* in->data stays the caller's */
		return RDPSHARE_E_PENDING;
	}
	SetEvent(c->wake);
	return RDPSHARE_OK;
}

static void drop_queue(struct rdp_client_cmd *e)
{
	while (e) {
		struct rdp_client_cmd *next = e->next;
		free(e->data);
		free(e);
		e = next;
	}
}

static void run_queue(struct rdp_client *c)
{
	pthread_mutex_lock(&c->lock);
	struct rdp_client_cmd *e = c->head;
	c->head = c->tail = NULL;
	pthread_mutex_unlock(&c->lock);
	for (struct rdp_client_cmd *i = e; i; i = i->next) {
		rdp_client_send_input(c, i);
	}
	drop_queue(e);
}

void rdp_client_stop(struct rdp_client *c)
{
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	if (c->live) {
		/* a connect that waits for a silent peer ends now, not at its
		 * timeout; the context stays while the lock is held */
		freerdp_abort_connect_context(c->live);
	}
	pthread_mutex_unlock(&c->lock);
	SetEvent(c->wake);
}

void rdp_client_reset(struct rdp_client *c)
{
	pthread_mutex_lock(&c->lock);
	c->stop = false;
	pthread_mutex_unlock(&c->lock);
	ResetEvent(c->wake);
}

static bool stopped(struct rdp_client *c)
{
	pthread_mutex_lock(&c->lock);
	bool s = c->stop;
	pthread_mutex_unlock(&c->lock);
	return s;
}

uint64_t rdp_client_bytes_in(struct rdp_client *c)
{
	pthread_mutex_lock(&c->lock);
	uint64_t n = c->bytes_in;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* ---- running ---- */

static void note_error(struct rdp_client *c)
{
	struct rdp_client_result *res = c->res;
	UINT32 e = freerdp_get_last_error(c->ctx);
	if (GET_FREERDP_ERROR_CLASS(e) == FREERDP_ERROR_ERRINFO_CLASS) {
		res->errinfo = GET_FREERDP_ERROR_TYPE(e);
	}
	pthread_mutex_lock(&c->lock);
	if (e && !res->message[0]) {
		snprintf(res->message, sizeof(res->message), "%s",
		         freerdp_get_last_error_string(e));
	}
	bool too_large = res->too_large;
	pthread_mutex_unlock(&c->lock);
	if (too_large) {
		res->reason = RDPSHARE_VIEWER_INTERNAL; /* with its own message */
	} else if (res->cert_refused) {
		res->reason = RDPSHARE_VIEWER_BAD_CERTIFICATE;
	} else if (res->errinfo) {
		res->reason = RDPSHARE_VIEWER_BY_SERVER;
	} else if (!res->connected) {
		res->reason = e == FREERDP_ERROR_DNS_NAME_NOT_FOUND
		                  ? RDPSHARE_VIEWER_HOST_NOT_FOUND
		                  : RDPSHARE_VIEWER_CONNECT_FAILED;
	} else {
		res->reason = RDPSHARE_VIEWER_SOCKET_CLOSED;
	}
}

static void loop(struct rdp_client *c)
{
	while (!freerdp_shall_disconnect_context(c->ctx)) {
		HANDLE handles[MAXIMUM_WAIT_OBJECTS];
		DWORD n = freerdp_get_event_handles(c->ctx, handles, MAXIMUM_WAIT_OBJECTS - 1);
		if (n == 0) {
			snprintf(c->res->message, sizeof(c->res->message),
			         "no connection to wait on");
			c->res->reason = RDPSHARE_VIEWER_INTERNAL;
			return;
		}
		handles[n++] = c->wake;
		WaitForMultipleObjects(n, handles, FALSE, 1000);
		ResetEvent(c->wake);
		if (stopped(c)) {
			c->res->stopped = true;
			c->res->reason = RDPSHARE_VIEWER_LOCAL;
			return;
		}
		if (!freerdp_check_event_handles(c->ctx)) {
			break;
		}
		run_queue(c);
		UINT64 in_bytes = 0, out_bytes = 0, in_packets = 0, out_packets = 0;
		freerdp_get_stats(c->ctx->rdp, &in_bytes, &out_bytes, &in_packets, &out_packets);
		pthread_mutex_lock(&c->lock);
		c->bytes_in = in_bytes;
		pthread_mutex_unlock(&c->lock);
	}
	note_error(c); /* the sharer (or the network) ended it */
}

int rdp_client_run(struct rdp_client *c, const struct rdp_client_target *t,
                   struct rdp_client_result *res)
{
	*res = (struct rdp_client_result){0};
	RDP_CLIENT_ENTRY_POINTS ep = {0};
	ep.Version = RDP_CLIENT_INTERFACE_VERSION;
	ep.Size = sizeof(ep);
	ep.ContextSize = sizeof(struct rdp_client_ctx);
	ep.ClientNew = on_client_new;
	rdpContext *ctx = freerdp_client_context_new(&ep);
	if (!ctx) {
		if (t->fd >= 0) {
			close(t->fd);
		}
		return RDPSHARE_E_NOMEM;
	}
	((struct rdp_client_ctx *)ctx)->c = c;
	bool joined = false;
	c->ctx = ctx;
	pthread_mutex_lock(&c->lock);
	c->live = ctx;
	pthread_mutex_unlock(&c->lock);
	c->t = t;
	c->res = res;
	pthread_mutex_lock(&c->lock);
	c->bytes_in = 0;
	pthread_mutex_unlock(&c->lock);
	bool fd_given = false;
	if (!configure(c, t)) {
		res->reason = RDPSHARE_VIEWER_INTERNAL;
		snprintf(res->message, sizeof(res->message), "cannot set up the connection");
	} else if (stopped(c)) {
		res->stopped = true;
		res->reason = RDPSHARE_VIEWER_LOCAL;
	} else {
		fd_given = true; /* from here on FreeRDP's transport owns t->fd */
		if (!freerdp_connect(ctx->instance)) {
			note_error(c);
			if (stopped(c) && res->reason != RDPSHARE_VIEWER_INTERNAL) {
				/* aborted by rdp_client_stop (not for a picture too large) */
				res->stopped = true;
				res->reason = RDPSHARE_VIEWER_LOCAL;
			}
		} else {
			joined = true;
			loop(c);
		}
	}
	pthread_mutex_lock(&c->lock);
	c->up = false;
	c->live = NULL;
	/* FreeRDP frees its channels with the connection, OnClose or not */
	memset(c->chan, 0, sizeof(c->chan));
	struct rdp_client_cmd *left = c->head;
	c->head = c->tail = NULL;
	pthread_mutex_unlock(&c->lock);
	drop_queue(left);
	if (joined) {
		freerdp_disconnect(ctx->instance);
	}
	freerdp_client_context_free(ctx);
	if (t->fd >= 0 && !fd_given) {
		close(t->fd);
	}
	c->ctx = NULL;
	c->t = NULL;
	return RDPSHARE_OK;
}

struct rdp_client *rdp_client_new(const struct rdp_client_listener *l,
                                  const struct rdp_client_options *o)
{
	struct rdp_client *c = calloc(1, sizeof(*c));
	if (!c) {
		return NULL;
	}
	/* FreeRDP narrates every step on stdout, where the application (and
	 * rdpview's --events) may print: quiet unless asked, as the sharer */
	rdp_log_apply(rdp_log_level());
	c->l = *l;
	c->o = *o;
	c->wake = CreateEventA(NULL, TRUE, FALSE, NULL);
	if (!c->wake) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void rdp_client_free(struct rdp_client *c)
{
	if (!c) {
		return;
	}
	drop_queue(c->head);
	CloseHandle(c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
