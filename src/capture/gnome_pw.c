/* The PipeWire stream of Mutter's monitor: frames into the back-end's own
 * copy of the desktop (damage by tile comparison, or from the stream's
 * damage metadata where Mutter sends it, 45 on), and the cursor from the
 * stream's cursor metadata.
 *
 * One pw_loop, driven from the engine's poll loop through its descriptor,
 * runs our side: the connection to PipeWire and every stream callback. One
 * part cannot be driven from there: libpipewire's context starts its own
 * data-loop thread for the graph, with no way to run it elsewhere in 0.3.
 * Our stream is not PW_STREAM_FLAG_RT_PROCESS, so that thread only queues
 * our callbacks onto our loop, and they run inside pw_loop_iterate on the
 * engine thread. For that queueing the loop must count as entered by a
 * thread at all times (a loop entered by nobody runs queued callbacks right
 * away, on the data thread): it is entered at creation and left at the
 * end; the stream's own invocations on it never block, so it does not
 * matter that the engine thread is not the one that entered it. */
#include "capture/gnome.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <pipewire/pipewire.h>
#include <spa/buffer/meta.h>
#include <spa/param/video/format-utils.h>

#include "capture/pixconv.h"
#include "capture/tiles.h"

#define CURSOR_META_SIZE(w, h)                                                                     \
	(sizeof(struct spa_meta_cursor) + sizeof(struct spa_meta_bitmap) + (size_t)(w) * (h)*4)
/* Mutter 43 sends no cursor metadata to a consumer whose range stops short
 * of a 384 x 384 bitmap. */
#define CURSOR_BITMAP_MAX 384
#define DAMAGE_REGIONS 16

struct gnome_pw {
	struct gnome_desk *desk;
	struct pw_loop *loop;
	pthread_t entered_by;
	bool entered;
	struct pw_context *context;
	struct pw_core *core;
	struct spa_hook core_listener;
	struct pw_stream *stream;
	struct spa_hook stream_listener;
	enum pix_format fmt;
	bool have_format;
	bool fresh; /* fb is new: the next frame is copied whole and damages all */
	int dead;
};

static pthread_once_t pw_once = PTHREAD_ONCE_INIT;

/* pw_deinit is never called: libpipewire 0.3 cannot be initialised again
 * after it (pw_init then returns early with stale support), and other code
 * in the process may use it too. What pw_init allocates stays reachable. */
static void init_pipewire(void)
{
	pw_init(NULL, NULL);
}

static bool map_format(uint32_t spa, enum pix_format *out)
{
	static const struct {
		uint32_t spa;
		enum pix_format pix;
	} map[] = {
	    {SPA_VIDEO_FORMAT_BGRx, PIX_BGRX}, {SPA_VIDEO_FORMAT_BGRA, PIX_BGRA},
	    {SPA_VIDEO_FORMAT_RGBx, PIX_RGBX}, {SPA_VIDEO_FORMAT_RGBA, PIX_RGBA},
	    {SPA_VIDEO_FORMAT_xRGB, PIX_XRGB}, {SPA_VIDEO_FORMAT_ARGB, PIX_ARGB},
	    {SPA_VIDEO_FORMAT_xBGR, PIX_XBGR}, {SPA_VIDEO_FORMAT_ABGR, PIX_ABGR},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].spa == spa) {
			*out = map[i].pix;
			return true;
		}
	}
	return false;
}

static void fail(struct gnome_pw *p, int err, const char *why)
{
	if (!p->dead) {
		p->dead = err;
		pw_stream_set_error(p->stream, err, "%s", why);
	}
}

/* ---- the cursor ---- */

static void set_visible(struct gnome_desk *d, bool visible)
{
	if (d->cur_visible != visible) {
		d->cur_visible = visible;
		d->changed = true;
	}
}

/* The bitmap at off inside the w x h cursor meta of size bytes; checked
 * against size before anything is read, since Mutter chose every field. */
