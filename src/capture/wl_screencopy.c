/* A copy source over wlr-screencopy-unstable-v1 (see wl_copy.h). One shm
 * buffer is enough: the compositor fills it completely for every frame and
 * the sink copies what changed out of it before the next request. */
#include "capture/wl_copy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>

#include "capture/damage.h"
#include "wlr-screencopy-unstable-v1-client.h"

#define MAX_SIDE 16384
#define MAX_BYTES ((size_t)1 << 30)

struct screencopy {
	struct wl_copy base;
	struct wl_shm *shm;
	struct zwlr_screencopy_manager_v1 *manager;
	struct wl_output *output;
	struct wl_copy_sink sink;
	struct zwlr_screencopy_frame_v1 *frame;
	bool first;  /* no frame delivered yet: plain copy, all of it is new */
	bool failed; /* told the sink; nothing more */
	/* what the compositor offered for this frame */
	bool offered;
	uint32_t format;
	int w, h, stride;
	bool y_invert;
	struct damage dmg;
	bool dmg_any;
	/* our buffer */
	struct wl_buffer *buffer;
	uint8_t *data;
	size_t size;
	uint32_t buf_format;
	int buf_w, buf_h, buf_stride;
	bool size_changed;
};

static void request(struct screencopy *s);

static void fail(struct screencopy *s, int err)
{
	if (s->frame) {
		zwlr_screencopy_frame_v1_destroy(s->frame);
		s->frame = NULL;
	}
	if (!s->failed) {
		s->failed = true;
		s->sink.failed(s->sink.ctx, err);
	}
}

static void drop_buffer(struct screencopy *s)
{
	if (s->buffer) {
		wl_buffer_destroy(s->buffer);
		s->buffer = NULL;
	}
	if (s->data) {
		munmap(s->data, s->size);
		s->data = NULL;
	}
}

/* Formats whose bytes are BGRX (or RGBX) in memory: 32-bit little-endian
 * words with the colours in the low three bytes. */
static bool usable(uint32_t f)
{
	return f == WL_SHM_FORMAT_XRGB8888 || f == WL_SHM_FORMAT_ARGB8888 ||
	       f == WL_SHM_FORMAT_XBGR8888 || f == WL_SHM_FORMAT_ABGR8888;
}

static int make_buffer(struct screencopy *s)
{
	if (s->buffer && s->buf_format == s->format && s->buf_w == s->w && s->buf_h == s->h &&
	    s->buf_stride == s->stride) {
		return 0;
	}
	s->size_changed = s->buf_w != s->w || s->buf_h != s->h;
	drop_buffer(s);
	size_t size = (size_t)s->stride * (size_t)s->h;
	int fd = memfd_create("rdpshare-screencopy", MFD_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	int ret = -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		goto out;
	}
	s->data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s->data == MAP_FAILED) {
		s->data = NULL;
		goto out;
	}
	s->size = size;
	ret = -ENOMEM;
	struct wl_shm_pool *pool = wl_shm_create_pool(s->shm, fd, (int32_t)size);
	if (pool) {
		s->buffer = wl_shm_pool_create_buffer(pool, 0, s->w, s->h, s->stride, s->format);
		wl_shm_pool_destroy(pool);
	}
	if (s->buffer) {
		s->buf_format = s->format;
		s->buf_w = s->w;
		s->buf_h = s->h;
		s->buf_stride = s->stride;
		ret = 0;
	}
out:
	close(fd);
	if (ret < 0) {
		drop_buffer(s);
	}
	return ret;
}

static void start_copy(struct screencopy *s);

static void on_buffer(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                      uint32_t width, uint32_t height, uint32_t stride)
{
	struct screencopy *s = data;
	/* sizes come from the compositor: capped before anything is allocated */
	bool fits = width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE &&
	            stride >= width * 4 && stride <= MAX_SIDE * 8 &&
	            (size_t)stride * height <= MAX_BYTES;
	if (!s->offered && usable(format) && fits) { /* the first usable offer wins */
		s->offered = true;
		s->format = format;
		s->w = (int)width;
		s->h = (int)height;
		s->stride = (int)stride;
	}
	if (zwlr_screencopy_frame_v1_get_version(f) < 3) {
		start_copy(s); /* no buffer_done before version 3: this was the only offer */
	}
}

