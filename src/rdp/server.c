#include "rdp/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <freerdp/channels/channels.h>
#include <winpr/wlog.h>
#include <winpr/wtsapi.h>

#include "rdp/conn.h"
#include "rdp/log.h"
#include "rdp/multiparty.h"
#include "rdpshare.h"
#include "util/clock.h"
#include "util/hostaddrs.h"
#include "util/hostport.h"
#include "util/thread.h"
#include "util/wake.h"

#define MAX_LISTEN 16

struct server {
	const struct rdp_host *host;
	struct server_config cfg;
	struct engine *engine;
	const struct tls_identity *id;
	int fds[MAX_LISTEN];
	int n_fds;
	int wake_fd;
	atomic_bool stop;
	pthread_t thread;
	pthread_mutex_t lock;
	struct conn *conns;
	atomic_uint_fast64_t roster_gen;
};

static int bind_one(const char *host, int port, int family_pref, int *fd_out, int *bound_port)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = family_pref;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	char service[16];
	snprintf(service, sizeof(service), "%d", port);
	if (getaddrinfo(host, service, &hints, &res) != 0 || !res) {
		return RDPSHARE_E_INVALIDARG;
	}
	int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		freeaddrinfo(res);
		return RDPSHARE_E_IO;
	}
	int one = 1, zero = 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (res->ai_family == AF_INET6) {
		/* "::" with AF_UNSPEC serves IPv4 too. */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, family_pref == AF_INET6 ? &one : &zero,
		           sizeof(one));
	}
	int r = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (r < 0 || listen(fd, 64) < 0) {
		int e = errno;
		close(fd);
		return e == EADDRINUSE ? RDPSHARE_E_ADDRINUSE : RDPSHARE_E_IO;
	}
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u = {0};
	socklen_t sl = sizeof(u);
	if (getsockname(fd, &u.sa, &sl) < 0) {
		close(fd);
		return RDPSHARE_E_IO;
	}
	*bound_port = ntohs(u.sa.sa_family == AF_INET6 ? u.in6.sin6_port : u.in.sin_port);
	*fd_out = fd;
	return RDPSHARE_OK;
}

static int add_addr(char ***list, int *n, const char *host, int port)
{
	char **grown = realloc(*list, sizeof(char *) * (size_t)(*n + 1));
	if (!grown) {
		return RDPSHARE_E_NOMEM;
	}
	*list = grown;
	bool v6 = strchr(host, ':') != NULL;
	if (asprintf(&grown[*n], v6 ? "[%s]:%d" : "%s:%d", host, port) < 0) {
		return RDPSHARE_E_NOMEM;
	}
	(*n)++;
	return RDPSHARE_OK;
}

/* A wildcard listener is reachable at every address of the machine: list
 * them for the connection string, outside addresses first (viewers try them
 * in order), loopback last. */
static void expand_wildcard(char ***list, int *n, int port, int family)
{
	struct util_hostaddr *own;
	size_t n_own;
	if (util_hostaddrs_list(family, &own, &n_own) < 0) {
		return;
	}
	for (size_t i = 0; i < n_own; i++) {
		add_addr(list, n, own[i].host, port);
	}
	free(own);
}

/* Unfinished logons: at most this many from one address, and in all; past
 * that the oldest are cut, so a flood of stalled handshakes cannot keep a
 * real viewer out (its own handshake takes about a second). */
#define MAX_PENDING_PER_ADDR 32
#define MAX_PENDING 128

/* Cut what took too long, and the oldest past the limits (for ip: the
 * address that just connected, or NULL). Under srv->lock. */
static void guard_pending(struct server *srv, const char *ip)
{
	int64_t now = util_clock_ms();
	int total = 0, same = 0;
	struct conn *oldest = NULL, *oldest_same = NULL;
	for (struct conn *c = srv->conns; c; c = conn_next(c)) {
		if (!conn_pending(c)) {
			continue;
		}
		if (now >= conn_deadline_ms(c)) {
			conn_cut(c);
			continue;
		}
		total++;
		if (!oldest || conn_started_ms(c) <= conn_started_ms(oldest)) {
			oldest = c;
		}
		if (ip && strcmp(conn_peer_ip(c), ip) == 0) {
			same++;
			if (!oldest_same || conn_started_ms(c) <= conn_started_ms(oldest_same)) {
				oldest_same = c;
			}
		}
	}
	if (same > MAX_PENDING_PER_ADDR) {
		conn_cut(oldest_same);
	} else if (total > MAX_PENDING) {
		conn_cut(oldest);
	}
}

