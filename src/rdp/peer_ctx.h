/* What a FreeRDP peer's context carries for us: the connection, and the
 * parts of it that FreeRDP's callbacks reach directly (input). */
#ifndef RDPSHARE_RDP_PEER_CTX_H
#define RDPSHARE_RDP_PEER_CTX_H

#include <freerdp/freerdp.h>

struct conn;
struct input_sink;

struct peer_ctx {
	rdpContext base;
	struct conn *conn;
	struct input_sink *input; /* NULL until the viewer is admitted */
};

#endif
