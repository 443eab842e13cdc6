#include "rdp/bitmap.h"

#include <freerdp/settings.h>

#include "rdp/send.h"

/* [MS-RDPBCGR] 2.2.1.13.1.1.1: the capability set type of Bitmap Codecs
 * (FreeRDP keeps its name in a private header). */
#define CAPSET_BITMAP_CODECS 0x1D

int bitmap_pick_codec(const rdpSettings *st)
{
	const BYTE *caps = freerdp_settings_get_pointer(st, FreeRDP_ReceivedCapabilities);
	bool codecs = caps &&
	              freerdp_settings_get_uint32(st, FreeRDP_ReceivedCapabilitiesSize) >
	                  CAPSET_BITMAP_CODECS &&
	              caps[CAPSET_BITMAP_CODECS];
	switch (freerdp_settings_get_uint32(st, FreeRDP_ColorDepth)) {
	case 32:
		if (freerdp_settings_get_bool(st, FreeRDP_RemoteFxCodec) &&
		    freerdp_settings_get_bool(st, FreeRDP_SurfaceCommandsEnabled) && codecs) {
			return CODEC_REMOTEFX;
		}
		return CODEC_PLANAR;
	default:
		return CODEC_INTERLEAVED;
	}
}

bool bitmap_send(struct picture *p, rdpContext *ctx, struct frame *f, int64_t now_ms)
{
	uint64_t since = 0;
	enum pace_plan plan = pace_plan(&p->pace, f->seq, f->full, now_ms, &since);
	if (plan == PACE_IDLE || plan == PACE_WAIT) {
		return true; /* behind: skip; the damage is collected from the hub later */
	}
	struct enc_output *own = NULL;
	const struct enc_output *o = picture_encode(p, f, plan, since, &own);
	bool ok = true;
	if (o) {
		uint32_t frame_id = 0;
		if (p->pace.use_acks) {
			frame_id = ++p->next_frame_id;
			if (frame_id == 0) {
				frame_id = p->next_frame_id = 1;
			}
		}
		ok = send_output(ctx, o, frame_id);
		if (ok && frame_id) {
			pace_frame_out(&p->pace);
		}
		picture_sent(p, f, o->bytes, ok);
	}
	enc_output_free(own);
	return ok;
}
