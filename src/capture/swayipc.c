#include "capture/swayipc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "capture/peer_json.h"
#include "capture/swaytree.h"
#include "capture/winlist.h"
#include "util/clock.h"

/* i3-ipc framing: magic, payload length, message type, in host order */
#define MAGIC "i3-ipc"
#define MAGIC_LEN 6
#define HEADER_LEN (MAGIC_LEN + 8)
#define RUN_COMMAND 0u
#define SUBSCRIBE 2u
#define GET_TREE 4u
#define EVENT_BIT 0x80000000u
#define SMALL_REPLY (64u << 10)   /* commands and subscribe answer in a few bytes */
#define EVENT_BUDGET (256u << 10) /* bytes of events one process() reads */

struct swayipc {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *output; /* the output described, fixed at create */
	int ev;       /* subscribed to events; its replies are only counted */
	int cmd;      /* get_tree and commands; -1 until (re)connected */
	int timer;
	bool armed; /* the one-shot refresh timer runs */
	int ep;
	unsigned char hdr[HEADER_LEN]; /* the event being read: header, then */
	size_t hdr_have;
	size_t skip; /* payload bytes still to pass over (the tree is fetched anyway) */
	bool dirty;
	int dead; /* 0, or the error that ended the event connection */
	struct swaytree tree;
	uint64_t serial;
};

static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - util_clock_ms();
		if (left <= 0) {
			return -ETIMEDOUT;
		}
		struct pollfd p = {fd, events, 0};
		int r = poll(&p, 1, (int)left);
		if (r > 0) {
			return 0; /* ready, or an error the next call reports */
		}
		if (r < 0 && errno != EINTR) {
			return -errno;
		}
	}
}

static int connect_to(const char *path, int64_t deadline, int *out)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		return -errno;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* a non-blocking connect on a Unix socket fails with EAGAIN while the
	 * listener's backlog is full; it never stays in progress */
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		if (e != EAGAIN && e != EINTR) {
			close(fd);
			return -e;
		}
		if (util_clock_ms() >= deadline) {
			close(fd);
			return -ETIMEDOUT;
		}
		if (e == EAGAIN) {
			poll(NULL, 0, 10);
		}
	}
	*out = fd;
	return 0;
}

static int send_all(int fd, const void *buf, size_t len, int64_t deadline)
{
	const char *p = buf;
	while (len > 0) {
		/* MSG_NOSIGNAL: sway gone must be an error, not SIGPIPE */
		ssize_t r = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			p += r;
			len -= (size_t)r;
			continue;
		}
		if (r < 0 && errno != EAGAIN && errno != EINTR) {
			return -errno;
		}
		int w = wait_fd(fd, POLLOUT, deadline);
		if (w < 0) {
			return w;
		}
	}
	return 0;
}

static int recv_all(int fd, void *buf, size_t len, int64_t deadline)
{
	char *p = buf;
	while (len > 0) {
		ssize_t r = recv(fd, p, len, MSG_DONTWAIT);
		if (r > 0) {
			p += r;
			len -= (size_t)r;
			continue;
		}
		if (r == 0) {
			return -EPIPE;
		}
		if (errno != EAGAIN && errno != EINTR) {
			return -errno;
		}
		int w = wait_fd(fd, POLLIN, deadline);
		if (w < 0) {
			return w;
		}
	}
	return 0;
}

static int check_header(const unsigned char *h, uint32_t *len, uint32_t *type, uint32_t max)
{
	if (memcmp(h, MAGIC, MAGIC_LEN) != 0) {
		return -EPROTO;
	}
	memcpy(len, h + MAGIC_LEN, 4);
	memcpy(type, h + MAGIC_LEN + 4, 4);
	return *len > max ? -EPROTO : 0;
}

/* One request and its reply on fd, within SWAYIPC_TIMEOUT_MS. The reply is
 * at most max bytes (else -EPROTO before anything is allocated); *reply is
 * malloc'd and NUL-terminated. */
static int request(int fd, uint32_t type, const char *payload, uint32_t max, char **reply,
                   size_t *len)
{
	int64_t deadline = util_clock_ms() + SWAYIPC_TIMEOUT_MS;
	size_t plen = strlen(payload);
	unsigned char h[HEADER_LEN];
	uint32_t l32 = (uint32_t)plen, t32 = type;
	memcpy(h, MAGIC, MAGIC_LEN);
	memcpy(h + MAGIC_LEN, &l32, 4);
	memcpy(h + MAGIC_LEN + 4, &t32, 4);
	int r = send_all(fd, h, sizeof(h), deadline);
	if (r == 0) {
		r = send_all(fd, payload, plen, deadline);
	}
	if (r == 0) {
		r = recv_all(fd, h, sizeof(h), deadline);
	}
	uint32_t rlen = 0, rtype = 0;
	if (r == 0) {
		r = check_header(h, &rlen, &rtype, max);
	}
	if (r == 0 && rtype != type) {
		r = -EPROTO;
	}
	if (r < 0) {
		return r;
	}
	char *buf = malloc((size_t)rlen + 1);
	if (!buf) {
		return -ENOMEM;
	}
	r = recv_all(fd, buf, rlen, deadline);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[rlen] = '\0';
	*reply = buf;
	*len = rlen;
	return 0;
}

