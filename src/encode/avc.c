#include "encode/avc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <freerdp/codec/color.h>
#include <freerdp/primitives.h>
#include <x264.h>

/* Constant quality: 23 keeps text readable in motion; still regions are
 * re-sent lossless afterwards (vstream.c), so this is only what moving
 * pictures look like. */
#define AVC_CRF 23.0f

struct avc_enc {
	x264_t *x;
	x264_picture_t pic;
	int width, height; /* macroblock-aligned */
	int64_t pts;
	bool converted_once;
	/* per macroblock: X264_MBINFO_CONSTANT where nothing changed, so x264
	 * skips its analysis there (most of a desktop, most of the time) */
	uint8_t *mb_info;
	int mbs_w, mbs_h;
};

struct avc_enc *avc_enc_new(int width, int height)
{
	if (width <= 0 || height <= 0 || width > 4096 || height > 4096) {
		return NULL; /* AVC420 in RDP: level 5.2 at most */
	}
	struct avc_enc *e = calloc(1, sizeof(*e));
	if (!e) {
		return NULL;
	}
	e->width = (width + 15) & ~15;
	e->height = (height + 15) & ~15;
	e->mbs_w = e->width / 16;
	e->mbs_h = e->height / 16;
	e->mb_info = malloc((size_t)e->mbs_w * (size_t)e->mbs_h);
	x264_param_t p;
	/* ultrafast: motion encodes at several times real time on one core;
	 * zerolatency: no frame is held back for lookahead or B frames. */
	if (!e->mb_info || x264_param_default_preset(&p, "ultrafast", "zerolatency") < 0) {
		avc_enc_free(e);
		return NULL;
	}
	memset(e->mb_info, X264_MBINFO_CONSTANT, (size_t)e->mbs_w * (size_t)e->mbs_h);
	p.i_log_level = X264_LOG_NONE;
	p.i_width = e->width;
	p.i_height = e->height;
	p.i_csp = X264_CSP_I420;
	p.i_threads = 1; /* the group's viewers run in parallel already */
	p.i_fps_num = 30;
	p.i_fps_den = 1;
	p.b_vfr_input = 0;
	p.i_keyint_max = X264_KEYINT_MAX_INFINITE;
	p.i_scenecut_threshold = 0; /* key frames only on request */
	p.b_repeat_headers = 1;     /* SPS/PPS in every key frame: anyone may start there */
	p.b_annexb = 1;             /* MS-RDPEGFX carries Annex B byte streams */
	p.analyse.b_mb_info = 1;
	p.rc.i_rc_method = X264_RC_CRF;
	p.rc.f_rf_constant = AVC_CRF;
	if (x264_param_apply_profile(&p, "baseline") < 0 || !(e->x = x264_encoder_open(&p)) ||
	    x264_picture_alloc(&e->pic, X264_CSP_I420, e->width, e->height) < 0) {
		avc_enc_free(e);
		return NULL;
	}
	return e;
}

void avc_enc_free(struct avc_enc *e)
{
	if (!e) {
		return;
	}
	/* also for a half-made encoder (avc_enc_new's failures) */
	if (e->pic.img.plane[0]) {
		x264_picture_clean(&e->pic);
	}
	if (e->x) {
		x264_encoder_close(e->x);
	}
	free(e->mb_info);
	free(e);
}

void avc_enc_size(const struct avc_enc *e, int *width, int *height)
{
	*width = e->width;
	*height = e->height;
}

