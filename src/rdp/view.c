#include "rdp/view.h"

#include <freerdp/settings.h>

#include "rdp/bitmap.h"

/* The first picture waits this long for the graphics pipeline of a viewer
 * that offers it (its dynamic channels come after activation). */
#define GFX_HOLD_MS 5000
/* How often a viewer waiting for its pipeline is looked at. */
#define GFX_POLL_MS 100

void view_activate(struct view *v, const rdpSettings *st, int max_in_flight, bool first,
                   int64_t now_ms)
{
	v->cursor = (struct cursor_state){0};
	v->gfx.surface = false; /* a reactivation starts the pipeline's picture over */
	v->gfx.last_unit = 0;
	pace_restart(&v->pic.pace,
	             freerdp_settings_get_bool(st, FreeRDP_SurfaceFrameMarkerEnabled) &&
	                 freerdp_settings_get_uint32(st, FreeRDP_FrameAcknowledge) > 0,
	             max_in_flight);
	if (first) {
		pace_hold(&v->pic.pace, now_ms + GFX_HOLD_MS);
	}
	v->gfx_offered = freerdp_settings_get_bool(st, FreeRDP_SupportGraphicsPipeline);
	struct enc_key *k = &v->pic.key;
	k->codec = bitmap_pick_codec(st);
	k->bpp = (int)freerdp_settings_get_uint32(st, FreeRDP_ColorDepth);
	k->max_bytes = k->codec == CODEC_REMOTEFX
	                   ? freerdp_settings_get_uint32(st, FreeRDP_MultifragMaxRequestSize)
	                   : 0;
	atomic_store(&v->pic.stats->color_depth, k->bpp);
	atomic_store(&v->pic.stats->codec, k->codec);
}

void view_restart(struct view *v)
{
	pace_need_full(&v->pic.pace);
	v->cursor = (struct cursor_state){0};
}

void view_pipeline(struct view *v, HANDLE vcm, rdpContext *ctx, bool allowed, bool drdynvc_ready,
                   int wake_fd, int64_t now_ms)
{
	v->gfx_allowed = allowed;
	if (!v->gfx_tried && v->gfx_offered && allowed && drdynvc_ready) {
		v->gfx_tried = true;
		gfx_open(&v->gfx, vcm, ctx, wake_fd, &v->pic.pace, now_ms);
	}
	gfx_service(&v->gfx, now_ms);
}

/* The viewer offered the pipeline and it is not up yet (its dynamic
 * channels come after activation): a bitmap picture now would be sent
 * twice. Given up after a deadline: then bitmap updates. */
static bool gfx_pending(struct view *v, int64_t now_ms)
{
	return v->gfx.state == GFX_WAITING || (!v->gfx_tried && v->gfx_offered && v->gfx_allowed &&
	                                       pace_held(&v->pic.pace, now_ms));
}

/* A new size or depth: re-activation carries it; pictures resume when the
 * viewer is active again, with a full frame. A client that cannot resize
 * keeps its size and sees the top-left part. */
static bool follow_size(rdpContext *ctx, const struct frame *f, UINT32 depth, bool *resized)
{
	rdpSettings *st = ctx->settings;
	*resized = false;
	if (((UINT32)f->width == freerdp_settings_get_uint32(st, FreeRDP_DesktopWidth) &&
	     (UINT32)f->height == freerdp_settings_get_uint32(st, FreeRDP_DesktopHeight) &&
	     depth == freerdp_settings_get_uint32(st, FreeRDP_ColorDepth)) ||
	    !freerdp_settings_get_bool(st, FreeRDP_DesktopResize)) {
		return true;
	}
	*resized = true;
	return freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, (UINT32)f->width) &&
	       freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, (UINT32)f->height) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, depth) &&
	       ctx->update->DesktopResize(ctx);
}

bool view_send(struct view *v, rdpContext *ctx, int depth, int64_t now_ms, bool (*flush)(void *),
               void *flush_ctx, bool *resized)
{
	v->gfx_wait_ms = -1;
	*resized = false;
	struct frame *f = hub_latest(v->pic.hub);
	bool ok = !f || follow_size(ctx, f, (UINT32)depth, resized);
	if (f && ok && !*resized && !gfx_pending(v, now_ms)) {
		pace_hold(&v->pic.pace, 0); /* the pipeline is up, or will not come */
		if (v->gfx.state == GFX_READY) {
			ok = gfx_send_picture(&v->gfx, &v->pic, f, now_ms, &v->gfx_wait_ms, flush,
			                      flush_ctx);
		} else {
			ok = bitmap_send(&v->pic, ctx, f, now_ms);
		}
	}
	if (f) {
		frame_unref(f);
	}
	if (ok && !*resized) {
		send_cursor(&v->cursor, v->pic.hub, ctx);
	}
	return ok;
}

int view_timeout(struct view *v, int64_t now_ms)
{
	int t = pace_timeout(&v->pic.pace, now_ms);
	if (t == PACE_BEHIND_RETRY_MS) {
		return t;
	}
	if (gfx_pending(v, now_ms)) {
		return GFX_POLL_MS; /* the pipeline's deadline */
	}
	if (v->gfx_wait_ms >= 0 && (t < 0 || v->gfx_wait_ms < t)) {
		return v->gfx_wait_ms; /* a key frame or a lossless pass */
	}
	return t; /* a hold, or a whole picture the viewer asked for */
}

void view_finish(struct view *v)
{
	gfx_close(&v->gfx);
	vstream_leave(v->pic.hub, v->gfx.group);
	v->gfx.group = NULL;
}