static void take_bitmap(struct gnome_desk *d, const struct spa_meta_cursor *mc, uint32_t size)
{
	uint64_t off = mc->bitmap_offset;
	if (off < sizeof(*mc) || off + sizeof(struct spa_meta_bitmap) > size) {
		return;
	}
	const struct spa_meta_bitmap *bm = SPA_PTROFF(mc, off, const struct spa_meta_bitmap);
	if (bm->size.width == 0 || bm->size.height == 0 || bm->offset == 0) {
		set_visible(d, false); /* Mutter's empty sprite: the pointer is hidden */
		return;
	}
	enum pix_format f;
	uint32_t w = bm->size.width, h = bm->size.height;
	if (!map_format(bm->format, &f) || w > CURSOR_BITMAP_MAX || h > CURSOR_BITMAP_MAX ||
	    bm->stride < 0 || (uint32_t)bm->stride < w * 4 || bm->offset < sizeof(*bm)) {
		return;
	}
	uint64_t end = off + bm->offset + (uint64_t)bm->stride * (h - 1) + (uint64_t)w * 4;
	if (end > size) {
		return;
	}
	/* Mutter draws the sprite with premultiplied alpha (cogl's RGBA_8888_PRE). */
	int ow, oh;
	int opaque =
	    pix_cursor_to_argb(f, true, SPA_PTROFF(bm, bm->offset, const uint8_t), bm->stride,
	                       (int)w, (int)h, GNOME_CURSOR_SIDE, d->argb, &ow, &oh);
	d->cw = ow;
	d->ch = oh;
	int hx = mc->hotspot.x, hy = mc->hotspot.y;
	d->cxhot = hx < 0 ? 0 : (hx < ow ? hx : ow - 1);
	d->cyhot = hy < 0 ? 0 : (hy < oh ? hy : oh - 1);
	d->shape_serial++;
	d->changed = true;
	set_visible(d, opaque > 0);
}

static void take_cursor(struct gnome_pw *p, struct spa_buffer *buf)
{
	struct gnome_desk *d = p->desk;
	struct spa_meta *m = spa_buffer_find_meta(buf, SPA_META_Cursor);
	if (!m || m->size < sizeof(struct spa_meta_cursor)) {
		return;
	}
	const struct spa_meta_cursor *mc = m->data;
	if (!spa_meta_cursor_is_valid(mc)) {
		set_visible(d, false); /* off this monitor, or hidden */
		return;
	}
	if (mc->position.x != d->cur_x || mc->position.y != d->cur_y) {
		d->cur_x = mc->position.x;
		d->cur_y = mc->position.y;
		d->changed = true;
	}
	if (mc->bitmap_offset) {
		take_bitmap(d, mc, m->size);
	} else if (d->shape_serial && !d->cur_visible && d->cw > 0) {
		/* A position again after "off the monitor": the shape we have. */
		set_visible(d, true);
	}
}

/* ---- frames ---- */