static void start_copy(struct screencopy *s)
{
	if (!s->offered) {
		fail(s, -ENOTSUP); /* no shared-memory format we can read */
		return;
	}
	/* a new size is a new picture: copy it at once, not when it next changes */
	bool fresh = s->first || s->w != s->buf_w || s->h != s->buf_h;
	int r = make_buffer(s);
	if (r < 0) {
		fail(s, r);
		return;
	}
	if (fresh) {
		zwlr_screencopy_frame_v1_copy(s->frame, s->buffer);
	} else {
		zwlr_screencopy_frame_v1_copy_with_damage(s->frame, s->buffer);
	}
}

static void on_buffer_done(void *data, struct zwlr_screencopy_frame_v1 *f)
{
	(void)f;
	start_copy(data);
}

static void on_flags(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t flags)
{
	(void)f;
	((struct screencopy *)data)->y_invert = flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT;
}

static void on_damage(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t x, uint32_t y,
                      uint32_t w, uint32_t h)
{
	(void)f;
	struct screencopy *s = data;
	if (x > MAX_SIDE || y > MAX_SIDE || w > MAX_SIDE || h > MAX_SIDE) {
		s->dmg_any = false; /* nonsense: take the whole buffer */
		s->first = true;
		return;
	}
	struct cap_rect r = {(int)x, (int)y, (int)w, (int)h};
	/* y_invert's flags event comes before damage, which is in buffer rows */
	if (s->y_invert) {
		r.y = s->h - r.y - r.h;
	}
	damage_add(&s->dmg, &r, s->w, s->h);
	s->dmg_any = true;
}

static void on_ready(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t sec_hi,
                     uint32_t sec_lo, uint32_t nsec)
{
	(void)f;
	(void)sec_hi;
	(void)sec_lo;
	(void)nsec;
	struct screencopy *s = data;
	struct cap_rect rects[DAMAGE_MAX];
	int n = damage_take(&s->dmg, rects, DAMAGE_MAX);
	struct wl_copy_frame fr = {
	    .data = s->data,
	    .w = s->w,
	    .h = s->h,
	    .stride = s->stride,
	    .y_invert = s->y_invert,
	    .swap_rb = s->format == WL_SHM_FORMAT_XBGR8888 || s->format == WL_SHM_FORMAT_ABGR8888,
	    /* without damage events (version 1) every frame is new throughout */
	    .whole = s->first || s->size_changed || !s->dmg_any,
	    .damage = rects,
	    .n_damage = n,
	};
	zwlr_screencopy_frame_v1_destroy(s->frame);
	s->frame = NULL;
	s->first = false;
	s->size_changed = false;
	s->dmg_any = false;
	s->sink.frame(s->sink.ctx, &fr);
	if (!s->failed) {
		request(s);
	}
}

static void on_failed(void *data, struct zwlr_screencopy_frame_v1 *f)
{
	(void)f;
	fail(data, -EIO); /* the output went away or refused our buffer */
}

static void on_dmabuf(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                      uint32_t width, uint32_t height)
{
	(void)data;
	(void)f;
	(void)format;
	(void)width;
	(void)height;
}

static const struct zwlr_screencopy_frame_v1_listener frame_listener = {
    .buffer = on_buffer,
    .flags = on_flags,
    .ready = on_ready,
    .failed = on_failed,
    .damage = on_damage,
    .linux_dmabuf = on_dmabuf,
    .buffer_done = on_buffer_done,
};

static void request(struct screencopy *s)
{
	s->offered = false;
	s->y_invert = false;
	s->frame = zwlr_screencopy_manager_v1_capture_output(s->manager, 1, s->output);
	if (!s->frame) {
		fail(s, -ENOMEM);
		return;
	}
	zwlr_screencopy_frame_v1_add_listener(s->frame, &frame_listener, s);
}

static void screencopy_destroy(struct wl_copy *c)
{
	struct screencopy *s = (struct screencopy *)c;
	if (!s) {
		return;
	}
	if (s->frame) {
		zwlr_screencopy_frame_v1_destroy(s->frame);
	}
	drop_buffer(s);
	free(s);
}

static const struct wl_copy_ops screencopy_ops = {.destroy = screencopy_destroy};

struct wl_copy *wl_copy_screencopy_create(struct wl_shm *shm,
                                          struct zwlr_screencopy_manager_v1 *manager,
                                          struct wl_output *output, const struct wl_copy_sink *sink,
                                          int *err)
{
	struct screencopy *s = calloc(1, sizeof(*s));
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	s->base.ops = &screencopy_ops;
	s->shm = shm;
	s->manager = manager;
	s->output = output;
	s->sink = *sink;
	s->first = true;
	request(s);
	if (s->failed) {
		*err = -ENOMEM;
		screencopy_destroy(&s->base);
		return NULL;
	}
	return &s->base;
}
