/* Pictures as bitmap updates (MS-RDPBCGR fast-path bitmap and surface
 * commands: RemoteFX, planar, interleaved), for viewers without the
 * graphics pipeline, paced by the viewer's frame acknowledgements. */
#ifndef RDPSHARE_RDP_BITMAP_H
#define RDPSHARE_RDP_BITMAP_H

#include <stdbool.h>

#include <freerdp/freerdp.h>

#include "rdp/picture.h"

/* The codec for a viewer's depth and capabilities (enum encode_codec). */
int bitmap_pick_codec(const rdpSettings *st);
/* Send what the viewer lacks of f, if it keeps up. False: the connection
 * broke. */
bool bitmap_send(struct picture *p, rdpContext *ctx, struct frame *f, int64_t now_ms);

#endif
