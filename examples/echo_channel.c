/* echo_channel: share this desktop (or the demo desktop) and echo every
 * message a viewer sends on the virtual channel "echo" back to it.
 *
 *   echo_channel PASSWORD [--demo] [ADDR:PORT]
 *   rdpview --password PASSWORD --channel echo CONNECTION-STRING
 *
 * The rdpshare API in one page: a session, an invitation, a channel created
 * before Open, access granted per attendee, and every event handled on this
 * thread by rdpshare_session_run(). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rdpshare.h>

static rdpshare_channel *echo;

/* Names and messages are the viewer's choice: printed raw, an escape
 * sequence in one would drive this terminal. out gets plain ASCII only,
 * anything else as '?', cut to out_size - 1 characters (rdpshare's own tool
 * escapes them visibly instead). */
static const char *printable(char *out, size_t out_size, const char *s, size_t len)
{
	size_t n = 0;
	for (; n < len && n + 1 < out_size; n++) {
		unsigned char c = (unsigned char)s[n];
		out[n] = c >= 0x20 && c < 0x7F ? (char)c : '?';
	}
	out[n] = '\0';
	return out;
}

static void on_connected(rdpshare_session *s, rdpshare_attendee *a, void *ud)
{
	(void)s;
	(void)ud;
	/* channel access starts at NONE: this sharer trusts every viewer */
	rdpshare_channel_set_access(echo, rdpshare_attendee_id(a),
	                            RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE);
	const char *name = rdpshare_attendee_remote_name(a);
	char shown[65];
	printf("%s joined\n", printable(shown, sizeof(shown), name, strlen(name)));
}

static void on_data(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
                    const void *data, size_t len, void *ud)
{
	(void)s;
	(void)ud;
	const char *name = rdpshare_attendee_remote_name(a);
	char shown[65], text[201];
	printf("%s says %s\n", printable(shown, sizeof(shown), name, strlen(name)),
	       printable(text, sizeof(text), data, len));
	rdpshare_channel_send(ch, data, len, rdpshare_attendee_id(a), 0);
}

static void on_error(rdpshare_session *s, int result, const char *message, void *ud)
{
	(void)ud;
	fprintf(stderr, "echo_channel: %s (%s)\n", message, rdpshare_strerror(result));
	rdpshare_session_stop(s);
}

static rdpshare_session *session;

static void on_signal(int sig)
{
	(void)sig;
	/* the one call allowed from anywhere: an atomic store and a write() */
	rdpshare_session_stop(session); // NOLINT(bugprone-signal-handler,cert-sig30-c)
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: echo_channel PASSWORD [--demo] [ADDR:PORT]\n");
		return 2;
	}
	/* a line at a time even into a file or pipe (a script waits for them);
	 * set before the first output, as setvbuf requires */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* where to listen: every address on a free port unless told */
	const char *listen[2] = {NULL, NULL};
	struct rdpshare_config cfg = {.size = sizeof(struct rdpshare_config)};
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0) {
			cfg.demo = 1;
		} else {
			listen[0] = argv[i];
			cfg.listen = listen;
		}
	}
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .attendee_connected = on_connected,
	                                .channel_data = on_data,
	                                .error = on_error};
	rdpshare_invitation *inv = NULL;
	char *cs = NULL;
	int r = rdpshare_session_create(&cfg, &cb, NULL, &session);
	if (!r) {
		r = rdpshare_session_create_channel(session, "echo", RDPSHARE_CHANNEL_PRIORITY_MED,
		                                    0, &echo);
	}
	if (!r) {
		r = rdpshare_session_create_invitation(session, NULL, "echo", argv[1], 5, &inv);
	}
	if (!r) {
		r = rdpshare_session_set_property(session, "DefaultAttendeeControlLevel",
		                                  RDPSHARE_CTRL_LEVEL_VIEW);
	}
	if (!r) {
		r = rdpshare_session_open(session);
	}
	if (!r) {
		r = rdpshare_invitation_get_connection_string(inv, &cs);
	}
	if (r) {
		fprintf(stderr, "echo_channel: %s\n", rdpshare_strerror(r));
		rdpshare_session_destroy(session);
		return 1;
	}
	printf("connection-string: %s\n", cs);
	fflush(stdout);
	free(cs);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	r = rdpshare_session_run(session);
	rdpshare_session_destroy(session);
	return r ? 1 : 0;
}