static void take_frame(struct gnome_pw *p, struct spa_buffer *buf)
{
	struct gnome_desk *d = p->desk;
	if (!d->fb || buf->n_datas < 1) {
		return;
	}
	struct spa_data *sd = &buf->datas[0];
	struct spa_meta_header *hdr = spa_buffer_find_meta_data(buf, SPA_META_Header, sizeof(*hdr));
	if (!sd->chunk || sd->chunk->size == 0 || !sd->data ||
	    (sd->chunk->flags & SPA_CHUNK_FLAG_CORRUPTED) ||
	    (hdr && (hdr->flags & SPA_META_HEADER_FLAG_CORRUPTED))) {
		return; /* a cursor-only update, or nothing usable */
	}
	/* MemPtr data is ours to read; MemFd buffers libpipewire mapped once,
	 * when they were added (PW_STREAM_FLAG_MAP_BUFFERS). */
	if (sd->type != SPA_DATA_MemFd && sd->type != SPA_DATA_MemPtr) {
		return;
	}
	int64_t stride = sd->chunk->stride ? sd->chunk->stride : (int64_t)d->w * 4;
	uint64_t need = (uint64_t)sd->chunk->offset + (uint64_t)stride * (uint64_t)(d->h - 1) +
	                (uint64_t)d->w * 4;
	if (stride < (int64_t)d->w * 4 || stride > (int64_t)GNOME_MAX_SIDE * 16 ||
	    need > sd->maxsize) {
		return; /* does not hold the negotiated frame: never read past it */
	}
	const uint8_t *src = SPA_PTROFF(sd->data, sd->chunk->offset, const uint8_t);
	struct cap_rect all = {0, 0, d->w, d->h};
	bool changed = false;
	struct spa_meta *dm = spa_buffer_find_meta(buf, SPA_META_VideoDamage);
	int regions = 0;
	if (dm && !p->fresh) {
		struct spa_meta_region *r;
		spa_meta_for_each(r, dm)
		{
			if (!spa_meta_region_is_valid(r)) {
				break;
			}
			/* Mutter's numbers: bounded before any sum is taken. */
			struct cap_rect c = {SPA_CLAMP(r->region.position.x, -d->w, d->w),
			                     SPA_CLAMP(r->region.position.y, -d->h, d->h),
			                     (int)SPA_MIN(r->region.size.width, (uint32_t)d->w),
			                     (int)SPA_MIN(r->region.size.height, (uint32_t)d->h)};
			changed = tiles_update(d->fb, d->stride, src, (int)stride, p->fmt, d->w,
			                       d->h, &c, d->row, &d->dmg) ||
			          changed;
			regions++;
		}
	}
	if (regions == 0) {
		/* No damage metadata (Mutter 43), or none that says anything. */
		changed = tiles_update(d->fb, d->stride, src, (int)stride, p->fmt, d->w, d->h, &all,
		                       d->row, &d->dmg);
	}
	if (p->fresh) {
		damage_full(&d->dmg, d->w, d->h);
		p->fresh = false;
		changed = true;
	}
	d->have_frame = true;
	d->changed = d->changed || changed;
}

static void on_process(void *data)
{
	struct gnome_pw *p = data;
	struct pw_buffer *b;
	/* Every buffer in turn: each may carry a cursor change, and with
	 * damage metadata each carries its own part of the damage. */
	while ((b = pw_stream_dequeue_buffer(p->stream)) != NULL) {
		take_cursor(p, b->buffer);
		take_frame(p, b->buffer);
		pw_stream_queue_buffer(p->stream, b);
	}
}

/* ---- negotiation ---- */

static int resize_desk(struct gnome_desk *d, int w, int h)
{
	if (d->fb && d->w == w && d->h == h) {
		return 0;
	}
	size_t stride = (size_t)w * 4;
	uint8_t *fb = calloc((size_t)h, stride);
	uint8_t *row = malloc(stride);
	if (!fb || !row) {
		free(fb);
		free(row);
		return -ENOMEM;
	}
	free(d->fb);
	free(d->row);
	d->fb = fb;
	d->row = row;
	d->w = w;
	d->h = h;
	d->stride = (int)stride;
	d->dmg.n = 0;
	return 0;
}

