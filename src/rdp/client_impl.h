/* Inside the FreeRDP client (client*.c): the shared state. */
#ifndef RDPSHARE_RDP_CLIENT_IMPL_H
#define RDPSHARE_RDP_CLIENT_IMPL_H

#include <pthread.h>

#include <freerdp/client.h>
#include <freerdp/client/rdpgfx.h>
#include <freerdp/dvc.h>
#include <freerdp/svc.h>

#include "rdp/client.h"

struct rdp_client {
	struct rdp_client_listener l;
	struct rdp_client_options o;
	rdpContext *ctx; /* the current connection's, NULL between runs */
	const struct rdp_client_target *t;
	struct rdp_client_result *res;
	HANDLE wake;          /* set by other threads: commands wait, or stop */
	pthread_mutex_t lock; /* guards what other threads touch: */
	bool stop, up;
	rdpContext *live; /* ctx, for rdp_client_stop to abort a connect */
	struct rdp_client_cmd *head, *tail;
	uint64_t bytes_in;
	IWTSVirtualChannel *chan[RDP_CLIENT_MAX_CHANNELS];
	/* the graphics pipeline's surface calls, wrapped to check sizes first
	 * (client_dvc.c; the drdynvc thread) */
	pcRdpgfxResetGraphics gfx_reset;
	pcRdpgfxCreateSurface gfx_create;
	pcRdpgfxDeleteSurface gfx_delete;
	int surfaces;
	/* multiparty channel (run thread and FreeRDP's channel thread) */
	CHANNEL_ENTRY_POINTS_FREERDP_EX mp_ep;
	void *mp_init;
	DWORD mp_handle;
	bool mp_open;
	uint8_t *mp_buf;
	size_t mp_len, mp_cap;
};

struct rdp_client_ctx {
	rdpContext base;
	struct rdp_client *c;
};

static inline struct rdp_client *rdp_client_of(rdpContext *ctx)
{
	return ((struct rdp_client_ctx *)ctx)->c;
}

/* client.c: the sharer asked for a picture over the caps: say so, end the
 * connection, FALSE. */
BOOL rdp_client_too_large(rdpContext *ctx, uint32_t width, uint32_t height);
/* client_cert.c: install the certificate callbacks on a new instance. */
void rdp_client_cert_install(freerdp *instance);
/* client_mp.c */
BOOL rdp_client_mp_load(struct rdp_client *c, rdpContext *ctx);
void rdp_client_mp_send(struct rdp_client *c, const uint8_t *data, size_t len);
/* client_dvc.c: settings at pre-connect, add-ins when FreeRDP loads them */
BOOL rdp_client_dvc_setup(struct rdp_client *c, rdpContext *ctx);
BOOL rdp_client_dvc_load(struct rdp_client *c, rdpContext *ctx);
/* client_input.c: one queued input, on the run thread */
void rdp_client_send_input(struct rdp_client *c, const struct rdp_client_cmd *in);

#endif
