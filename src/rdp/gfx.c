#include "rdp/gfx.h"

#include "util/wake.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freerdp/codec/color.h>

#define SURFACE_ID 1

static struct gfx_chan *chan_of(RdpgfxServerContext *ctx)
{
	return ctx->custom;
}

/* The capability set we confirm: AVC420 where the viewer can decode it
 * (10.x unless it says AVC_DISABLED; 8.1 with AVC420_ENABLED), else the
 * newest it offers, for planar. */
static UINT on_caps_advertise(RdpgfxServerContext *ctx, const RDPGFX_CAPS_ADVERTISE_PDU *pdu)
{
	struct gfx_chan *g = chan_of(ctx);
	const RDPGFX_CAPSET *best = NULL;
	int best_rank = -1;
	for (UINT16 i = 0; i < pdu->capsSetCount; i++) {
		const RDPGFX_CAPSET *c = &pdu->capsSets[i];
		bool avc = false;
		int rank = 0;
		if (c->version == RDPGFX_CAPVERSION_8) {
			rank = 1;
		} else if (c->version == RDPGFX_CAPVERSION_81) {
			avc = (c->flags & RDPGFX_CAPS_FLAG_AVC420_ENABLED) != 0;
			rank = 2;
		} else if (c->version == RDPGFX_CAPVERSION_10) {
			/* 10.0 is enough for AVC420; later 10.x sets add AVC444
			 * and scaling rules we do not use */
			avc = (c->flags & RDPGFX_CAPS_FLAG_AVC_DISABLED) == 0;
			rank = 3;
		} else {
			continue;
		}
		rank += avc ? 10 : 0;
		if (rank > best_rank) {
			best_rank = rank;
			best = c;
		}
	}
	if (best) {
		atomic_store(&g->caps_version, best->version);
		atomic_store(&g->caps_flags, best->flags);
	}
	atomic_store(&g->caps_in, true);
	util_wake_poke(g->wake_fd);
	return CHANNEL_RC_OK;
}

static UINT on_frame_ack(RdpgfxServerContext *ctx, const RDPGFX_FRAME_ACKNOWLEDGE_PDU *pdu)
{
	struct gfx_chan *g = chan_of(ctx);
	pace_suspend_acks(g->pace, pdu->queueDepth == SUSPEND_FRAME_ACKNOWLEDGEMENT);
	pace_acked(g->pace);
	return CHANNEL_RC_OK;
}

/* Called inside Open, on the connection thread: the viewer's PDUs on the
 * pipeline name this id, and their size is capped by it (chan_guard.h). */
static BOOL on_channel_id(RdpgfxServerContext *ctx, UINT32 id)
{
	chan_of(ctx)->channel_id = id;
	return TRUE;
}

bool gfx_open(struct gfx_chan *g, HANDLE vcm, rdpContext *ctx, int wake_fd, struct pace *pace,
              int64_t now_ms)
{
	memset(g, 0, sizeof(*g));
	g->wake_fd = wake_fd;
	g->pace = pace;
	g->ctx = rdpgfx_server_context_new(vcm);
	if (!g->ctx) {
		return false;
	}
	g->ctx->rdpcontext = ctx;
	g->ctx->custom = g;
	g->ctx->CapsAdvertise = on_caps_advertise;
	g->ctx->FrameAcknowledge = on_frame_ack;
	g->ctx->ChannelIdAssigned = on_channel_id;
	if (!g->ctx->Open(g->ctx)) {
		rdpgfx_server_context_free(g->ctx);
		g->ctx = NULL;
		return false;
	}
	g->state = GFX_WAITING;
	g->deadline_ms = now_ms + 5000;
	return true;
}

void gfx_close(struct gfx_chan *g)
{
	if (g->ctx) {
		rdpgfx_server_context_free(g->ctx); /* stops its thread first */
		g->ctx = NULL;
	}
	g->channel_id = 0;
	g->state = GFX_OFF;
	g->surface = false;
}

void gfx_service(struct gfx_chan *g, int64_t now_ms)
{
	if (g->state != GFX_WAITING) {
		return;
	}
	if (!atomic_load(&g->caps_in)) {
		if (now_ms >= g->deadline_ms) {
			gfx_close(g); /* never answered: bitmap updates it is */
		}
		return;
	}
	RDPGFX_CAPSET set = {.version = atomic_load(&g->caps_version),
	                     .length = 4,
	                     .flags = atomic_load(&g->caps_flags)};
	RDPGFX_CAPS_CONFIRM_PDU confirm = {.capsSet = &set};
	if (set.version == 0 || g->ctx->CapsConfirm(g->ctx, &confirm) != CHANNEL_RC_OK) {
		gfx_close(g);
		return;
	}
	g->avc =
	    (set.version == RDPGFX_CAPVERSION_81 &&
	     (set.flags & RDPGFX_CAPS_FLAG_AVC420_ENABLED)) ||
	    (set.version == RDPGFX_CAPVERSION_10 && !(set.flags & RDPGFX_CAPS_FLAG_AVC_DISABLED));
	g->state = GFX_READY;
}

