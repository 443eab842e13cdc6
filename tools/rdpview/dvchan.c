/* --channel NAME: one of the sharer's virtual channels (an RDP dynamic
 * channel) bridged to stdin/stdout: a message per line, or with --binary a
 * 4-byte big-endian length before each message. FreeRDP loads dynamic
 * channel plug-ins by name through its add-in provider; rdpview puts its own
 * provider in front of FreeRDP's static one so the name "rdpview-chan" finds
 * this plug-in. The plug-in's callbacks run on FreeRDP's drdynvc thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freerdp/addin.h>
#include <freerdp/client/channels.h>
#include <freerdp/client/cmdline.h>
#include <freerdp/dvc.h>
#include <freerdp/event.h>
#include <freerdp/gdi/gfx.h>

#include "rdpview.h"
#include "util/text.h"

#define PLUGIN_NAME "rdpview-chan"

struct plugin {
	IWTSPlugin iface;
	IWTSListenerCallback listener;
};

struct chan_cb {
	IWTSVirtualChannelCallback iface;
};

/* one connection at a time: the plug-in finds its viewer here */
static struct rv *the_rv;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static IWTSVirtualChannel *open_channel; /* guarded by out_lock */
static int to_terminal = -1;             /* stdout is a terminal; guarded by out_lock */

static void emit(const BYTE *data, size_t len)
{
	pthread_mutex_lock(&out_lock);
	if (to_terminal < 0) {
		to_terminal = isatty(STDOUT_FILENO);
	}
	if (the_rv->o->binary) {
		unsigned char hdr[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
		                        (unsigned char)(len >> 8), (unsigned char)len};
		fwrite(hdr, 1, 4, stdout);
		fwrite(data, 1, len, stdout);
	} else if (to_terminal) {
		/* the sharer's text on the user's terminal: escaped and capped, as
		 * the sharer shows viewers' text (util/text.h); into a pipe it goes
		 * exactly as sent */
		char *t = text_terminal((const char *)data, len, TEXT_LINE_MAX, TEXT_BARE);
		fputs(t ? t : "?", stdout);
		fputc('\n', stdout);
		free(t);
	} else {
		fwrite(data, 1, len, stdout);
		fputc('\n', stdout);
	}
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static UINT on_data(IWTSVirtualChannelCallback *cb, wStream *s)
{
	(void)cb;
	emit(Stream_Pointer(s), Stream_GetRemainingLength(s));
	return CHANNEL_RC_OK;
}

static UINT on_close(IWTSVirtualChannelCallback *cb)
{
	pthread_mutex_lock(&out_lock);
	open_channel = NULL;
	pthread_mutex_unlock(&out_lock);
	free(cb);
	return CHANNEL_RC_OK;
}

static UINT on_new_channel(IWTSListenerCallback *l, IWTSVirtualChannel *ch, BYTE *data,
                           BOOL *accept, IWTSVirtualChannelCallback **callback)
{
	(void)l;
	(void)data;
	struct chan_cb *cb = calloc(1, sizeof(*cb));
	if (!cb) {
		*accept = FALSE;
		return CHANNEL_RC_NO_MEMORY;
	}
	cb->iface.OnDataReceived = on_data;
	cb->iface.OnClose = on_close;
	*callback = &cb->iface;
	*accept = TRUE;
	pthread_mutex_lock(&out_lock);
	open_channel = ch;
	pthread_mutex_unlock(&out_lock);
	fprintf(stderr, "rdpview: channel %s open\n", the_rv->o->channel);
	return CHANNEL_RC_OK;
}

static UINT on_initialize(IWTSPlugin *p, IWTSVirtualChannelManager *mgr)
{
	struct plugin *pl = (struct plugin *)p;
	return mgr->CreateListener(mgr, the_rv->o->channel, 0, &pl->listener, NULL);
}

static UINT on_terminated(IWTSPlugin *p)
{
	free(p);
	return CHANNEL_RC_OK;
}

static UINT VCAPITYPE plugin_entry(IDRDYNVC_ENTRY_POINTS *ep)
{
	struct plugin *pl = calloc(1, sizeof(*pl));
	if (!pl) {
		return CHANNEL_RC_NO_MEMORY;
	}
	pl->iface.Initialize = on_initialize;
	pl->iface.Terminated = on_terminated;
	pl->listener.OnNewChannelConnection = on_new_channel;
	return ep->RegisterPlugin(ep, PLUGIN_NAME, &pl->iface);
}

static PVIRTUALCHANNELENTRY provider(LPCSTR name, LPCSTR subsystem, LPCSTR type, DWORD flags)
{
	if (name && strcmp(name, PLUGIN_NAME) == 0 && (flags & FREERDP_ADDIN_CHANNEL_DYNAMIC)) {
		return (PVIRTUALCHANNELENTRY)(void *)plugin_entry;
	}
	return freerdp_channels_load_static_addin_entry(name, subsystem, type, flags);
}

/* The graphics pipeline's client end draws into FreeRDP's gdi once both
 * exist (the channel connects after post-connect made the gdi). */
static void on_channel_connected(void *context, const ChannelConnectedEventArgs *e)
{
	rdpContext *ctx = context;
	if (strcmp(e->name, RDPGFX_DVC_CHANNEL_NAME) == 0 && ctx->gdi) {
		gdi_graphics_pipeline_init(ctx->gdi, (RdpgfxClientContext *)e->pInterface);
	}
}

static void on_channel_disconnected(void *context, const ChannelDisconnectedEventArgs *e)
{
	rdpContext *ctx = context;
	if (strcmp(e->name, RDPGFX_DVC_CHANNEL_NAME) == 0 && ctx->gdi) {
		gdi_graphics_pipeline_uninit(ctx->gdi, (RdpgfxClientContext *)e->pInterface);
	}
}

BOOL rv_dvc_setup(struct rv *rv, rdpContext *ctx)
{
	if (!rv->o->channel && !rv->o->gfx) {
		return TRUE;
	}
	the_rv = rv;
	rdpSettings *st = ctx->settings;
	if (!freerdp_settings_set_bool(st, FreeRDP_SupportDynamicChannels, TRUE) ||
	    !freerdp_settings_set_bool(st, FreeRDP_RedirectClipboard, FALSE)) {
		return FALSE;
	}
	if (rv->o->gfx) {
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
	if (rv->o->channel) {
		const char *const params[] = {PLUGIN_NAME};
		if (freerdp_register_addin_provider(provider, 0) != 0 ||
		    !freerdp_client_add_dynamic_channel(st, 1, params)) {
			return FALSE;
		}
	}
	return TRUE;
}

BOOL rv_dvc_load(struct rv *rv, rdpContext *ctx)
{
	if (!rv->o->channel && !rv->o->gfx) {
		return TRUE;
	}
	return freerdp_client_load_addins(ctx->channels, ctx->settings);
}

bool rv_dvc_send(const void *data, size_t len)
{
	pthread_mutex_lock(&out_lock);
	bool ok = open_channel &&
	          open_channel->Write(open_channel, (ULONG)len, data, NULL) == CHANNEL_RC_OK;
	pthread_mutex_unlock(&out_lock);
	return ok;
}
