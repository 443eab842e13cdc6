/* Picture encoding over FreeRDP's codecs, producing plain byte blobs that a
 * connection turns into RDP updates (rdp/send.c). One struct encoder per
 * connection holds the codec contexts; output for a frame's own damage is
 * cached on the frame per group key, so every viewer of a group shares one
 * encode. Viewers that fell behind encode their own damage union.
 */
#ifndef RDPSHARE_ENCODER_H
#define RDPSHARE_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "encode/codec_names.h"
#include "encode/frame.h"

struct enc_key {
	int codec;          /* enum encode_codec */
	int bpp;            /* bits per pixel on the wire */
	uint32_t max_bytes; /* largest single update the viewer accepts (RemoteFX split) */
};

struct enc_tile {
	uint16_t x, y, w, h;    /* destination; w/h are the bitmap's size */
	uint16_t right, bottom; /* inclusive destination corner, clipped to the frame */
	uint8_t bpp;
	uint8_t compressed;
	uint32_t len;
	uint8_t *data;
};

struct enc_msg {
	uint32_t len;
	uint8_t *data;
};

struct enc_output {
	struct enc_key key;
	int width, height; /* frame size it was made for */
	/* RemoteFX: surface-bits messages covering the whole surface */
	int n_msgs;
	struct enc_msg *msgs;
	/* bitmap codecs: tiles of at most 64x64 */
	int n_tiles;
	struct enc_tile *tiles;
	size_t bytes;
};

struct encoder;

struct encoder *encoder_new(void);
void encoder_free(struct encoder *e);

/* Encode rects (frame coordinates) of f for key. Ownership: the result is
 * the caller's, free it with enc_output_free. NULL on failure. */
struct enc_output *encoder_encode(struct encoder *e, const struct enc_key *key,
                                  const struct frame *f, const struct cap_rect *rects, int n);
void enc_output_free(struct enc_output *o);

/* The frame's own damage encoded for key, from the frame's cache or encoded
 * now with e and cached. Ownership: the frame's; valid while the caller
 * holds a reference to f. NULL on failure. */
const struct enc_output *encoder_encode_shared(struct encoder *e, const struct enc_key *key,
                                               struct frame *f);

/* Frees a frame's cache (frame.c calls it). */
void enc_cache_free(struct enc_cache *c);

#endif
