#include "rdp/send.h"

#include <stdlib.h>
#include <string.h>

#include <freerdp/pointer.h>
#include <freerdp/settings.h>
#include <freerdp/update.h>

static bool marker(rdpContext *ctx, UINT16 action, uint32_t frame_id)
{
	SURFACE_FRAME_MARKER m = {0};
	m.frameAction = action;
	m.frameId = frame_id;
	return ctx->update->SurfaceFrameMarker(ctx, &m);
}

static bool send_rfx(rdpContext *ctx, const struct enc_output *o, uint32_t frame_id)
{
	UINT16 codec_id =
	    (UINT16)freerdp_settings_get_uint32(ctx->settings, FreeRDP_RemoteFxCodecId);
	for (int i = 0; i < o->n_msgs; i++) {
		SURFACE_BITS_COMMAND cmd = {0};
		cmd.cmdType = CMDTYPE_STREAM_SURFACE_BITS;
		cmd.destRight = (UINT32)o->width;
		cmd.destBottom = (UINT32)o->height;
		cmd.bmp.bpp = 32;
		cmd.bmp.codecID = codec_id;
		cmd.bmp.width = (UINT16)o->width;
		cmd.bmp.height = (UINT16)o->height;
		cmd.bmp.bitmapDataLength = o->msgs[i].len;
		cmd.bmp.bitmapData = o->msgs[i].data;
		cmd.skipCompression = TRUE;
		BOOL ok;
		if (frame_id) {
			ok = ctx->update->SurfaceFrameBits(ctx, &cmd, i == 0, i + 1 == o->n_msgs,
			                                   frame_id);
		} else {
			ok = ctx->update->SurfaceBits(ctx, &cmd);
		}
		if (!ok) {
			return false;
		}
	}
	return true;
}

/* Bitmap updates split so none exceeds what the viewer reassembles. */
static bool send_bitmaps(rdpContext *ctx, const struct enc_output *o)
{
	uint32_t max = freerdp_settings_get_uint32(ctx->settings, FreeRDP_MultifragMaxRequestSize);
	if (max < 16384) {
		max = 16384; /* a slow-path PDU always takes this much */
	}
	BITMAP_DATA *bd = calloc((size_t)o->n_tiles ? (size_t)o->n_tiles : 1, sizeof(*bd));
	if (!bd) {
		return false;
	}
	bool ok = true;
	int start = 0;
	while (ok && start < o->n_tiles) {
		uint32_t size = 1024;
		int n = 0;
		while (start + n < o->n_tiles) {
			const struct enc_tile *t = &o->tiles[start + n];
			if (n > 0 && size + t->len + 64 > max) {
				break;
			}
			BITMAP_DATA *b = &bd[n];
			memset(b, 0, sizeof(*b));
			b->destLeft = t->x;
			b->destTop = t->y;
			b->destRight = t->right;
			b->destBottom = t->bottom;
			b->width = t->w;
			b->height = t->h;
			b->bitsPerPixel = t->bpp;
			b->compressed = t->compressed;
			b->bitmapLength = t->len;
			b->bitmapDataStream = t->data;
			b->cbCompMainBodySize = t->len;
			b->cbScanWidth = (UINT32)t->w * (UINT32)((t->bpp + 7) / 8);
			b->cbUncompressedSize = b->cbScanWidth * t->h;
			size += t->len + 64;
			n++;
		}
		BITMAP_UPDATE up = {0};
		up.number = (UINT32)n;
		up.rectangles = bd;
		ok = ctx->update->BitmapUpdate(ctx, &up);
		start += n;
	}
	free(bd);
	return ok;
}

bool send_output(rdpContext *ctx, const struct enc_output *o, uint32_t frame_id)
{
	if (o->key.codec == CODEC_REMOTEFX) {
		return send_rfx(ctx, o, frame_id);
	}
	if (frame_id && !marker(ctx, SURFACECMD_FRAMEACTION_BEGIN, frame_id)) {
		return false;
	}
	if (!send_bitmaps(ctx, o)) {
		return false;
	}
	return !frame_id || marker(ctx, SURFACECMD_FRAMEACTION_END, frame_id);
}

