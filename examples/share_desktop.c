/* share_desktop: the smallest sharer. One session, one invitation, its
 * connection string printed, then every event handled on this thread by
 * rdpshare_session_run() until Ctrl+C. The program of librdpshare(3).
 *
 *   share_desktop PASSWORD [--demo]
 *   rdpview --password PASSWORD CONNECTION-STRING */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rdpshare.h>

static rdpshare_session *session;

static void on_connected(rdpshare_session *s, rdpshare_attendee *a, void *userdata)
{
	(void)s;
	(void)userdata;
	/* the name is the viewer's choice: a real program escapes it */
	printf("attendee %d joined\n", rdpshare_attendee_id(a));
}

static void on_signal(int sig)
{
	(void)sig;
	/* the one call allowed from any thread and from a signal handler */
	rdpshare_session_stop(session); // NOLINT(bugprone-signal-handler,cert-sig30-c)
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: share_desktop PASSWORD [--demo]\n");
		return 2;
	}
	struct rdpshare_config cfg = {.size = sizeof(cfg)};
	cfg.demo = argc > 2 && strcmp(argv[2], "--demo") == 0;
	struct rdpshare_callbacks cb = {.size = sizeof(cb), .attendee_connected = on_connected};
	rdpshare_invitation *inv = NULL;
	char *cs = NULL;
	int r = rdpshare_session_create(&cfg, &cb, NULL, &session);
	if (r == RDPSHARE_OK) {
		/* NULL ticket: generated; group "", at most 5 viewers at once */
		r = rdpshare_session_create_invitation(session, NULL, NULL, argv[1], 5, &inv);
	}
	if (r == RDPSHARE_OK) {
		r = rdpshare_session_open(session); /* listens from now on */
	}
	if (r == RDPSHARE_OK) {
		r = rdpshare_invitation_get_connection_string(inv, &cs);
	}
	if (r != RDPSHARE_OK) {
		fprintf(stderr, "share_desktop: %s\n", rdpshare_strerror(r));
		rdpshare_session_destroy(session); /* NULL is fine */
		return 1;
	}
	printf("connection-string: %s\n", cs);
	fflush(stdout);
	free(cs); /* ours: malloc'd by the library */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	r = rdpshare_session_run(session); /* callbacks run in here */
	rdpshare_session_destroy(session);
	return r < 0 ? 1 : 0;
}
