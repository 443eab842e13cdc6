/* Test helper: a viewer that floods the sharer with Refresh Rect PDUs (and
 * Suppress Output with allow=1), each of which asks for the whole picture
 * again (one of each every 5 ms), while it keeps reading what comes. Bitmap updates only (no
 * graphics pipeline), no frame acknowledgements.
 *   refresh_flood HOST PORT NAME PASSWORD SECONDS
 * Prints "active" once the sharer activated it, "sent N" at the end; exits 0
 * when it stayed connected throughout. */
#include <stdio.h>
#include <stdlib.h>

#include <freerdp/client.h>
#include <freerdp/freerdp.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/settings.h>

#include "common/viewer.h"

#define ASK_MS 5

static BOOL on_client_new(freerdp *instance, rdpContext *ctx)
{
	(void)ctx;
	viewer_callbacks(instance);
	return TRUE;
}

static bool configure(rdpSettings *st, char **argv)
{
	return viewer_logon(st, argv[1], argv[2], argv[3], argv[4]) &&
	       freerdp_settings_set_bool(st, FreeRDP_NlaSecurity, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_TlsSecurity, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_RdpSecurity, FALSE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, 32) &&
	       freerdp_settings_set_bool(st, FreeRDP_SoftwareGdi, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_RemoteFxCodec, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_SupportGraphicsPipeline, FALSE) &&
	       freerdp_settings_set_bool(st, FreeRDP_SurfaceFrameMarkerEnabled, FALSE) &&
	       freerdp_settings_set_uint32(st, FreeRDP_FrameAcknowledge, 0) &&
	       freerdp_settings_set_bool(st, FreeRDP_FastPathOutput, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_DesktopResize, TRUE) &&
	       freerdp_settings_set_bool(st, FreeRDP_AutoReconnectionEnabled, FALSE);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: refresh_flood HOST PORT NAME PASSWORD SECONDS\n");
		return 2;
	}
	RDP_CLIENT_ENTRY_POINTS ep = {0};
	ep.Version = RDP_CLIENT_INTERFACE_VERSION;
	ep.Size = sizeof(ep);
	ep.ContextSize = sizeof(rdpContext);
	ep.ClientNew = on_client_new;
	rdpContext *ctx = freerdp_client_context_new(&ep);
	if (!ctx) {
		return 1;
	}
	int status = 1;
	if (!configure(ctx->settings, argv) || !freerdp_connect(ctx->instance)) {
		fprintf(stderr, "refresh_flood: cannot connect\n");
		goto out;
	}
	/* the first picture: the sharer has activated us */
	int64_t until = viewer_now_ms() + 20000;
	while (viewer_now_ms() < until && viewer_pump(ctx, 50)) {
		if (ctx->gdi && ctx->gdi->primary) {
			break;
		}
	}
	printf("active\n");
	fflush(stdout);
	rdpSettings *st = ctx->settings;
	RECTANGLE_16 all = {0, 0,
	                    (UINT16)(freerdp_settings_get_uint32(st, FreeRDP_DesktopWidth) - 1),
	                    (UINT16)(freerdp_settings_get_uint32(st, FreeRDP_DesktopHeight) - 1)};
	long sent = 0;
	bool alive = true;
	int64_t next = viewer_now_ms();
	until = next + 1000L * atoi(argv[5]);
	while (alive && viewer_now_ms() < until) {
		/* one of each every ASK_MS: far more whole pictures than a
		 * viewer needs (one a frame, 200 a second), while what comes in
		 * is still read */
		if (viewer_now_ms() >= next) {
			if (!ctx->update->RefreshRect(ctx, 1, &all) ||
			    !ctx->update->SuppressOutput(ctx, 1, &all)) {
				break;
			}
			sent += 2;
			next += ASK_MS;
		}
		alive = viewer_pump(ctx, 1);
	}
	printf("sent %ld\n", sent);
	status = alive ? 0 : 1;
	freerdp_disconnect(ctx->instance);
out:
	freerdp_client_context_free(ctx);
	return status;
}