/* 32 bpp colour pointer with alpha: XOR mask bottom-up BGRA, AND mask set
 * where fully transparent (clients without alpha then still see a shape). */
_Static_assert(CURSOR_MAX *CURSOR_MAX * 4 <= UINT16_MAX, "a pointer's masks fit 16-bit lengths");

bool send_cursor_shape(rdpContext *ctx, const struct cursor_shape *shape)
{
	int w = shape->width, h = shape->height;
	int and_step = ((w + 15) / 16) * 2;
	size_t xor_len = (size_t)w * (size_t)h * 4, and_len = (size_t)and_step * (size_t)h;
	BYTE *xor_mask = calloc(1, xor_len), *and_mask = calloc(1, and_len);
	bool ok = false;
	if (xor_mask && and_mask) {
		for (int y = 0; y < h; y++) {
			const uint32_t *src = &shape->argb[(size_t)(h - 1 - y) * (size_t)w];
			BYTE *dst = xor_mask + (size_t)y * (size_t)w * 4;
			for (int x = 0; x < w; x++) {
				uint32_t p = src[x];
				dst[x * 4 + 0] = (BYTE)p;
				dst[x * 4 + 1] = (BYTE)(p >> 8);
				dst[x * 4 + 2] = (BYTE)(p >> 16);
				dst[x * 4 + 3] = (BYTE)(p >> 24);
				if ((p >> 24) == 0) {
					and_mask[(size_t)y * (size_t)and_step + (size_t)(x / 8)] |=
					    (BYTE)(0x80 >> (x % 8));
				}
			}
		}
		POINTER_NEW_UPDATE pn = {0};
		pn.xorBpp = 32;
		pn.colorPtrAttr.cacheIndex = 0;
		pn.colorPtrAttr.hotSpotX = (UINT16)shape->xhot;
		pn.colorPtrAttr.hotSpotY = (UINT16)shape->yhot;
		pn.colorPtrAttr.width = (UINT16)w;
		pn.colorPtrAttr.height = (UINT16)h;
		pn.colorPtrAttr.lengthXorMask = (UINT16)xor_len;
		pn.colorPtrAttr.lengthAndMask = (UINT16)and_len;
		pn.colorPtrAttr.xorMaskData = xor_mask;
		pn.colorPtrAttr.andMaskData = and_mask;
		ok = ctx->update->pointer->PointerNew(ctx, &pn);
	}
	free(xor_mask);
	free(and_mask);
	return ok;
}

bool send_cursor_position(rdpContext *ctx, int x, int y)
{
	POINTER_POSITION_UPDATE pp = {0};
	pp.xPos = (UINT32)(x < 0 ? 0 : x);
	pp.yPos = (UINT32)(y < 0 ? 0 : y);
	return ctx->update->pointer->PointerPosition(ctx, &pp);
}

bool send_cursor_hidden(rdpContext *ctx)
{
	POINTER_SYSTEM_UPDATE ps = {0};
	ps.type = SYSPTR_NULL;
	return ctx->update->pointer->PointerSystem(ctx, &ps);
}

void send_cursor(struct cursor_state *cs, struct hub *hub, rdpContext *ctx)
{
	int x, y;
	bool visible, shape_changed;
	struct cursor_shape shape;
	uint64_t shape_gen_before = cs->shape_gen;
	if (!hub_get_cursor(hub, &cs->gen, &cs->shape_gen, &x, &y, &visible, &shape,
	                    &shape_changed)) {
		return;
	}
	if (!visible) {
		send_cursor_hidden(ctx);
		cs->shape_gen = 0; /* show the shape again when it comes back */
		return;
	}
	if (shape_changed || shape_gen_before == 0) {
		if (!shape_changed) {
			/* Re-send after hiding: fetch the shape unconditionally. */
			cs->gen = 0;
			cs->shape_gen = 0;
			hub_get_cursor(hub, &cs->gen, &cs->shape_gen, &x, &y, &visible, &shape,
			               &shape_changed);
		}
		if (shape_changed) {
			send_cursor_shape(ctx, &shape);
		}
	}
	send_cursor_position(ctx, x, y);
}