/* Connections told to end that have not by their deadline are cut (their
 * thread may be stuck writing to a viewer that reads nothing). Returns how
 * long until the next deadline (ms, at most max_ms); *running: how many
 * have not finished. */
static int cut_overdue(struct server *srv, int max_ms, int *running)
{
	int64_t now = util_clock_ms();
	int64_t wait = max_ms;
	*running = 0;
	pthread_mutex_lock(&srv->lock);
	for (struct conn *c = srv->conns; c; c = conn_next(c)) {
		if (!conn_finished(c)) {
			(*running)++;
		}
		int64_t by = conn_leave_by(c);
		if (!by) {
			continue;
		}
		if (now >= by) {
			conn_cut(c);
		} else if (by - now < wait) {
			wait = by - now;
		}
	}
	pthread_mutex_unlock(&srv->lock);
	return (int)wait;
}

static void reap(struct server *srv, bool all)
{
	pthread_mutex_lock(&srv->lock);
	struct conn **pp = &srv->conns;
	while (*pp) {
		struct conn *c = *pp;
		if (all || conn_finished(c)) {
			*pp = conn_next(c);
			pthread_mutex_unlock(&srv->lock);
			conn_join_free(c);
			pthread_mutex_lock(&srv->lock);
		} else {
			pp = conn_next_ptr(c);
		}
	}
	pthread_mutex_unlock(&srv->lock);
}

int server_adopt(struct server *srv, int fd)
{
	struct conn *c = conn_start(srv, srv->host, srv->engine, srv->id, fd);
	if (!c) {
		return RDPSHARE_E_NOMEM; /* conn_start closed it */
	}
	pthread_mutex_lock(&srv->lock);
	conn_set_next(c, srv->conns);
	srv->conns = c;
	guard_pending(srv, conn_peer_ip(c));
	pthread_mutex_unlock(&srv->lock);
	return RDPSHARE_OK;
}

static void *accept_main(void *arg)
{
	struct server *srv = arg;
	struct pollfd pfd[MAX_LISTEN + 1];
	while (!atomic_load(&srv->stop)) {
		for (int i = 0; i < srv->n_fds; i++) {
			pfd[i] = (struct pollfd){srv->fds[i], POLLIN, 0};
		}
		pfd[srv->n_fds] = (struct pollfd){srv->wake_fd, POLLIN, 0};
		/* Wake at least once a second to reap finished connections, and
		 * when one told to end is due to be cut. */
		int running;
		int timeout = cut_overdue(srv, 1000, &running);
		if (poll(pfd, (nfds_t)srv->n_fds + 1, timeout) < 0 && errno != EINTR) {
			break;
		}
		util_wake_drain(srv->wake_fd);
		cut_overdue(srv, 1000, &running);
		reap(srv, false);
		pthread_mutex_lock(&srv->lock);
		guard_pending(srv, NULL);
		pthread_mutex_unlock(&srv->lock);
		for (int i = 0; i < srv->n_fds; i++) {
			if (!(pfd[i].revents & POLLIN)) {
				continue;
			}
			int fd = accept4(srv->fds[i], NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0) {
				continue;
			}
			server_adopt(srv, fd);
		}
	}
	return NULL;
}

/* Virtual channels go through WinPR's WTS API, which FreeRDP's server side
 * implements once registered (process-wide, so once). */
static void register_wts_api(void)
{
	WTSRegisterWtsApiFunctionTable(FreeRDP_InitWtsApi());
}

