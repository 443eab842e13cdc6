/* The hostile viewers' common client part (viewer.h). */
#include "viewer.h"

#include <stdlib.h>
#include <time.h>

#include <freerdp/gdi/gdi.h>
#include <freerdp/settings.h>
#include <winpr/synch.h>

BOOL viewer_post_connect(freerdp *instance)
{
	return gdi_init(instance, PIXEL_FORMAT_BGRX32);
}

static void post_disconnect(freerdp *instance)
{
	gdi_free(instance);
}

static DWORD accept_cert(freerdp *instance, const char *host, UINT16 port, const char *cn,
                         const char *subject, const char *issuer, const char *fp, DWORD flags)
{
	(void)instance, (void)host, (void)port, (void)cn, (void)subject, (void)issuer, (void)fp,
	    (void)flags;
	return 2; /* this session only: the test's sharer on loopback */
}

void viewer_callbacks(freerdp *instance)
{
	instance->PostConnect = viewer_post_connect;
	instance->PostDisconnect = post_disconnect;
	instance->VerifyCertificateEx = accept_cert;
}

bool viewer_logon(rdpSettings *st, const char *host, const char *port, const char *user,
                  const char *password)
{
	return freerdp_settings_set_string(st, FreeRDP_ServerHostname, host) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ServerPort, (UINT32)atoi(port)) &&
	       freerdp_settings_set_string(st, FreeRDP_Username, user) &&
	       freerdp_settings_set_string(st, FreeRDP_Password, password) &&
	       freerdp_settings_set_bool(st, FreeRDP_IgnoreCertificate, TRUE);
}

bool viewer_pump(rdpContext *ctx, DWORD ms)
{
	HANDLE h[MAXIMUM_WAIT_OBJECTS];
	DWORD n = freerdp_get_event_handles(ctx, h, ARRAYSIZE(h));
	if (n == 0) {
		return false;
	}
	WaitForMultipleObjects(n, h, FALSE, ms);
	return freerdp_check_event_handles(ctx) && !freerdp_shall_disconnect_context(ctx);
}

int64_t viewer_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
