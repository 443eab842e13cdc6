/* One viewer's graphics pipeline (MS-RDPEGFX) over FreeRDP's rdpgfx server
 * channel: capability exchange, one surface the size of the shared picture
 * mapped to the output, and frames of H.264 (AVC420, from the viewer's
 * vstream group) or planar tiles, each acknowledged by the viewer.
 *
 * FreeRDP reads the channel on a thread of its own, so capabilities and
 * acknowledgements arrive there: they only set atomics and poke the
 * connection's wake descriptor; everything sent is sent from the
 * connection thread. */
#ifndef RDPSHARE_RDP_GFX_H
#define RDPSHARE_RDP_GFX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <freerdp/server/rdpgfx.h>

#include "encode/encoder.h"
#include "encode/vstream.h"
#include "rdp/pace.h"
#include "rdp/picture.h"

enum gfx_state {
	GFX_OFF,     /* the viewer did not offer it, or it failed: bitmap updates */
	GFX_WAITING, /* channel opening / capabilities not yet in */
	GFX_READY,   /* capabilities confirmed */
};

struct gfx_chan {
	RdpgfxServerContext *ctx;
	uint32_t channel_id; /* FreeRDP's dynamic channel id (0: not open) */
	enum gfx_state state;
	int64_t deadline_ms; /* GFX_WAITING past this: fall back to bitmap updates */
	int wake_fd;
	/* set on FreeRDP's channel thread */
	atomic_bool caps_in;
	atomic_uint caps_version, caps_flags;
	struct pace *pace; /* the viewer's; acknowledgements go there */
	/* connection thread */
	bool avc; /* AVC420 confirmed */
	bool surface;
	int surface_w, surface_h;
	uint32_t frame_id;
	struct vstream *group;
	uint64_t last_unit;
};

/* Starts opening the channel (the viewer's drdynvc must be ready). */
bool gfx_open(struct gfx_chan *g, HANDLE vcm, rdpContext *ctx, int wake_fd, struct pace *pace,
              int64_t now_ms);
/* Confirms capabilities once they came, or gives up at the deadline. */
void gfx_service(struct gfx_chan *g, int64_t now_ms);
/* (Re)creates the surface for a picture of width x height. */
bool gfx_surface(struct gfx_chan *g, int width, int height);
/* A frame: the H.264 part and lossless tiles of u, or the tiles of o. */
bool gfx_send_unit(struct gfx_chan *g, const struct vunit *u);
bool gfx_send_tiles(struct gfx_chan *g, const struct enc_output *o);
/* A viewer's first unit (a key unit): decoded, not shown; whole (the key
 * frame's picture as planar tiles) is shown instead. */
bool gfx_send_start(struct gfx_chan *g, const struct vunit *u, const struct enc_output *whole);
void gfx_close(struct gfx_chan *g);

/* The viewer's picture through the pipeline: its H.264 group's units in
 * order while it keeps up, or planar tiles when H.264 is not there.
 * flush sends what the channel queued (after each frame). *wait_ms: when
 * the group wants to be asked again (-1: on the next frame). False: the
 * connection broke. */
bool gfx_send_picture(struct gfx_chan *g, struct picture *p, struct frame *f, int64_t now_ms,
                      int *wait_ms, bool (*flush)(void *), void *flush_ctx);

#endif