bool gfx_surface(struct gfx_chan *g, int width, int height)
{
	if (g->surface) {
		RDPGFX_DELETE_SURFACE_PDU del = {.surfaceId = SURFACE_ID};
		if (g->ctx->DeleteSurface(g->ctx, &del) != CHANNEL_RC_OK) {
			return false;
		}
		g->surface = false;
	}
	MONITOR_DEF mon = {.left = 0,
	                   .top = 0,
	                   .right = width - 1,
	                   .bottom = height - 1,
	                   .flags = MONITOR_PRIMARY};
	RDPGFX_RESET_GRAPHICS_PDU reset = {.width = (UINT32)width,
	                                   .height = (UINT32)height,
	                                   .monitorCount = 1,
	                                   .monitorDefArray = &mon};
	RDPGFX_CREATE_SURFACE_PDU create = {.surfaceId = SURFACE_ID,
	                                    .width = (UINT16)width,
	                                    .height = (UINT16)height,
	                                    .pixelFormat = GFX_PIXEL_FORMAT_XRGB_8888};
	RDPGFX_MAP_SURFACE_TO_OUTPUT_PDU map = {.surfaceId = SURFACE_ID};
	if (g->ctx->ResetGraphics(g->ctx, &reset) != CHANNEL_RC_OK ||
	    g->ctx->CreateSurface(g->ctx, &create) != CHANNEL_RC_OK ||
	    g->ctx->MapSurfaceToOutput(g->ctx, &map) != CHANNEL_RC_OK) {
		return false;
	}
	g->surface = true;
	g->surface_w = width;
	g->surface_h = height;
	pace_restart(g->pace, true, g->pace->max_in_flight); /* a reset forgets frames in flight */
	return true;
}

/* One surface command, the frame's start before the first and its end
 * after the last, in one channel write where FreeRDP allows: each write is
 * a message of its own (and a TLS record) for every viewer. */
static bool send_cmd(struct gfx_chan *g, const RDPGFX_SURFACE_COMMAND *cmd, bool first, bool last)
{
	if (first && ++g->frame_id == 0) {
		g->frame_id = 1;
	}
	RDPGFX_START_FRAME_PDU start = {.timestamp = 0, .frameId = g->frame_id};
	RDPGFX_END_FRAME_PDU end = {.frameId = g->frame_id};
	if (g->ctx->SurfaceFrameCommand(g->ctx, cmd, first ? &start : NULL, last ? &end : NULL) !=
	    CHANNEL_RC_OK) {
		return false;
	}
	if (last) {
		pace_frame_out(g->pace);
	}
	return true;
}

static bool send_planar(struct gfx_chan *g, const struct enc_output *o, bool first)
{
	for (int i = 0; i < o->n_tiles; i++) {
		const struct enc_tile *t = &o->tiles[i];
		RDPGFX_SURFACE_COMMAND cmd = {.surfaceId = SURFACE_ID,
		                              .codecId = RDPGFX_CODECID_PLANAR,
		                              .format = PIXEL_FORMAT_BGRX32,
		                              .left = t->x,
		                              .top = t->y,
		                              .right = (UINT32)t->x + t->w,
		                              .bottom = (UINT32)t->y + t->h,
		                              .width = t->w,
		                              .height = t->h,
		                              .length = t->len,
		                              .data = t->data};
		if (!send_cmd(g, &cmd, first && i == 0, i + 1 == o->n_tiles)) {
			return false;
		}
	}
	return true;
}

static bool send_avc(struct gfx_chan *g, const struct vunit *u, bool copy, bool last)
{
	RECTANGLE_16 rects[FRAME_MAX_RECTS];
	RDPGFX_H264_QUANT_QUALITY q[FRAME_MAX_RECTS];
	int n = 0;
	struct cap_rect whole = {0, 0, g->surface_w, g->surface_h};
	for (int i = 0; copy && i < u->n_regions; i++) {
		struct cap_rect r;
		if (!rect_intersect(&u->regions[i], &whole, &r)) {
			continue;
		}
		rects[n] = (RECTANGLE_16){(UINT16)r.x, (UINT16)r.y, (UINT16)(r.x + r.w),
		                          (UINT16)(r.y + r.h)};
		/* qp is informational for the viewer; p: a lossless pass follows */
		q[n] = (RDPGFX_H264_QUANT_QUALITY){.qpVal = 23, .qualityVal = 80, .qp = 23, .p = 1};
		n++;
	}
	RDPGFX_AVC420_BITMAP_STREAM avc = {
	    .meta = {.numRegionRects = (UINT32)n, .regionRects = rects, .quantQualityVals = q},
	    .length = u->avc_len,
	    .data = u->avc};
	RDPGFX_SURFACE_COMMAND cmd = {.surfaceId = SURFACE_ID,
	                              .codecId = RDPGFX_CODECID_AVC420,
	                              .format = PIXEL_FORMAT_BGRX32,
	                              .left = 0,
	                              .top = 0,
	                              .right = (UINT32)g->surface_w,
	                              .bottom = (UINT32)g->surface_h,
	                              .width = (UINT32)g->surface_w,
	                              .height = (UINT32)g->surface_h,
	                              .extra = &avc};
	return send_cmd(g, &cmd, true, last);
}