static void on_param_changed(void *data, uint32_t id, const struct spa_pod *param)
{
	struct gnome_pw *p = data;
	if (id != SPA_PARAM_Format || !param) {
		return;
	}
	uint32_t media_type, media_subtype;
	struct spa_video_info_raw info;
	if (spa_format_parse(param, &media_type, &media_subtype) < 0 ||
	    media_type != SPA_MEDIA_TYPE_video || media_subtype != SPA_MEDIA_SUBTYPE_raw ||
	    spa_format_video_raw_parse(param, &info) < 0) {
		fail(p, -ENOTSUP, "not raw video");
		return;
	}
	enum pix_format f;
	if (!map_format(info.format, &f)) {
		fail(p, -ENOTSUP, "unexpected pixel format");
		return;
	}
	if (info.size.width < 1 || info.size.height < 1 || info.size.width > GNOME_MAX_SIDE ||
	    info.size.height > GNOME_MAX_SIDE) {
		fail(p, -ENOTSUP, "frame size out of range");
		return;
	}
	int w = (int)info.size.width, h = (int)info.size.height;
	bool resized = !p->desk->fb || p->desk->w != w || p->desk->h != h;
	if (resize_desk(p->desk, w, h) < 0) {
		fail(p, -ENOMEM, "no memory for the desktop");
		return;
	}
	p->fmt = f;
	p->have_format = true;
	p->fresh = p->fresh || resized;
	p->desk->changed = true;

	uint8_t buffer[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
	const struct spa_pod *params[4];
	/* Memory we can read: never DmaBuf (no GPU to import it with). */
	params[0] = spa_pod_builder_add_object(
	    &b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers, SPA_PARAM_BUFFERS_buffers,
	    SPA_POD_CHOICE_RANGE_Int(8, 2, 16), SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(1),
	    SPA_PARAM_BUFFERS_dataType,
	    SPA_POD_Int((1 << SPA_DATA_MemPtr) | (1 << SPA_DATA_MemFd)));
	params[1] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
	                                       SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
	                                       SPA_PARAM_META_size,
	                                       SPA_POD_Int(sizeof(struct spa_meta_header)));
	params[2] = spa_pod_builder_add_object(
	    &b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
	    SPA_POD_Id(SPA_META_Cursor), SPA_PARAM_META_size,
	    SPA_POD_CHOICE_RANGE_Int(CURSOR_META_SIZE(CURSOR_BITMAP_MAX, CURSOR_BITMAP_MAX),
	                             CURSOR_META_SIZE(1, 1),
	                             CURSOR_META_SIZE(CURSOR_BITMAP_MAX, CURSOR_BITMAP_MAX)));
	params[3] = spa_pod_builder_add_object(
	    &b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
	    SPA_POD_Id(SPA_META_VideoDamage), SPA_PARAM_META_size,
	    SPA_POD_CHOICE_RANGE_Int(sizeof(struct spa_meta_region) * DAMAGE_REGIONS,
	                             sizeof(struct spa_meta_region),
	                             sizeof(struct spa_meta_region) * DAMAGE_REGIONS));
	pw_stream_update_params(p->stream, params, 4);
}

static void on_state_changed(void *data, enum pw_stream_state old, enum pw_stream_state state,
                             const char *error)
{
	(void)old;
	(void)error;
	struct gnome_pw *p = data;
	if (state == PW_STREAM_STATE_ERROR || state == PW_STREAM_STATE_UNCONNECTED) {
		p->dead = p->dead ? p->dead : -EPIPE;
	}
}

static const struct pw_stream_events stream_events = {
    PW_VERSION_STREAM_EVENTS,
    .state_changed = on_state_changed,
    .param_changed = on_param_changed,
    .process = on_process,
};

static void on_core_error(void *data, uint32_t id, int seq, int res, const char *message)
{
	(void)seq;
	(void)message;
	struct gnome_pw *p = data;
	if (id == PW_ID_CORE && res == -EPIPE) {
		p->dead = -EPIPE; /* the PipeWire daemon went away */
	}
}

static const struct pw_core_events core_events = {
    PW_VERSION_CORE_EVENTS,
    .error = on_core_error,
};

/* ---- life ---- */

