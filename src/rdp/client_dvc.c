/* The viewer's virtual channels (RDP dynamic channels, DRDYNVC) and the
 * graphics pipeline's client end. FreeRDP loads dynamic channel plug-ins by
 * name through its add-in provider, so ours is put in front of FreeRDP's
 * static one to make the name "rdpshare-viewer" find this plug-in; it
 * listens for each of the viewer's channel names and finds its client
 * through the context. The plug-in's callbacks run on FreeRDP's drdynvc
 * thread. The provider is process-wide (FreeRDP keeps one). */
#include <stdlib.h>
#include <string.h>

#include <freerdp/addin.h>
#include <freerdp/client/channels.h>
#include <freerdp/client/cmdline.h>
#include <freerdp/event.h>
#include <freerdp/gdi/gfx.h>

#include "rdp/client_impl.h"

#define PLUGIN_NAME "rdpshare-viewer"

struct plugin {
	IWTSPlugin iface;
	struct rdp_client *c;
	struct listener {
		IWTSListenerCallback iface;
		struct plugin *pl;
		int index;
	} listeners[RDP_CLIENT_MAX_CHANNELS];
};

struct chan_cb {
	IWTSVirtualChannelCallback iface;
	struct rdp_client *c;
	int index;
};

static UINT on_data(IWTSVirtualChannelCallback *cb, wStream *s)
{
	struct chan_cb *ch = (struct chan_cb *)cb;
	size_t len = Stream_GetRemainingLength(s);
	if (len > 0 && len <= RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY) {
		ch->c->l.channel_data(ch->c->l.ctx, ch->index, Stream_Pointer(s), len);
	}
	return CHANNEL_RC_OK;
}

static UINT on_close(IWTSVirtualChannelCallback *cb)
{
	struct chan_cb *ch = (struct chan_cb *)cb;
	struct rdp_client *c = ch->c;
	pthread_mutex_lock(&c->lock);
	c->chan[ch->index] = NULL;
	pthread_mutex_unlock(&c->lock);
	c->l.channel_open(c->l.ctx, ch->index, false);
	free(ch);
	return CHANNEL_RC_OK;
}

static UINT on_new_channel(IWTSListenerCallback *lcb, IWTSVirtualChannel *vc, BYTE *data,
                           BOOL *accept, IWTSVirtualChannelCallback **callback)
{
	(void)data;
	struct listener *l = (struct listener *)lcb;
	struct rdp_client *c = l->pl->c;
	struct chan_cb *ch = calloc(1, sizeof(*ch));
	if (!ch) {
		*accept = FALSE;
		return CHANNEL_RC_NO_MEMORY;
	}
	ch->iface.OnDataReceived = on_data;
	ch->iface.OnClose = on_close;
	ch->c = c;
	ch->index = l->index;
	*callback = &ch->iface;
	*accept = TRUE;
	pthread_mutex_lock(&c->lock);
	c->chan[l->index] = vc;
	pthread_mutex_unlock(&c->lock);
	c->l.channel_open(c->l.ctx, l->index, true);
	return CHANNEL_RC_OK;
}

static UINT on_initialize(IWTSPlugin *p, IWTSVirtualChannelManager *mgr)
{
	struct plugin *pl = (struct plugin *)p;
	for (int i = 0; i < pl->c->o.n_channels; i++) {
		UINT r = mgr->CreateListener(mgr, pl->c->o.channels[i], 0, &pl->listeners[i].iface,
		                             NULL);
		if (r != CHANNEL_RC_OK) {
			return r;
		}
	}
	return CHANNEL_RC_OK;
}

static UINT on_terminated(IWTSPlugin *p)
{
	free(p);
	return CHANNEL_RC_OK;
}

static UINT VCAPITYPE plugin_entry(IDRDYNVC_ENTRY_POINTS *ep)
{
	rdpContext *ctx = ep->GetRdpContext(ep);
	struct plugin *pl = calloc(1, sizeof(*pl));
	if (!ctx || !pl) {
		free(pl);
		return CHANNEL_RC_NO_MEMORY;
	}
	pl->c = rdp_client_of(ctx);
	pl->iface.Initialize = on_initialize;
	pl->iface.Terminated = on_terminated;
	for (int i = 0; i < RDP_CLIENT_MAX_CHANNELS; i++) {
		pl->listeners[i].iface.OnNewChannelConnection = on_new_channel;
		pl->listeners[i].pl = pl;
		pl->listeners[i].index = i;
	}
	return ep->RegisterPlugin(ep, PLUGIN_NAME, &pl->iface);
}

static PVIRTUALCHANNELENTRY provider(LPCSTR name, LPCSTR subsystem, LPCSTR type, DWORD flags)
{
	if (name && strcmp(name, PLUGIN_NAME) == 0 && (flags & FREERDP_ADDIN_CHANNEL_DYNAMIC)) {
		return (PVIRTUALCHANNELENTRY)(void *)plugin_entry;
	}
	return freerdp_channels_load_static_addin_entry(name, subsystem, type, flags);
}

/* The pipeline's surfaces are sized by the sharer (ResetGraphics up to
 * 2^32 a side, CreateSurface up to 65535, any number of them), and FreeRDP's
 * gdi allocates and clears them as asked: the sizes and the count are
 * checked first, and a sharer asking for more is disconnected. */
static struct rdp_client *gfx_client(RdpgfxClientContext *gfx)
{
	rdpGdi *gdi = gfx->custom;
	return rdp_client_of(gdi->context);
}

static UINT gfx_refuse(rdpContext *ctx, uint32_t width, uint32_t height)
{
	rdp_client_too_large(ctx, width, height);
	return ERROR_INVALID_DATA;
}