bool gfx_send_unit(struct gfx_chan *g, const struct vunit *u)
{
	bool tiles = u->lossless && u->lossless->n_tiles > 0;
	if (u->avc && !send_avc(g, u, true, !tiles)) {
		return false;
	}
	return !tiles || send_planar(g, u->lossless, !u->avc);
}

bool gfx_send_start(struct gfx_chan *g, const struct vunit *u, const struct enc_output *whole)
{
	/* the key frame only feeds the viewer's decoder; the picture comes
	 * lossless, in the same frame */
	if (!send_avc(g, u, false, whole->n_tiles == 0)) {
		return false;
	}
	return whole->n_tiles == 0 || send_planar(g, whole, false);
}

/* Nothing to draw (the change lay outside the picture): no frame at all. */
bool gfx_send_tiles(struct gfx_chan *g, const struct enc_output *o)
{
	return o->n_tiles == 0 || send_planar(g, o, true);
}

/* Units of the viewer's H.264 group, in order, while it keeps up. */
static bool send_units(struct gfx_chan *g, struct picture *p, struct frame *f, int64_t now_ms,
                       int *wait_ms, bool (*flush)(void *), void *flush_ctx)
{
	if (!g->group && !(g->group = vstream_join(p->hub, f->width, f->height))) {
		g->avc = false; /* no encoder: planar tiles instead */
		atomic_store(&p->stats->codec, CODEC_GFX_PLANAR);
		pace_need_full(&p->pace);
		return true;
	}
	if (pace_needs_full(&p->pace, now_ms)) {
		g->last_unit = 0; /* rejoin at a key frame */
		p->pace.need_full = false;
	}
	while (pace_may_send(&p->pace)) {
		struct vunit *u = NULL;
		uint64_t before = g->last_unit;
		bool fresh = false;
		enum vstream_result r =
		    vstream_next(g->group, p->hub, &g->last_unit, now_ms, &u, &fresh, wait_ms);
		if (r == VSTREAM_ERROR) {
			return false;
		}
		if (r == VSTREAM_NOTHING) {
			break;
		}
		if (before && u->id > before + 1) {
			atomic_fetch_add(&p->stats->frames_skipped, u->id - before - 1);
		}
		bool ok;
		if (fresh) {
			/* the whole picture lossless, for this viewer alone */
			struct cap_rect all = {0, 0, u->src->width, u->src->height};
			struct enc_output *whole = encoder_encode(p->enc, &p->key, u->src, &all, 1);
			ok = whole && gfx_send_start(g, u, whole);
			enc_output_free(whole);
		} else {
			ok = gfx_send_unit(g, u);
		}
		ok = ok && flush(flush_ctx);
		if (ok) {
			picture_note_latency(p, u->damage_us);
		}
		atomic_fetch_add(&p->stats->frames_sent, 1);
		atomic_fetch_add(&p->stats->bytes_sent, u->bytes);
		vunit_unref(u);
		if (!ok) {
			return false;
		}
	}
	return true;
}

/* Planar tiles over the pipeline: the frame's own damage shared with the
 * others of the same codec, or what this viewer missed. */
static bool send_tiles(struct gfx_chan *g, struct picture *p, struct frame *f, int64_t now_ms,
                       bool (*flush)(void *), void *flush_ctx)
{
	uint64_t since = 0;
	enum pace_plan plan = pace_plan(&p->pace, f->seq, f->full, now_ms, &since);
	if (plan == PACE_IDLE || plan == PACE_WAIT) {
		return true;
	}
	struct enc_output *own = NULL;
	const struct enc_output *o = picture_encode(p, f, plan, since, &own);
	bool ok = true;
	if (o) {
		ok = gfx_send_tiles(g, o) && flush(flush_ctx);
		picture_sent(p, f, o->bytes, ok);
	}
	enc_output_free(own);
	return ok;
}

bool gfx_send_picture(struct gfx_chan *g, struct picture *p, struct frame *f, int64_t now_ms,
                      int *wait_ms, bool (*flush)(void *), void *flush_ctx)
{
	*wait_ms = -1;
	if (!g->surface || g->surface_w != f->width || g->surface_h != f->height) {
		vstream_leave(p->hub, g->group); /* another size is another group */
		g->group = NULL;
		g->last_unit = 0;
		if (!gfx_surface(g, f->width, f->height)) {
			return false;
		}
		p->key = (struct enc_key){.codec = CODEC_GFX_PLANAR, .bpp = 32};
		atomic_store(&p->stats->codec, g->avc ? CODEC_AVC420 : CODEC_GFX_PLANAR);
	}
	return g->avc ? send_units(g, p, f, now_ms, wait_ms, flush, flush_ctx)
	              : send_tiles(g, p, f, now_ms, flush, flush_ctx);
}
