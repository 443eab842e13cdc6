/* What one viewer is shown: its picture through the graphics pipeline when
 * it offers one (rdp/gfx.c) or as bitmap updates (rdp/bitmap.c), its
 * pointer, and the resizes that follow the desktop. The connection calls
 * it on its own thread. */
#ifndef RDPSHARE_RDP_VIEW_H
#define RDPSHARE_RDP_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include <freerdp/freerdp.h>

#include "rdp/gfx.h"
#include "rdp/picture.h"
#include "rdp/send.h"

struct view {
	struct picture pic;
	struct gfx_chan gfx;
	bool gfx_tried;   /* the pipeline is tried once per connection */
	bool gfx_offered; /* the viewer offers it (its settings at activation) */
	bool gfx_allowed; /* the sharer allows it (rdpshare.GraphicsPipeline, live) */
	int gfx_wait_ms;  /* the H.264 group wants to be asked again in this long (-1: no) */
	struct cursor_state cursor;
};

/* (Re)activation: what the viewer's settings say it takes. first: its
 * first activation (the picture then waits a while for the pipeline). */
void view_activate(struct view *v, const rdpSettings *st, int max_in_flight, bool first,
                   int64_t now_ms);
/* The viewer's picture was lost (shown again after a level change). */
void view_restart(struct view *v);
/* Open the pipeline once the viewer's dynamic channels are up (drdynvc
 * ready), and keep it going. */
void view_pipeline(struct view *v, HANDLE vcm, rdpContext *ctx, bool allowed, bool drdynvc_ready,
                   int wake_fd, int64_t now_ms);
/* Send what the viewer lacks: the newest frame and the pointer. depth: the
 * session's colour depth. *resized: a re-activation was started (pictures
 * resume after it). flush sends what the channels queued. False: the
 * connection broke. */
bool view_send(struct view *v, rdpContext *ctx, int depth, int64_t now_ms, bool (*flush)(void *),
               void *flush_ctx, bool *resized);
/* How long the connection may sleep for the view's sake (-1: no limit). */
int view_timeout(struct view *v, int64_t now_ms);
/* The viewer is leaving. */
void view_finish(struct view *v);

#endif