/* A request on the command connection. A failed round trip leaves that
 * stream at an unknown place (a late reply would answer the next request),
 * so it is dropped and the next request connects again. */
static int command(struct swayipc *s, uint32_t type, const char *payload, uint32_t max,
                   char **reply, size_t *len)
{
	int r = 0;
	if (s->cmd < 0) {
		r = connect_to(s->path, util_clock_ms() + SWAYIPC_TIMEOUT_MS, &s->cmd);
	}
	if (r == 0) {
		r = request(s->cmd, type, payload, max, reply, len);
	}
	if (r < 0 && s->cmd >= 0) {
		close(s->cmd);
		s->cmd = -1;
	}
	return r;
}

/* Fetch and parse the tree into t (swaytree_parse's errors, or the IPC's). */
static int fetch(struct swayipc *s, struct swaytree *t)
{
	char *json = NULL;
	size_t len = 0;
	int r = command(s, GET_TREE, "", SWAYTREE_MAX_JSON, &json, &len);
	if (r < 0) {
		memset(t, 0, sizeof(*t));
		return r;
	}
	r = swaytree_parse(t, json, len, s->output);
	free(json);
	if (r == 0) {
		winlist_name_processes(t->v, t->n, s->tree.v, s->tree.n);
	}
	return r;
}

static int refresh(struct swayipc *s)
{
	struct swaytree t;
	int r = fetch(s, &t);
	if (r == -EINVAL) {
		return -EPROTO; /* sway answered something that is no tree */
	}
	if (r < 0 && r != -ENODEV) {
		return r; /* -ENODEV: the output went away, so nothing is on it */
	}
	s->dirty = false;
	if (winlist_same(t.v, t.n, s->tree.v, s->tree.n)) {
		s->tree.focus = t.focus;
		swaytree_finish(&t);
		return 0;
	}
	swaytree_finish(&s->tree);
	s->tree = t;
	s->serial++;
	return 1;
}

/* Consume n bytes of the event stream: headers are checked, payloads
 * skipped (any event means "fetch the tree"). */
static int eat_events(struct swayipc *s, const unsigned char *p, size_t n)
{
	while (n > 0) {
		if (s->skip > 0) {
			size_t k = s->skip < n ? s->skip : n;
			s->skip -= k;
			p += k;
			n -= k;
			continue;
		}
		size_t k = HEADER_LEN - s->hdr_have;
		k = k < n ? k : n;
		memcpy(s->hdr + s->hdr_have, p, k);
		s->hdr_have += k;
		p += k;
		n -= k;
		if (s->hdr_have < HEADER_LEN) {
			break;
		}
		uint32_t len, type;
		int r = check_header(s->hdr, &len, &type, SWAYTREE_MAX_JSON);
		if (r < 0) {
			return r;
		}
		if (type & EVENT_BIT) {
			s->dirty = true;
		}
		s->skip = len;
		s->hdr_have = 0;
	}
	return 0;
}

static int read_events(struct swayipc *s)
{
	unsigned char buf[16384];
	for (size_t total = 0; total < EVENT_BUDGET;) {
		ssize_t r = recv(s->ev, buf, sizeof(buf), MSG_DONTWAIT);
		if (r == 0) {
			return -EPIPE; /* sway exited */
		}
		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			return errno == EAGAIN ? 0 : -errno;
		}
		int e = eat_events(s, buf, (size_t)r);
		if (e < 0) {
			return e;
		}
		total += (size_t)r;
	}
	return 0; /* more waits: the fd stays readable for the next call */
}

int swayipc_process(struct swayipc *s)
{
	if (s->dead) {
		return s->dead;
	}
	uint64_t ticks;
	if (read(s->timer, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks)) {
		s->dirty = true;
		s->armed = false;
	}
	int r = read_events(s);
	if (r < 0) {
		s->dead = r;
		return r;
	}
	return s->dirty ? refresh(s) : 0;
}

