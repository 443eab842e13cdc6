/* Which picture codec a viewer gets; shared with the object model for stats. */
#ifndef RDPSHARE_CODEC_NAMES_H
#define RDPSHARE_CODEC_NAMES_H

enum encode_codec {
	CODEC_NONE = 0,
	CODEC_REMOTEFX,
	CODEC_PLANAR,
	CODEC_INTERLEAVED,
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
	default:
		return "none";
	}
}

#endif
