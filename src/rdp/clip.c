#include "rdp/clip.h"

#include <freerdp/channels/wtsvc.h>
#include <stdlib.h>
#include <string.h>
#include <winpr/string.h>

#include "capture/clipboard.h"
#include "rdpshare.h"
#include "util/utf16.h"

static struct clip_chan *chan_of(CliprdrServerContext *ctx)
{
	return ctx->custom;
}

bool clip_rule(const struct host_state *st, const struct member_info *mi)
{
	return st->clipboard && mi->level == RDPSHARE_CTRL_LEVEL_INTERACTIVE &&
	       st->clip_owner == mi->id;
}

/* Asked afresh for every PDU: the level or the owner may have changed since
 * the connection last looked. */
static bool may_share(struct clip_chan *c)
{
	return c->may_share && c->may_share(c->arg);
}

static UINT ok_cb(CliprdrServerContext *ctx, const void *unused)
{
	(void)ctx;
	(void)unused;
	return CHANNEL_RC_OK;
}

static UINT on_client_caps(CliprdrServerContext *ctx, const CLIPRDR_CAPABILITIES *caps)
{
	return ok_cb(ctx, caps);
}

static UINT on_temp_dir(CliprdrServerContext *ctx, const CLIPRDR_TEMP_DIRECTORY *t)
{
	return ok_cb(ctx, t);
}

static UINT on_list_response(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_LIST_RESPONSE *r)
{
	return ok_cb(ctx, r);
}

static UINT on_lock(CliprdrServerContext *ctx, const CLIPRDR_LOCK_CLIPBOARD_DATA *l)
{
	return ok_cb(ctx, l);
}

static UINT on_unlock(CliprdrServerContext *ctx, const CLIPRDR_UNLOCK_CLIPBOARD_DATA *l)
{
	return ok_cb(ctx, l);
}

static UINT request_text(CliprdrServerContext *ctx)
{
	/* FreeRDP writes the dataLen we give it */
	CLIPRDR_FORMAT_DATA_REQUEST rq = {
	    .common = {.msgType = CB_FORMAT_DATA_REQUEST, .dataLen = 4},
	    .requestedFormatId = CF_UNICODETEXT};
	return ctx->ServerFormatDataRequest(ctx, &rq);
}

/* The viewer copied something: take its text if it may share. */
static UINT on_format_list(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_LIST *list)
{
	struct clip_chan *c = chan_of(ctx);
	CLIPRDR_FORMAT_LIST_RESPONSE resp = {
	    .common = {.msgType = CB_FORMAT_LIST_RESPONSE, .msgFlags = CB_RESPONSE_OK}};
	UINT r = ctx->ServerFormatListResponse(ctx, &resp);
	bool allowed = may_share(c);
	if (r != CHANNEL_RC_OK || !allowed) {
		if (!allowed) {
			c->dropped++;
		}
		return r;
	}
	for (UINT32 i = 0; i < list->numFormats; i++) {
		if (list->formats[i].formatId == CF_UNICODETEXT) {
			c->retries = 0;
			return request_text(ctx);
		}
	}
	return CHANNEL_RC_OK;
}

static UINT on_data_response(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_DATA_RESPONSE *d)
{
	struct clip_chan *c = chan_of(ctx);
	bool allowed = may_share(c);
	if (!allowed) {
		c->dropped++;
		return CHANNEL_RC_OK;
	}
	if ((d->common.msgFlags & CB_RESPONSE_FAIL) && c->retries < 2) {
		/* xfreerdp answers "failed" when its own X conversion raced with
		 * the copy that announced the text; asking again gets it */
		c->retries++;
		return request_text(ctx);
	}
	if (!(d->common.msgFlags & CB_RESPONSE_OK) || !d->requestedFormatData ||
	    d->common.dataLen < 2) {
		return CHANNEL_RC_OK;
	}
	/* The text may or may not carry its NUL, may be cut mid-pair or hold
	 * broken surrogates: the converter copes with all of it. */
	size_t units = d->common.dataLen / 2;
	char *utf8 = malloc(3 * units + 1);
	if (utf8 && utf16le_to_utf8((const uint8_t *)d->requestedFormatData, units, utf8) > 0) {
		uint64_t gen = clipboard_set(c->board, utf8);
		if (gen) {
			c->told_gen = gen; /* it came from this viewer: no need to offer it back */
		}
	}
	free(utf8);
	return CHANNEL_RC_OK;
}

