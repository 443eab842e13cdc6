/* Damage by comparison, for desktops that send whole frames without saying
 * what changed (Mutter 43's PipeWire streams): the back-end keeps its copy
 * of the desktop, and each new frame is compared with it tile by tile and
 * copied in where it differs. Pure. */
#ifndef RDPSHARE_CAPTURE_TILES_H
#define RDPSHARE_CAPTURE_TILES_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/damage.h"
#include "capture/pixconv.h"

#define TILE_SIDE 64

/* Bring the clip part of fb (BGRX, w x h, fb_stride bytes a row) up to
 * date with frame src (format f, the same w x h, src_stride bytes a row):
 * the tiles of a TILE_SIDE grid anchored at the desktop's corner that
 * differ are copied, and added to d clipped to clip. row is scratch for w
 * pixels (unused for BGRX and BGRA frames). clip must lie inside w x h.
 * Returns whether anything differed. */
bool tiles_update(uint8_t *fb, int fb_stride, const uint8_t *src, int src_stride, enum pix_format f,
                  int w, int h, const struct cap_rect *clip, uint8_t *row, struct damage *d);

#endif