static int connect_stream(struct gnome_pw *p, uint32_t node)
{
	struct pw_properties *props =
	    pw_properties_new(PW_KEY_MEDIA_TYPE, "Video", PW_KEY_MEDIA_CATEGORY, "Capture",
	                      PW_KEY_MEDIA_ROLE, "Screen", NULL);
	if (!props) {
		return -ENOMEM;
	}
	p->stream = pw_stream_new(p->core, "rdpshare", props); /* takes props */
	if (!p->stream) {
		return errno ? -errno : -ENOMEM;
	}
	pw_stream_add_listener(p->stream, &p->stream_listener, &stream_events, p);

	uint8_t buffer[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
	struct spa_rectangle def = SPA_RECTANGLE(1920, 1080), min = SPA_RECTANGLE(1, 1),
	                     max = SPA_RECTANGLE(GNOME_MAX_SIDE, GNOME_MAX_SIDE);
	struct spa_fraction rate0 = SPA_FRACTION(0, 1), fmin = SPA_FRACTION(1, 1),
	                    fmax = SPA_FRACTION(60, 1);
	/* No modifiers offered: Mutter then shares plain memory, not DmaBuf. */
	const struct spa_pod *params[1];
	params[0] = spa_pod_builder_add_object(
	    &b, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat, SPA_FORMAT_mediaType,
	    SPA_POD_Id(SPA_MEDIA_TYPE_video), SPA_FORMAT_mediaSubtype,
	    SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), SPA_FORMAT_VIDEO_format,
	    SPA_POD_CHOICE_ENUM_Id(
	        9, SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRA,
	        SPA_VIDEO_FORMAT_RGBx, SPA_VIDEO_FORMAT_RGBA, SPA_VIDEO_FORMAT_xRGB,
	        SPA_VIDEO_FORMAT_ARGB, SPA_VIDEO_FORMAT_xBGR, SPA_VIDEO_FORMAT_ABGR),
	    SPA_FORMAT_VIDEO_size, SPA_POD_CHOICE_RANGE_Rectangle(&def, &min, &max),
	    SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction(&rate0), SPA_FORMAT_VIDEO_maxFramerate,
	    SPA_POD_CHOICE_RANGE_Fraction(&fmax, &fmin, &fmax));
	int r =
	    pw_stream_connect(p->stream, PW_DIRECTION_INPUT, node,
	                      PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS, params, 1);
	return r < 0 ? r : 0;
}

int gnome_pw_create(struct gnome_pw **out, uint32_t node, struct gnome_desk *desk)
{
	pthread_once(&pw_once, init_pipewire);
	struct gnome_pw *p = calloc(1, sizeof(*p));
	if (!p) {
		return -ENOMEM;
	}
	p->desk = desk;
	p->fresh = true;
	int r = -ENOMEM;
	p->loop = pw_loop_new(NULL);
	if (!p->loop) {
		goto fail;
	}
	pw_loop_enter(p->loop);
	p->entered = true;
	p->entered_by = pthread_self();
	p->context = pw_context_new(p->loop, NULL, 0);
	if (!p->context) {
		goto fail;
	}
	p->core = pw_context_connect(p->context, NULL, 0);
	if (!p->core) {
		r = -ENOTSUP; /* no PipeWire daemon to reach */
		goto fail;
	}
	pw_core_add_listener(p->core, &p->core_listener, &core_events, p);
	r = connect_stream(p, node);
	if (r < 0) {
		goto fail;
	}
	*out = p;
	return 0;
fail:
	gnome_pw_destroy(p);
	return r;
}

int gnome_pw_fd(struct gnome_pw *p)
{
	return pw_loop_get_fd(p->loop);
}

int gnome_pw_process(struct gnome_pw *p)
{
	/* A few rounds at most; what is left keeps the descriptor readable. */
	for (int i = 0; i < 8 && !p->dead; i++) {
		int r = pw_loop_iterate(p->loop, 0);
		if (r < 0 && r != -EINTR) {
			p->dead = r;
		}
		if (r <= 0) {
			break;
		}
	}
	return p->dead;
}

void gnome_pw_destroy(struct gnome_pw *p)
{
	if (!p) {
		return;
	}
	if (p->stream) {
		pw_stream_destroy(p->stream);
	}
	if (p->core) {
		spa_hook_remove(&p->core_listener);
		pw_core_disconnect(p->core);
	}
	if (p->context) {
		pw_context_destroy(p->context);
	}
	if (p->loop) {
		/* Only the entering thread may leave; from another one the loop
		 * is destroyed entered, which it does not mind. */
		if (p->entered && pthread_equal(p->entered_by, pthread_self())) {
			pw_loop_leave(p->loop);
		}
		pw_loop_destroy(p->loop);
	}
	free(p);
}