static UINT gfx_reset(RdpgfxClientContext *gfx, const RDPGFX_RESET_GRAPHICS_PDU *pdu)
{
	struct rdp_client *c = gfx_client(gfx);
	if (!rdp_client_size_ok(pdu->width, pdu->height)) {
		return gfx_refuse(c->ctx, pdu->width, pdu->height);
	}
	c->surfaces = 0; /* a reset deletes them all */
	return c->gfx_reset(gfx, pdu);
}

static UINT gfx_create(RdpgfxClientContext *gfx, const RDPGFX_CREATE_SURFACE_PDU *pdu)
{
	struct rdp_client *c = gfx_client(gfx);
	if (!rdp_client_size_ok(pdu->width, pdu->height) ||
	    c->surfaces >= RDP_CLIENT_MAX_SURFACES) {
		return gfx_refuse(c->ctx, pdu->width, pdu->height);
	}
	UINT r = c->gfx_create(gfx, pdu);
	c->surfaces += r == CHANNEL_RC_OK;
	return r;
}

static UINT gfx_delete(RdpgfxClientContext *gfx, const RDPGFX_DELETE_SURFACE_PDU *pdu)
{
	struct rdp_client *c = gfx_client(gfx);
	UINT r = c->gfx_delete(gfx, pdu);
	if (r == CHANNEL_RC_OK && c->surfaces > 0) {
		c->surfaces--;
	}
	return r;
}

/* The graphics pipeline's client end draws into FreeRDP's gdi once both
 * exist (the channel connects after post-connect made the gdi). */
static void on_channel_connected(void *context, const ChannelConnectedEventArgs *e)
{
	rdpContext *ctx = context;
	if (strcmp(e->name, RDPGFX_DVC_CHANNEL_NAME) == 0 && ctx->gdi) {
		RdpgfxClientContext *gfx = (RdpgfxClientContext *)e->pInterface;
		struct rdp_client *c = rdp_client_of(ctx);
		if (gdi_graphics_pipeline_init(ctx->gdi, gfx)) {
			c->gfx_reset = gfx->ResetGraphics;
			c->gfx_create = gfx->CreateSurface;
			c->gfx_delete = gfx->DeleteSurface;
			c->surfaces = 0;
			gfx->ResetGraphics = gfx_reset;
			gfx->CreateSurface = gfx_create;
			gfx->DeleteSurface = gfx_delete;
		}
	}
}

static void on_channel_disconnected(void *context, const ChannelDisconnectedEventArgs *e)
{
	rdpContext *ctx = context;
	if (strcmp(e->name, RDPGFX_DVC_CHANNEL_NAME) == 0 && ctx->gdi) {
		gdi_graphics_pipeline_uninit(ctx->gdi, (RdpgfxClientContext *)e->pInterface);
	}
}

BOOL rdp_client_dvc_setup(struct rdp_client *c, rdpContext *ctx)
{
	if (c->o.n_channels == 0 && !c->o.gfx) {
		return TRUE;
	}
	rdpSettings *st = ctx->settings;
	if (!freerdp_settings_set_bool(st, FreeRDP_SupportDynamicChannels, TRUE) ||
	    !freerdp_settings_set_bool(st, FreeRDP_RedirectClipboard, FALSE)) {
		return FALSE;
	}
	if (c->o.gfx) {
		/* AVC420 only: rdpshare sends no AVC444 and no progressive */
		if (!freerdp_settings_set_bool(st, FreeRDP_SupportGraphicsPipeline, TRUE) ||
		    !freerdp_settings_set_bool(st, FreeRDP_GfxH264, TRUE) ||
		    !freerdp_settings_set_bool(st, FreeRDP_GfxAVC444, FALSE) ||
		    !freerdp_settings_set_bool(st, FreeRDP_GfxAVC444v2, FALSE) ||
		    !freerdp_settings_set_bool(st, FreeRDP_GfxProgressive, FALSE) ||
		    !freerdp_settings_set_bool(st, FreeRDP_GfxProgressiveV2, FALSE)) {
			return FALSE;
		}
		if (PubSub_SubscribeChannelConnected(ctx->pubSub, on_channel_connected) < 0 ||
		    PubSub_SubscribeChannelDisconnected(ctx->pubSub, on_channel_disconnected) < 0) {
			return FALSE;
		}
	}
	if (c->o.n_channels > 0) {
		const char *const params[] = {PLUGIN_NAME};
		if (freerdp_register_addin_provider(provider, 0) != 0 ||
		    !freerdp_client_add_dynamic_channel(st, 1, params)) {
			return FALSE;
		}
	}
	return TRUE;
}

BOOL rdp_client_dvc_load(struct rdp_client *c, rdpContext *ctx)
{
	if (c->o.n_channels == 0 && !c->o.gfx) {
		return TRUE;
	}
	return freerdp_client_load_addins(ctx->channels, ctx->settings);
}

int rdp_client_channel_send(struct rdp_client *c, int index, const void *data, size_t len)
{
	if (index < 0 || index >= c->o.n_channels) {
		return RDPSHARE_E_NOT_FOUND;
	}
	pthread_mutex_lock(&c->lock);
	IWTSVirtualChannel *vc = c->chan[index];
	int r = !vc                                                      ? RDPSHARE_E_PENDING
	        : vc->Write(vc, (ULONG)len, data, NULL) == CHANNEL_RC_OK ? RDPSHARE_OK
	                                                                 : RDPSHARE_E_IO;
	pthread_mutex_unlock(&c->lock);
	return r;
}
