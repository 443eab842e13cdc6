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
#include <freerdp/freerdp.h>
#include <freerdp/input.h>
#include <freerdp/settings.h>

#include "common/viewer.h"

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
	viewer_callbacks(instance);
	rdpSettings *st = instance->context->settings;
	if (!viewer_logon(st, "127.0.0.1", argv[1], "flood", argv[2]) ||
	    !freerdp_settings_set_uint32(st, FreeRDP_DesktopWidth, 800) ||
	    !freerdp_settings_set_uint32(st, FreeRDP_DesktopHeight, 600)) {
		return 1;
	}
	if (!freerdp_connect(instance)) {
		fprintf(stderr, "input_flood: cannot connect\n");
		return 1;
	}
	const char *w = getenv("FLOOD_WAIT");
	int64_t until = viewer_now_ms() + (int64_t)((w ? atof(w) : 4.0) * 1000);
	while (viewer_now_ms() < until) {
		if (!viewer_pump(instance->context, 50)) {
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
			ok = ok && viewer_pump(instance->context, 0);
		}
	}
	printf("sent=%ld\n", sent);
	fflush(stdout);
	if (strcmp(mode, "holdflood") == 0) {
		_exit(ok ? 0 : 1); /* gone, holding Shift and the button */
	}
	for (int64_t end = viewer_now_ms() + 1000; ok && viewer_now_ms() < end;) {
		ok = viewer_pump(instance->context, 50);
	}
	freerdp_disconnect(instance);
	freerdp_context_free(instance);
	freerdp_free(instance);
	return sent == n ? 0 : 1;
}
