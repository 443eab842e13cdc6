/* Test helper and API example: a program that has its own socket to a viewer
 * (here: it listens on a loopback port itself and accepts one connection)
 * and hands it to a demo sharing session with
 * rdpshare_session_connect_using_transport. Prints "port: N" when ready and
 * one line per attendee event; exits when the attendee leaves or after 30 s.
 *   transport_relay PASSWORD */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdpshare.h"

static int done;

static void on_connected(rdpshare_session *s, rdpshare_attendee *a, void *ud)
{
	(void)s;
	(void)ud;
	printf("connected %s\n", rdpshare_attendee_remote_name(a));
	fflush(stdout);
}

static void on_disconnected(rdpshare_session *s, rdpshare_attendee *a,
                            enum rdpshare_disconnect_reason reason, int code, void *ud)
{
	(void)s;
	(void)ud;
	(void)code;
	printf("disconnected %s %s\n", rdpshare_attendee_remote_name(a),
	       rdpshare_disconnect_reason_name(reason));
	fflush(stdout);
	done = 1;
}

static void on_refused(rdpshare_session *s, enum rdpshare_refusal why, const char *name,
                       const char *address, void *ud)
{
	(void)s;
	(void)ud;
	(void)address;
	printf("refused %s %s\n", name ? name : "", rdpshare_refusal_name(why));
	fflush(stdout);
	done = 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: transport_relay PASSWORD\n");
		return 2;
	}
	const char *addrs[] = {"127.0.0.1:0", NULL};
	struct rdpshare_config cfg = {
	    .size = sizeof(struct rdpshare_config), .demo = 1, .listen = addrs};
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .attendee_connected = on_connected,
	                                .attendee_disconnected = on_disconnected,
	                                .attendee_refused = on_refused};
	rdpshare_session *s = NULL;
	rdpshare_invitation *inv = NULL;
	int r = rdpshare_session_create(&cfg, &cb, NULL, &s);
	if (!r) {
		r = rdpshare_session_create_invitation(s, NULL, "relay", argv[1], 1, &inv);
	}
	if (!r) {
		r = rdpshare_session_set_property(s, "DefaultAttendeeControlLevel",
		                                  RDPSHARE_CTRL_LEVEL_VIEW);
	}
	if (!r) {
		r = rdpshare_session_open(s);
	}
	if (r) {
		fprintf(stderr, "transport_relay: %s\n", rdpshare_strerror(r));
		rdpshare_session_destroy(s);
		return 1;
	}
	/* the application's own connection to its viewer */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0) {
		perror("transport_relay");
		rdpshare_session_destroy(s);
		return 1;
	}
	printf("port: %d\n", ntohs(sa.sin_port));
	fflush(stdout);
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	close(lfd);
	r = fd < 0 ? RDPSHARE_E_IO : rdpshare_session_connect_using_transport(s, fd);
	if (r) {
		fprintf(stderr, "transport_relay: %s\n", rdpshare_strerror(r));
		rdpshare_session_destroy(s);
		return 1;
	}
	for (int ms = 0; !done && ms < 30000; ms += 100) {
		struct pollfd pfd = {rdpshare_session_get_fd(s), POLLIN, 0};
		if (poll(&pfd, 1, 100) > 0) {
			rdpshare_session_dispatch(s);
		}
	}
	rdpshare_session_destroy(s);
	return done ? 0 : 1;
}
