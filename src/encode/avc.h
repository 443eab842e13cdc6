/* One H.264 (AVC420) encoder over x264, configured for latency: no B
 * frames, no lookahead, one picture in, one access unit out. Key frames
 * come only when asked for (a viewer joined or lost its place), never on a
 * timer: a shared desktop is mostly still, and a periodic key frame would
 * cost every viewer a full picture for nothing.
 *
 * Why x264 directly and not FreeRDP's h264 module: as FreeRDP 2.11 had it,
 * the module fixed the encoder preset (medium, about 42 ms a 1080p frame
 * here) and converted the whole picture every frame; we convert only what
 * changed and tell x264 which macroblocks did not. */
#ifndef RDPSHARE_AVC_H
#define RDPSHARE_AVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

struct avc_enc;

/* width/height: the picture, rounded up here to whole macroblocks (the
 * source buffer must be readable that far: frames are padded to 64). */
struct avc_enc *avc_enc_new(int width, int height);
void avc_enc_free(struct avc_enc *e);

/* Converts rects of the BGRX picture and encodes the whole picture.
 * Ownership: *out stays the encoder's until the next call. Returns 0, or a
 * negative errno-style code. */
int avc_enc_encode(struct avc_enc *e, const uint8_t *bgrx, int stride, const struct cap_rect *rects,
                   int n, bool key, const uint8_t **out, size_t *len);

/* Encoded size, rounded up to whole macroblocks. */
void avc_enc_size(const struct avc_enc *e, int *width, int *height);

#endif
