/* Reverse connect (ConnectToClient) and transport streams: viewers reached
 * over sockets the sharer did not accept. A dial runs on a worker thread so
 * the owner thread never blocks; Close stops and joins them before the
 * server goes away. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdp/server.h"
#include "session_internal.h"
#include "util/connstr.h"
#include "util/thread.h"
#include "util/wake.h"

#define DIAL_TIMEOUT_MS 5000

struct dial {
	rdpshare_session *s;
	struct server *srv;
	int stop_fd;
	struct connstr cs;
	pthread_t thread;
	atomic_bool done; /* the thread may be joined */
};

/* Connect to one resolved address, giving up on timeout or stop. Returns
 * the connected socket or a negative errno. */
static int dial_one(const struct addrinfo *ai, int stop_fd)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		return -errno;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		return -e;
	}
	struct pollfd pfd[2] = {{fd, POLLOUT, 0}, {stop_fd, POLLIN, 0}};
	int r = poll(pfd, 2, DIAL_TIMEOUT_MS);
	int err = 0;
	socklen_t len = sizeof(err);
	if (r <= 0 || (pfd[1].revents & POLLIN)) {
		err = r == 0 ? ETIMEDOUT : ECANCELED;
	} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
		err = errno;
	}
	if (err) {
		close(fd);
		return -err;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static void *dial_main(void *arg)
{
	struct dial *d = arg;
	char why[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < d->cs.n_addrs; i++) {
		char port[8];
		snprintf(port, sizeof(port), "%u", d->cs.addrs[i].port);
		struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
		int g = getaddrinfo(d->cs.addrs[i].host, port, &hints, &res);
		int fd = g ? -EHOSTUNREACH : -ECONNREFUSED;
		for (const struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
			fd = dial_one(ai, d->stop_fd);
		}
		if (res) {
			freeaddrinfo(res);
		}
		if (fd >= 0) {
			server_adopt(d->srv, fd);
			atomic_store(&d->done, true);
			return NULL;
		}
		if (fd == -ECANCELED) {
			break; /* the session is closing */
		}
		if (used < sizeof(why)) {
			used += (size_t)snprintf(why + used, sizeof(why) - used, "%s%s:%s %s",
			                         used ? ", " : "", d->cs.addrs[i].host, port,
			                         g ? gai_strerror(g) : strerror(-fd));
		}
	}
	char msg[600];
	snprintf(msg, sizeof(msg), "could not reach the viewer: %s", why[0] ? why : "closing");
	session_post_connection_failed(d->s, msg);
	atomic_store(&d->done, true);
	return NULL;
}

static void join_free(struct dial *d)
{
	pthread_join(d->thread, NULL);
	connstr_clear(&d->cs);
	free(d);
}

/* Forget finished dials (owner thread). */
static void reap(rdpshare_session *s)
{
	int n = 0;
	for (int i = 0; i < s->n_dialers; i++) {
		if (atomic_load(&s->dialers[i]->done)) {
			join_free(s->dialers[i]);
		} else {
			s->dialers[n++] = s->dialers[i];
		}
	}
	s->n_dialers = n;
}

int reverse_connect_start(rdpshare_session *s, const char *connection_string)
{
	reap(s);
	if (s->n_dialers == SESSION_MAX_DIALERS) {
		return RDPSHARE_E_UNEXPECTED; /* that many dials under way at once */
	}
	if (s->dial_stop_fd < 0) {
		s->dial_stop_fd = util_wake_create();
		if (s->dial_stop_fd < 0) {
			return RDPSHARE_E_IO;
		}
	}
	struct dial *d = calloc(1, sizeof(*d));
	if (!d) {
		return RDPSHARE_E_NOMEM;
	}
	if (connstr_parse(connection_string, strlen(connection_string), &d->cs) != 0) {
		free(d);
		return RDPSHARE_E_INVALIDARG;
	}
	d->s = s;
	d->srv = s->server;
	d->stop_fd = s->dial_stop_fd;
	if (util_thread_start(&d->thread, dial_main, d) != 0) {
		connstr_clear(&d->cs);
		free(d);
		return RDPSHARE_E_NOMEM;
	}
	s->dialers[s->n_dialers++] = d;
	return RDPSHARE_OK;
}

void reverse_connect_stop_all(rdpshare_session *s)
{
	if (s->dial_stop_fd >= 0) {
		util_wake_poke(s->dial_stop_fd);
	}
	for (int i = 0; i < s->n_dialers; i++) {
		join_free(s->dialers[i]);
	}
	s->n_dialers = 0;
	if (s->dial_stop_fd >= 0) {
		close(s->dial_stop_fd);
		s->dial_stop_fd = -1;
	}
}
