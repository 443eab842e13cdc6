/* Which picture codec a viewer gets; shared with the object model for stats. */
#ifndef RDPSHARE_CODEC_NAMES_H
#define RDPSHARE_CODEC_NAMES_H

enum encode_codec {
	CODEC_NONE = 0,
	CODEC_REMOTEFX,
	CODEC_PLANAR,
	CODEC_INTERLEAVED,
	CODEC_AVC420,     /* graphics pipeline, H.264 */
	CODEC_GFX_PLANAR, /* graphics pipeline without H.264 */
};

static inline const char *codec_name(int c)
{
	switch (c) {
	case CODEC_REMOTEFX:
		return "remotefx";
	case CODEC_PLANAR:
		return "planar";
	case CODEC_INTERLEAVED:
		return "interleaved";
	case CODEC_AVC420:
		return "avc420";
	case CODEC_GFX_PLANAR:
		return "gfx-planar";
	default:
		return "none";
	}
}

#endif
