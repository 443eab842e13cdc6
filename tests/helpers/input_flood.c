/* Test helper: a viewer that floods the sharer with input once it may (its
 * caller promotes it to INTERACTIVE with ctl during the first WAIT seconds,
 * FLOOD_WAIT, default 4). It logs on like a stock RDP client (any name, the
 * invitation password) and sends, as fast as the connection takes them:
 *   motion N     N absolute pointer motions
 *   unicode N    N distinct CJK characters (down and up), which no keymap has
 *   holdflood N  Left Shift and the left button down, then N Unicode key
 *                downs, then it leaves without a release or a goodbye
 * Prints "sent=N" and exits 0 when it could send everything.
 *   input_flood PORT PASSWORD MODE N */
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <freerdp/freerdp.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/input.h>
#include <freerdp/settings.h>
#include <winpr/synch.h>

static BOOL on_post_connect(freerdp *instance)
{
	return gdi_init(instance, PIXEL_FORMAT_BGRX32);
}

static void on_post_disconnect(freerdp *instance)
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

/* Serve the connection for up to ms; false once it is gone. */
static bool pump(freerdp *instance, DWORD ms)
{
	HANDLE h[MAXIMUM_WAIT_OBJECTS];
	DWORD n = freerdp_get_event_handles(instance->context, h, MAXIMUM_WAIT_OBJECTS);
	if (n == 0) {
		return false;
	}
	WaitForMultipleObjects(n, h, FALSE, ms);
	return freerdp_check_event_handles(instance->context) &&
	       !freerdp_shall_disconnect_context(instance->context);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: input_flood PORT PASSWORD motion|unicode|holdflood N\n");
		return 2;
	}
	const char *mode = argv[3];
	long n = strtol(argv[4], NULL, 10);
	if (n < 1 || n > 1000000 ||
	    (strcmp(mode, "motion") && strcmp(mode, "unicode") && strcmp(mode, "holdflood"))) {
		fprintf(stderr, "input_flood: bad mode or count\n");
		return 2;
	}
	freerdp *instance = freerdp_new();
	if (!instance || !freerdp_context_new(instance)) {
		return 1;
	}
	instance->PostConnect = on_post_connect;
	instance->PostDisconnect = on_post_disconnect;
	instance->VerifyCertificateEx = accept_cert;
	rdpSettings *st = instance->context->settings;
	if (!freerdp_settings_set_string(st, FreeRDP_ServerHostname, "127.0.0.1") ||
	    !freerdp_settings_set_uint32(st, FreeRDP_ServerPort, (UINT32)atoi(argv[1])) ||
	    !freerdp_settings_set_string(st, FreeRDP_Username, "flood") ||
	    !freerdp_settings_set_string(st, FreeRDP_Password, argv[2]) ||
	    !freerdp_settings_set_bool(st, FreeRDP_IgnoreCertificate, TRUE) ||
	    !freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, 800) ||
	    !freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, 600)) {
		return 1;
	}
	if (!freerdp_connect(instance)) {
		fprintf(stderr, "input_flood: cannot connect\n");
		return 1;
	}
	const char *w = getenv("FLOOD_WAIT");
	double until = now_s() + (w ? atof(w) : 4.0);
	while (now_s() < until) {
		if (!pump(instance, 50)) {
			fprintf(stderr, "input_flood: dropped before the flood\n");
			return 1;
		}
	}
	rdpInput *in = instance->context->input;
	long sent = 0;
	bool ok = true;
	if (strcmp(mode, "holdflood") == 0) {
		ok = freerdp_input_send_keyboard_event(in, 0, 0x2a) &&
		     freerdp_input_send_mouse_event(in, PTR_FLAGS_DOWN | PTR_FLAGS_BUTTON1, 100,
		                                    100);
	}
	for (long i = 0; ok && i < n; i++, sent++) {
		UINT16 ch = (UINT16)(0x4e00 + (i % 20000)); /* CJK: in no keymap */
		if (strcmp(mode, "motion") == 0) {
			ok = freerdp_input_send_mouse_event(in, PTR_FLAGS_MOVE, (UINT16)(i % 800),
			                                    (UINT16)((i / 800) % 600));
		} else {
			ok = freerdp_input_send_unicode_keyboard_event(in, 0, ch);
			if (ok && strcmp(mode, "unicode") == 0) {
				ok = freerdp_input_send_unicode_keyboard_event(
				    in, KBD_FLAGS_RELEASE, ch);
			}
		}
		if (i % 256 == 0) {
			ok = ok && pump(instance, 0);
		}
	}
	printf("sent=%ld\n", sent);
	fflush(stdout);
	if (strcmp(mode, "holdflood") == 0) {
		_exit(ok ? 0 : 1); /* gone, holding Shift and the button */
	}
	for (double end = now_s() + 1; ok && now_s() < end;) {
		ok = pump(instance, 50);
	}
	freerdp_disconnect(instance);
	freerdp_context_free(instance);
	freerdp_free(instance);
	return sent == n ? 0 : 1;
}