int server_start(const struct rdp_host *host, const struct server_config *cfg,
                 struct engine *engine, const struct tls_identity *id, struct server **out,
                 char ***addrs, int *n_addrs)
{
	/* FreeRDP logs every connection step at INFO on stdout, and every port
	 * probe as an error: routed through us, quiet unless asked (log.h) */
	rdp_log_apply(rdp_log_level());
	static pthread_once_t wts_once = PTHREAD_ONCE_INIT;
	pthread_once(&wts_once, register_wts_api);
	struct server *srv = calloc(1, sizeof(*srv));
	if (!srv) {
		return RDPSHARE_E_NOMEM;
	}
	srv->host = host;
	srv->cfg = *cfg;
	srv->engine = engine;
	srv->id = id;
	pthread_mutex_init(&srv->lock, NULL);
	*addrs = NULL;
	*n_addrs = 0;
	int proto = cfg->port_protocol;
	int family = proto == 2 ? AF_INET : proto == 23 ? AF_INET6 : AF_UNSPEC;
	int port_id = cfg->port_id;
	char *const *listen = cfg->listen;
	int r = RDPSHARE_OK;
	int chosen_port = port_id;
	if (!listen || !listen[0]) {
		const char *wild = family == AF_INET ? "0.0.0.0" : "::";
		int bound;
		r = bind_one(wild, chosen_port, family, &srv->fds[0], &bound);
		if (r == RDPSHARE_OK) {
			srv->n_fds = 1;
			expand_wildcard(addrs, n_addrs, bound, family);
		}
	} else {
		for (int i = 0; listen[i] && r == RDPSHARE_OK; i++) {
			char name[256];
			int port, bound;
			if (i >= MAX_LISTEN ||
			    hostport_split(listen[i], name, sizeof(name), &port) < 0) {
				r = RDPSHARE_E_INVALIDARG;
				break;
			}
			/* Port 0 everywhere: the first free port the system picks is
			 * reused for the other addresses, so the invitation is simple. */
			r = bind_one(name, port ? port : chosen_port, AF_UNSPEC, &srv->fds[i],
			             &bound);
			if (r == RDPSHARE_OK) {
				srv->n_fds++;
				if (!port && !chosen_port) {
					chosen_port = bound;
				}
				r = add_addr(addrs, n_addrs, name, bound);
			}
		}
	}
	srv->wake_fd = util_wake_create();
	if (r == RDPSHARE_OK && srv->wake_fd < 0) {
		r = RDPSHARE_E_IO;
	}
	if (r == RDPSHARE_OK && util_thread_start(&srv->thread, accept_main, srv) != 0) {
		r = RDPSHARE_E_NOMEM;
	}
	if (r != RDPSHARE_OK) {
		for (int i = 0; i < srv->n_fds; i++) {
			close(srv->fds[i]);
		}
		if (srv->wake_fd >= 0) {
			close(srv->wake_fd);
		}
		for (int i = 0; i < *n_addrs; i++) {
			free((*addrs)[i]);
		}
		free(*addrs);
		*addrs = NULL;
		*n_addrs = 0;
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		return r;
	}
	*out = srv;
	return RDPSHARE_OK;
}

void server_stop(struct server *srv)
{
	if (!srv) {
		return;
	}
	atomic_store(&srv->stop, true);
	util_wake_poke(srv->wake_fd);
	pthread_join(srv->thread, NULL);
	for (int i = 0; i < srv->n_fds; i++) {
		close(srv->fds[i]);
	}
	pthread_mutex_lock(&srv->lock);
	for (struct conn *c = srv->conns; c; c = conn_next(c)) {
		conn_close_silently(c);
	}
	pthread_mutex_unlock(&srv->lock);
	/* each has its grace period to say goodbye; one stuck writing to a
	 * viewer that reads nothing is cut then, so the joins below end */
	int running;
	for (;;) {
		int wait = cut_overdue(srv, 1000, &running);
		if (running == 0) {
			break;
		}
		poll(NULL, 0, wait < 10 ? wait : 10);
	}
	reap(srv, true);
	close(srv->wake_fd);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

int server_roster(struct server *srv, struct roster_entry *out, int max)
{
	int n = 0;
	pthread_mutex_lock(&srv->lock);
	for (struct conn *c = srv->conns; c && n < max; c = conn_next(c)) {
		if (conn_roster_entry(c, &out[n])) {
			n++;
		}
	}
	pthread_mutex_unlock(&srv->lock);
	return n;
}

void server_roster_changed(struct server *srv)
{
	if (srv) {
		atomic_fetch_add(&srv->roster_gen, 1);
		server_poke_all(srv);
	}
}

uint64_t server_roster_gen(struct server *srv)
{
	return atomic_load(&srv->roster_gen);
}

void server_wake(struct server *srv)
{
	if (srv) {
		util_wake_poke(srv->wake_fd);
	}
}

void server_poke_all(struct server *srv)
{
	if (!srv) {
		return;
	}
	pthread_mutex_lock(&srv->lock);
	for (struct conn *c = srv->conns; c; c = conn_next(c)) {
		conn_wake(c);
	}
	pthread_mutex_unlock(&srv->lock);
}