void swayipc_touch(struct swayipc *s)
{
	if (!s || s->dead || s->armed) {
		return;
	}
	/* one fetch per period at most, however much changes: a one-shot timer,
	 * so a still screen costs no wake-up at all */
	struct itimerspec once = {{0, 0}, {0, SWAYIPC_REFRESH_MS * 1000000L}};
	if (timerfd_settime(s->timer, 0, &once, NULL) == 0) {
		s->armed = true;
	}
}

int swayipc_fd(struct swayipc *s)
{
	return s->ep;
}

int swayipc_windows(struct swayipc *s, const struct cap_window **out, uint64_t *serial)
{
	*out = s->tree.v;
	*serial = s->serial;
	return s->tree.n;
}

int swayipc_raise(struct swayipc *s, uint32_t id)
{
	bool known = false;
	for (int i = 0; i < s->tree.n && !known; i++) {
		known = s->tree.v[i].id == id;
	}
	if (!known) {
		return -ENOENT;
	}
	char cmd[48], *reply = NULL;
	size_t len = 0;
	snprintf(cmd, sizeof(cmd), "[con_id=%u] focus", id);
	int r = command(s, RUN_COMMAND, cmd, SMALL_REPLY, &reply, &len);
	if (r < 0) {
		return r;
	}
	r = swaytree_success(reply, len);
	free(reply);
	return r == -EINVAL ? -EPROTO : r;
}

int swayipc_focus(struct swayipc *s, uint32_t *id)
{
	if (!s->tree.focus) {
		return -ENOENT;
	}
	*id = s->tree.focus;
	return 0;
}

static int subscribe(struct swayipc *s)
{
	int r = connect_to(s->path, util_clock_ms() + SWAYIPC_TIMEOUT_MS, &s->ev);
	/* window: new, close, focus, title, move, floating, fullscreen;
	 * workspace: which one is shown; output: its size or scale, where sway
	 * has that event (1.7 has not and refuses the whole request, which then
	 * subscribed to nothing: the second try goes without it) */
	static const char *const sets[] = {"[\"window\",\"workspace\",\"output\"]",
	                                   "[\"window\",\"workspace\"]"};
	for (size_t i = 0; i < 2 && r == 0; i++) {
		char *reply = NULL;
		size_t len = 0;
		r = request(s->ev, SUBSCRIBE, sets[i], SMALL_REPLY, &reply, &len);
		if (r == 0) {
			r = swaytree_success(reply, len);
			free(reply);
			if (r == 0) {
				return 0;
			}
			r = r == -ENOENT && i == 0 ? 0 : -EPROTO;
		}
	}
	return r;
}

static int watch(struct swayipc *s)
{
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	s->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->ep < 0 || s->timer < 0) {
		return -errno;
	}
	struct epoll_event e1 = {.events = EPOLLIN, .data.fd = s->ev};
	struct epoll_event e2 = {.events = EPOLLIN, .data.fd = s->timer};
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->ev, &e1) < 0 ||
	    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->timer, &e2) < 0) {
		return -errno;
	}
	return 0;
}

struct swayipc *swayipc_create(const char *sock_path, const char *output, int *err)
{
	const char *path = sock_path ? sock_path : getenv("SWAYSOCK");
	if (!path || !*path) {
		*err = -ENOENT;
		return NULL;
	}
	struct swayipc *s = calloc(1, sizeof(*s));
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	s->ev = s->cmd = s->timer = s->ep = -1;
	int r = strlen(path) < sizeof(s->path) ? 0 : -ENAMETOOLONG;
	if (r == 0) {
		memcpy(s->path, path, strlen(path) + 1);
		/* subscribed before the first tree, so no change falls between */
		r = subscribe(s);
	}
	if (r == 0) {
		r = watch(s);
	}
	struct swaytree first = {0};
	if (r == 0) {
		s->output = output ? strdup(output) : NULL;
		r = output && !s->output ? -ENOMEM : fetch(s, &first);
		s->tree = first;
	}
	if (r == -EINVAL) {
		r = -EPROTO;
	}
	if (r == 0 && !s->output) {
		/* the first active output now stays the one described */
		s->output = strdup(s->tree.output);
		r = s->output ? 0 : -ENOMEM;
	}
	if (r < 0) {
		swayipc_destroy(s);
		*err = r;
		return NULL;
	}
	s->serial = 1;
	return s;
}

void swayipc_destroy(struct swayipc *s)
{
	if (!s) {
		return;
	}
	int fds[] = {s->ev, s->cmd, s->timer, s->ep};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (fds[i] >= 0) {
			close(fds[i]);
		}
	}
	swaytree_finish(&s->tree);
	free(s->output);
	free(s);
}
