/* Turning encoder output and cursors into RDP updates. */
#ifndef RDPSHARE_SEND_H
#define RDPSHARE_SEND_H

#include <freerdp/freerdp.h>
#include <stdbool.h>

#include "encode/encoder.h"

/* Send o; when frame_id is non-zero it is wrapped in frame markers so the
 * viewer acknowledges it. Returns false when the connection failed. */
bool send_output(rdpContext *ctx, const struct enc_output *o, uint32_t frame_id);
bool send_cursor_shape(rdpContext *ctx, const struct cursor_shape *shape);
bool send_cursor_position(rdpContext *ctx, int x, int y);
bool send_cursor_hidden(rdpContext *ctx);

/* What a viewer was last told of the pointer (zero: nothing yet). */
struct cursor_state {
	uint64_t gen, shape_gen;
};
/* Bring the viewer's pointer (shape, position, hidden) up to date. */
struct hub;
void send_cursor(struct cursor_state *cs, struct hub *hub, rdpContext *ctx);

#endif