/* The viewer pastes: the X clipboard's text, if it may share. */
static UINT on_data_request(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_DATA_REQUEST *rq)
{
	struct clip_chan *c = chan_of(ctx);
	CLIPRDR_FORMAT_DATA_RESPONSE resp = {
	    .common = {.msgType = CB_FORMAT_DATA_RESPONSE, .msgFlags = CB_RESPONSE_FAIL}};
	char *text = NULL;
	WCHAR *wide = NULL;
	bool allowed = may_share(c);
	if (allowed && rq->requestedFormatId == CF_UNICODETEXT) {
		clipboard_get(c->board, &text);
		size_t n = 0;
		wide = text ? ConvertUtf8ToWCharAlloc(text, &n) : NULL;
		if (wide && n < UINT32_MAX / 2 - 1) {
			resp.common.msgFlags = CB_RESPONSE_OK;
			resp.common.dataLen =
			    (UINT32)(n + 1) * 2; /* with the NUL, as Windows sends it */
			resp.requestedFormatData = (const BYTE *)wide;
		}
	} else if (!allowed) {
		c->dropped++;
	}
	UINT r = ctx->ServerFormatDataResponse(ctx, &resp);
	free(wide);
	free(text);
	return r;
}

void clip_attach(struct clip_chan *c, CliprdrServerContext *ctx, struct clipboard *board,
                 bool (*may_share_fn)(void *arg), void *arg)
{
	ctx->custom = c;
	ctx->useLongFormatNames = TRUE;
	ctx->ClientCapabilities = on_client_caps;
	ctx->TempDirectory = on_temp_dir;
	ctx->ClientFormatList = on_format_list;
	ctx->ClientFormatListResponse = on_list_response;
	ctx->ClientLockClipboardData = on_lock;
	ctx->ClientUnlockClipboardData = on_unlock;
	ctx->ClientFormatDataRequest = on_data_request;
	ctx->ClientFormatDataResponse = on_data_response;
	c->board = board;
	c->may_share = may_share_fn;
	c->arg = arg;
	/* what is on the clipboard now counts as new for this viewer */
	c->told_gen = 0;
}

void clip_open(struct clip_chan *c, HANDLE vcm, rdpContext *rdp, struct clipboard *board,
               bool (*may_share_fn)(void *arg), void *arg)
{
	if (c->ctx || !board || !WTSVirtualChannelManagerIsChannelJoined(vcm, "cliprdr")) {
		return;
	}
	CliprdrServerContext *ctx = cliprdr_server_context_new(vcm);
	if (!ctx) {
		return;
	}
	ctx->rdpcontext = rdp;
	clip_attach(c, ctx, board, may_share_fn, arg);
	if (ctx->Open(ctx) != CHANNEL_RC_OK) {
		cliprdr_server_context_free(ctx);
		return;
	}
	/* FreeRDP's own start-up sequence runs on a thread of its own; this
	 * connection drives the channel itself, so it sends it here. */
	CLIPRDR_GENERAL_CAPABILITY_SET general = {.capabilitySetType = CB_CAPSTYPE_GENERAL,
	                                          .capabilitySetLength = CB_CAPSTYPE_GENERAL_LEN,
	                                          .version = CB_CAPS_VERSION_2,
	                                          .generalFlags = CB_USE_LONG_FORMAT_NAMES};
	CLIPRDR_CAPABILITIES caps = {
	    .common = {.msgType = CB_CLIP_CAPS, .dataLen = 4 + CB_CAPSTYPE_GENERAL_LEN},
	    .cCapabilitiesSets = 1,
	    .capabilitySets = (CLIPRDR_CAPABILITY_SET *)&general};
	CLIPRDR_MONITOR_READY ready = {.common = {.msgType = CB_MONITOR_READY}};
	if (ctx->ServerCapabilities(ctx, &caps) != CHANNEL_RC_OK ||
	    ctx->MonitorReady(ctx, &ready) != CHANNEL_RC_OK) {
		ctx->Close(ctx);
		cliprdr_server_context_free(ctx);
		return;
	}
	c->ctx = ctx;
	c->fd = GetEventFileDescriptor(ctx->GetEventHandle(ctx));
}

void clip_close(struct clip_chan *c)
{
	if (c->ctx) {
		c->ctx->Close(c->ctx);
		cliprdr_server_context_free(c->ctx);
		c->ctx = NULL;
	}
}

bool clip_check(struct clip_chan *c)
{
	return !c->ctx || c->ctx->CheckEventHandle(c->ctx) == CHANNEL_RC_OK;
}

void clip_sync(struct clip_chan *c, bool allowed)
{
	if (!c->ctx || !c->board) {
		return;
	}
	if (!allowed || clipboard_gen(c->board) == c->told_gen) {
		return; /* the common case on every frame: nothing to copy */
	}
	char *text = NULL;
	uint64_t gen = clipboard_get(c->board, &text);
	if (gen != c->told_gen && text) {
		CLIPRDR_FORMAT format = {.formatId = CF_UNICODETEXT};
		CLIPRDR_FORMAT_LIST list = {
		    .common = {.msgType = CB_FORMAT_LIST}, .numFormats = 1, .formats = &format};
		if (c->ctx->ServerFormatList(c->ctx, &list) == CHANNEL_RC_OK) {
			c->told_gen = gen;
		}
	}
	free(text);
}