/* BGRX to the I420 picture for one rectangle, widened to even edges. */
static bool convert(struct avc_enc *e, const uint8_t *bgrx, int stride, struct cap_rect r)
{
	int x1 = r.x & ~1, y1 = r.y & ~1;
	int x2 = (r.x + r.w + 1) & ~1, y2 = (r.y + r.h + 1) & ~1;
	if (x1 < 0) {
		x1 = 0;
	}
	if (y1 < 0) {
		y1 = 0;
	}
	if (x2 > e->width) {
		x2 = e->width;
	}
	if (y2 > e->height) {
		y2 = e->height;
	}
	if (x2 <= x1 || y2 <= y1) {
		return true;
	}
	BYTE *dst[3] = {e->pic.img.plane[0] + (size_t)y1 * (size_t)e->pic.img.i_stride[0] +
	                    (size_t)x1,
	                e->pic.img.plane[1] + (size_t)(y1 / 2) * (size_t)e->pic.img.i_stride[1] +
	                    (size_t)(x1 / 2),
	                e->pic.img.plane[2] + (size_t)(y1 / 2) * (size_t)e->pic.img.i_stride[2] +
	                    (size_t)(x1 / 2)};
	UINT32 steps[3] = {(UINT32)e->pic.img.i_stride[0], (UINT32)e->pic.img.i_stride[1],
	                   (UINT32)e->pic.img.i_stride[2]};
	prim_size_t roi = {(UINT32)(x2 - x1), (UINT32)(y2 - y1)};
	const BYTE *src = bgrx + (size_t)y1 * (size_t)stride + (size_t)x1 * 4;
	return primitives_get()->RGBToYUV420_8u_P3AC4R(src, PIXEL_FORMAT_BGRX32, (UINT32)stride,
	                                               dst, steps, &roi) == PRIMITIVES_SUCCESS;
}

static void mark_changed(struct avc_enc *e, const struct cap_rect *r)
{
	if (r->w <= 0 || r->h <= 0) {
		return;
	}
	int x1 = r->x / 16, y1 = r->y / 16;
	int x2 = (r->x + r->w - 1) / 16, y2 = (r->y + r->h - 1) / 16;
	for (int y = y1 < 0 ? 0 : y1; y <= y2 && y < e->mbs_h; y++) {
		for (int x = x1 < 0 ? 0 : x1; x <= x2 && x < e->mbs_w; x++) {
			e->mb_info[y * e->mbs_w + x] = 0;
		}
	}
}

static int stage(struct avc_enc *e, const uint8_t *bgrx, int stride, const struct cap_rect *rects,
                 int n)
{
	for (int i = 0; i < n; i++) {
		if (!convert(e, bgrx, stride, rects[i])) {
			return -EIO;
		}
		mark_changed(e, &rects[i]);
	}
	return 0;
}

int avc_enc_encode(struct avc_enc *e, const uint8_t *bgrx, int stride, const struct cap_rect *rects,
                   int n, bool key, const uint8_t **out, size_t *len)
{
	if (!e->converted_once || key) {
		/* the whole picture, padding included: the encoder's first
		 * reference must not be uninitialised memory */
		if (!convert(e, bgrx, stride, (struct cap_rect){0, 0, e->width, e->height})) {
			return -EIO;
		}
		e->converted_once = true;
		e->pic.prop.mb_info = NULL;
	} else {
		int r = stage(e, bgrx, stride, rects, n);
		if (r < 0) {
			return r;
		}
		e->pic.prop.mb_info = e->mb_info;
	}
	e->pic.prop.mb_info_free = NULL;
	e->pic.i_type = key ? X264_TYPE_IDR : X264_TYPE_AUTO;
	e->pic.i_pts = e->pts++;
	x264_nal_t *nals = NULL;
	int n_nals = 0;
	x264_picture_t pic_out;
	int size = x264_encoder_encode(e->x, &nals, &n_nals, &e->pic, &pic_out);
	/* x264 has read the flags: the next picture starts all unchanged */
	memset(e->mb_info, X264_MBINFO_CONSTANT, (size_t)e->mbs_w * (size_t)e->mbs_h);
	if (size < 0) {
		return -EIO;
	}
	/* with no lookahead every picture comes straight out, and the NAL
	 * payloads lie back to back in one buffer */
	*out = size > 0 ? nals[0].p_payload : NULL;
	*len = (size_t)size;
	return 0;
}
