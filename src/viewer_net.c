/* The viewer's network thread: what a target means (a connection string,
 * an invitation file, HOST:PORT, a reverse listen), which key the sharer
 * must show, trying each address, and the FreeRDP client's reports turned
 * into events for the owner thread (pictures go to the stage). */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdp/encomsp.h"
#include "util/clock.h"
#include "util/hostaddrs.h"
#include "util/hostport.h"
#include "util/knownhosts.h"
#include "util/thread.h"
#include "util/wake.h"
#include "viewer_internal.h"

/* Events a sharer can repeat at will with a few bytes each (multiparty
 * PDUs, channel messages) wait within VIEWER_MAX_QUEUED_DATA, each counted
 * at least 64 bytes, so a sharer flooding an application that dispatches
 * slowly cannot grow it without bound: beyond that they are dropped. The
 * rest come once a connection, are merged while one waits (pictures,
 * resizes), or each cost the sharer a channel round trip (channel open and
 * close), and are never dropped. */
void viewer_post(rdpshare_viewer *v, struct event *ev)
{
	if (!ev) {
		return;
	}
	switch (ev->type) {
	case EV_V_MULTIPARTY:
	case EV_V_CHANNEL_DATA:
		if (ev->len < 64) {
			ev->len = 64; /* a nominal cost; only CHANNEL_DATA reads len */
		}
		if (!event_queue_push_bounded(&v->q, ev, VIEWER_MAX_QUEUED_DATA)) {
			event_free(ev);
		}
		break;
	default:
		event_queue_push(&v->q, ev);
		break;
	}
}

/* ---- the client's reports (network thread) ---- */

static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void on_certificate(void *ctx, const struct rdpshare_viewer_certificate *c)
{
	struct event *ev = event_new(EV_V_CERT);
	struct viewer_cert_ev *ce = ev ? calloc(1, sizeof(*ce)) : NULL;
	if (!ce) {
		free(ev);
		return;
	}
	ce->c = *c;
	copy_str(ce->host, sizeof(ce->host), c->host);
	copy_str(ce->kh, sizeof(ce->kh), c->kh);
	copy_str(ce->expected, sizeof(ce->expected), c->expected);
	copy_str(ce->from, sizeof(ce->from), c->expected_from);
	copy_str(ce->known_hosts, sizeof(ce->known_hosts), c->known_hosts);
	ev->data = ce;
	viewer_post(ctx, ev);
}

static void on_connected(void *ctx)
{
	viewer_post(ctx, event_new(EV_V_CONNECTED));
}

static void on_authenticated(void *ctx, int w, int h)
{
	rdpshare_viewer *v = ctx;
	pthread_mutex_lock(&v->lock);
	v->connected_us = util_clock_us();
	pthread_mutex_unlock(&v->lock);
	struct event *ev = event_new(EV_V_AUTHENTICATED);
	if (ev) {
		ev->i1 = w;
		ev->i2 = h;
	}
	viewer_post(v, ev);
}

/* Resizes are merged like pictures: the newest size waits, one event
 * posted, so a sharer resizing in a loop cannot fill the queue. */
static void on_resized(void *ctx, int w, int h, int bpp)
{
	rdpshare_viewer *v = ctx;
	pthread_mutex_lock(&v->lock);
	v->size_w = w;
	v->size_h = h;
	v->size_bpp = bpp;
	bool post = !v->size_posted;
	v->size_posted = true;
	pthread_mutex_unlock(&v->lock);
	if (post) {
		viewer_post(v, event_new(EV_V_SIZE));
	}
}

static void add_damage(rdpshare_viewer *v, struct rdpshare_viewer_rect r)
{
	if (v->n_damage < VIEWER_MAX_DAMAGE) {
		v->damage[v->n_damage++] = r;
		return;
	}
	/* too many to list: the bounding box of them all */
	struct rdpshare_viewer_rect *b = &v->damage[0];
	for (int i = 0; i < v->n_damage; i++) {
		r.width = (r.x + r.width > v->damage[i].x + v->damage[i].width
		               ? r.x + r.width
		               : v->damage[i].x + v->damage[i].width);
		r.height = (r.y + r.height > v->damage[i].y + v->damage[i].height
		                ? r.y + r.height
		                : v->damage[i].y + v->damage[i].height);
		r.x = r.x < v->damage[i].x ? r.x : v->damage[i].x;
		r.y = r.y < v->damage[i].y ? r.y : v->damage[i].y;
		r.width -= r.x;
		r.height -= r.y;
	}
	*b = r;
	v->n_damage = 1;
}

static void on_picture(void *ctx, const uint8_t *buf, int stride, int w, int h,
                       const struct rdpshare_viewer_rect *rects, int n)
{
	rdpshare_viewer *v = ctx;
	int64_t now = util_clock_us();
	const struct rdpshare_viewer_rect whole = {0, 0, w, h};
	pthread_mutex_lock(&v->lock);
	if (v->sw != w || v->sh != h || !v->stage) {
		uint8_t *p = calloc((size_t)w * (size_t)h, 4);
		if (!p) {
			pthread_mutex_unlock(&v->lock);
			return;
		}
		free(v->stage);
		v->stage = p;
		v->sw = w;
		v->sh = h;
		v->n_damage = 0;
		rects = &whole; /* a new size: all of it */
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		struct rdpshare_viewer_rect r = rects[i];
		int x1 = r.x < 0 ? 0 : r.x, y1 = r.y < 0 ? 0 : r.y;
		int x2 = r.x + r.width > w ? w : r.x + r.width;
		int y2 = r.y + r.height > h ? h : r.y + r.height;
		if (x2 <= x1 || y2 <= y1) {
			continue;
		}
		for (int y = y1; y < y2; y++) {
			memcpy(v->stage + ((size_t)y * (size_t)w + (size_t)x1) * 4,
			       buf + (size_t)y * (size_t)stride + (size_t)x1 * 4,
			       (size_t)(x2 - x1) * 4);
		}
		add_damage(v, (struct rdpshare_viewer_rect){x1, y1, x2 - x1, y2 - y1});
	}
	v->updates++;
	v->arrived_us = now;
	if (!v->first_update_us) {
		v->first_update_us = now;
	}
	bool post = !v->frame_posted;
	v->frame_posted = true;
	pthread_mutex_unlock(&v->lock);
	if (post) {
		viewer_post(v, event_new(EV_V_FRAME));
	}
}

static void on_multiparty(void *ctx, const uint8_t *msg, size_t len)
{
	size_t off = 0;
	static __thread struct encomsp_pdu pdu; /* large */
	while (off < len) {
		int used = encomsp_parse(msg + off, len - off, &pdu);
		if (used < 0) {
			return; /* malformed: the rest of the message is dropped */
		}
		off += (size_t)used;
		struct event *ev = event_new(EV_V_MULTIPARTY);
		struct viewer_mp_ev *m = ev ? calloc(1, sizeof(*m)) : NULL;
		char *name = m ? strdup(pdu.name) : NULL;
		if (!name) {
			free(m);
			free(ev);
			continue;
		}
		*m = (struct viewer_mp_ev){pdu.type,      pdu.flags,     pdu.id,    pdu.app,
		                           pdu.disc_type, pdu.disc_code, pdu.reason};
		ev->data = m;
		ev->s1 = name;
		ev->len = sizeof(*m) + strlen(name);
		viewer_post(ctx, ev);
	}
}

static void on_channel_open(void *ctx, int index, bool open)
{
	struct event *ev = event_new(EV_V_CHANNEL_OPEN);
	if (ev) {
		ev->i1 = index;
		ev->i2 = open;
	}
	viewer_post(ctx, ev);
}

static void on_channel_data(void *ctx, int index, const uint8_t *data, size_t len)
{
	rdpshare_viewer *v = ctx;
	struct event *ev = event_new(EV_V_CHANNEL_DATA);
	if (!ev || !(ev->data = malloc(len))) {
		free(ev);
		return;
	}
	memcpy(ev->data, data, len);
	ev->len = len;
	ev->i1 = index;
	ev->i2 = (int)len;  /* (len is the queue's cost) */
	viewer_post(v, ev); /* dropped when the application is far behind */
}

const struct rdp_client_listener viewer_listener_proto = {
    .certificate = on_certificate,
    .connected = on_connected,
    .authenticated = on_authenticated,
    .resized = on_resized,
    .picture = on_picture,
    .multiparty = on_multiparty,
    .channel_open = on_channel_open,
    .channel_data = on_channel_data,
};

/* ---- targets ---- */

void viewer_job_free(struct viewer_job *j)
{
	if (!j) {
		return;
	}
	connstr_clear(&j->cs);
	if (j->listen_fd >= 0) {
		close(j->listen_fd);
	}
	free(j->name);
	if (j->password) {
		explicit_bzero(j->password, strlen(j->password));
	}
	free(j->password);
	free(j->expect_kh);
	free(j);
}

/* The connection string of target: the string itself, or an invitation
 * file's; NULL with *plain for HOST:PORT. Ownership: malloc'd. */
static int target_connstr(const char *target, char **out, bool *plain)
{
	*out = NULL;
	*plain = false;
	const char *p = target + strspn(target, " \t\r\n");
	if (*p == '<') {
		*out = strdup(p);
		return *out ? 0 : -ENOMEM;
	}
	struct stat st;
	if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
		return invfile_read(target, out);
	}
	*plain = true;
	return 0;
}

int viewer_job_for_target(rdpshare_viewer *v, const char *target, struct viewer_job **out)
{
	struct viewer_job *j = calloc(1, sizeof(*j));
	if (!j) {
		return RDPSHARE_E_NOMEM;
	}
	j->listen_fd = -1;
	char *text = NULL;
	bool plain = false;
	int r = target ? target_connstr(target, &text, &plain) : 0;
	if (r == -ENOMEM) {
		r = RDPSHARE_E_NOMEM;
	} else if (r < 0) {
		r = RDPSHARE_E_INVALIDARG; /* a file that holds no invitation */
	} else if (plain) {
		char host[sizeof(j->cs.addrs[0].host)];
		int port = 0;
		if (hostport_split(target, host, sizeof(host), &port) != 0 || port == 0) {
			r = RDPSHARE_E_INVALIDARG;
		} else {
			snprintf(j->cs.addrs[0].host, sizeof(j->cs.addrs[0].host), "%s", host);
			j->cs.addrs[0].port = (uint16_t)port;
			j->cs.n_addrs = 1;
		}
	} else if (text) {
		r = connstr_parse(text, strlen(text), &j->cs) == 0 ? RDPSHARE_OK
		                                                   : RDPSHARE_E_INVALIDARG;
		j->ticket = r == 0 && j->cs.auth_id && j->cs.auth_id[0] ? j->cs.auth_id : NULL;
	}
	free(text);
	/* The pin, before anything is sent: the invitation's KH, else the
	 * configured one, else known-hosts (HOST:PORT only has a name to
	 * record a key under), else insecure. */
	/* an invitation's KH is the sharer's to choose too: one that is no key
	 * hash pins nothing (and is no text to show) */
	if (r == 0 && j->cs.kh && !knownhosts_valid_kh(j->cs.kh)) {
		r = RDPSHARE_E_INVALIDARG;
	}
	const char *kh = j->cs.kh ? j->cs.kh : v->kh;
	if (r == 0 && kh && !(j->expect_kh = strdup(kh))) {
		r = RDPSHARE_E_NOMEM;
	}
	j->expect_from = j->cs.kh ? "invitation" : "pinned";
	j->known_hosts = !kh && v->known_hosts;
	j->insecure = v->insecure;
	if (r == 0 && !kh && !v->known_hosts && !v->insecure) {
		r = RDPSHARE_E_INVALIDARG; /* nothing to check the sharer's key against */
	}
	if (r != 0) {
		viewer_job_free(j);
		return r;
	}
	*out = j;
	return RDPSHARE_OK;
}

/* ---- reverse connect ---- */

int viewer_listen(const char *spec, int *fd_out, char **connstr)
{
	/* "PORT", or "ADDR:PORT" / "[V6]:PORT" */
	char host[256] = "0.0.0.0";
	int port = 0;
	if (spec[0] && strspn(spec, "0123456789") == strlen(spec)) {
		port = strlen(spec) <= 5 ? atoi(spec) : -1;
	} else if (hostport_split(spec, host, sizeof(host), &port) != 0 || !strchr(spec, ':')) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (port < 0 || port > 65535) {
		return RDPSHARE_E_INVALIDARG;
	}
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
	char ps[8];
	snprintf(ps, sizeof(ps), "%d", port);
	if (getaddrinfo(host, ps, &hints, &res) != 0) {
		return RDPSHARE_E_INVALIDARG;
	}
	int lfd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, res->ai_addr, res->ai_addrlen) < 0 || listen(lfd, 1) < 0) {
		int e = errno;
		freeaddrinfo(res);
		if (lfd >= 0) {
			close(lfd);
		}
		return e == EADDRINUSE ? RDPSHARE_E_ADDRINUSE
		       : e == EACCES   ? RDPSHARE_E_ACCESS
		                       : RDPSHARE_E_IO;
	}
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char bound[64] = "", bport[8] = "0";
	if (getsockname(lfd, (struct sockaddr *)&ss, &sl) == 0) {
		getnameinfo((struct sockaddr *)&ss, sl, bound, sizeof(bound), bport, sizeof(bport),
		            NI_NUMERICHOST | NI_NUMERICSERV);
	}
	uint16_t p = (uint16_t)strtol(bport, NULL, 10);
	/* the wildcard is no address to dial: offer this machine's own */
	struct connstr_addr addrs[8] = {0};
	size_t n = 0;
	if (strcmp(bound, "0.0.0.0") == 0 || strcmp(bound, "::") == 0) {
		struct util_hostaddr *own;
		size_t n_own;
		if (util_hostaddrs_list(AF_INET, &own, &n_own) == 0) {
			for (size_t i = 0; i < n_own && n < 7; i++) {
				if (!own[i].loopback) {
					snprintf(addrs[n].host, sizeof(addrs[n].host), "%s",
					         own[i].host);
					addrs[n++].port = p;
				}
			}
			free(own);
		}
		snprintf(addrs[n].host, sizeof(addrs[n].host), "127.0.0.1");
	} else {
		snprintf(addrs[n].host, sizeof(addrs[n].host), "%s", bound);
	}
	addrs[n++].port = p;
	if (connstr_build(NULL, NULL, addrs, n, connstr) != 0) {
		close(lfd);
		return RDPSHARE_E_NOMEM;
	}
	*fd_out = lfd;
	return RDPSHARE_OK;
}

/* The sharer's call, or -1 (timeout, stop). host: who called. */
static int accept_sharer(rdpshare_viewer *v, struct viewer_job *j, char *host, size_t n, int *port,
                         bool *stopped)
{
	struct pollfd pfd[2] = {{j->listen_fd, POLLIN, 0}, {v->stop_fd, POLLIN, 0}};
	int wait = -1;
	if (j->timeout_ms > 0) {
		int64_t left = j->deadline_us - util_clock_us();
		wait = left > 0 ? (int)((left + 999) / 1000) : 0;
	}
	int r = poll(pfd, 2, wait);
	*stopped = r > 0 && (pfd[1].revents & POLLIN);
	if (r <= 0 || *stopped || !(pfd[0].revents & POLLIN)) {
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(j->listen_fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	char ps[8] = "0";
	if (fd >= 0 && getnameinfo((struct sockaddr *)&ss, sl, host, (socklen_t)n, ps, sizeof(ps),
	                           NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(host, n, "?");
	}
	*port = (int)strtol(ps, NULL, 10);
	return fd; /* the listener stays: a caller that is not the sharer is no reason to stop */
}

/* ---- the thread ---- */

static void post_end(rdpshare_viewer *v, enum event_type type, int reason, long ext,
                     const char *message)
{
	struct event *ev = event_new(type);
	if (ev) {
		ev->i1 = reason;
		ev->i2 = (int)ext;
		ev->s1 = strdup(message);
	}
	viewer_post(v, ev); /* lost only when out of memory; dispatch then never ends the
	                     * connect: a failed allocation of a few bytes is not survivable */
}

static long ext_of(uint32_t errinfo)
{
	/* rdpshare refuses a wrong password or revoked invitation with error
	 * info 9 (insufficient privileges): the original calls that 0x300 */
	return errinfo == 9 ? RDPSHARE_VIEWER_EXT_INVALID_CREDENTIALS : (long)errinfo;
}

static void *net_main(void *arg)
{
	rdpshare_viewer *v = arg;
	struct viewer_job *j = v->job;
	struct rdp_client_target t = {
	    .fd = -1,
	    .name = j->name,
	    .password = j->password,
	    .ticket = j->ticket,
	    .expect_kh = j->expect_kh,
	    .expect_from = j->expect_from,
	    .known_hosts = j->known_hosts ? v->known_hosts : NULL,
	    .insecure = j->insecure,
	};
	struct rdp_client_result res = {0};
	char why[1024] = "";
	char host[64] = "";
	/* a reverse listen takes callers until the sharer (its key) comes, the
	 * time is up or we stop: a port scan or a stranger does not use it up */
	size_t n = j->listen_fd >= 0 ? SIZE_MAX : j->cs.n_addrs;
	j->deadline_us = util_clock_us() + (int64_t)j->timeout_ms * 1000;
	for (size_t i = 0; i < n; i++) {
		if (j->listen_fd >= 0) {
			t.ticket = NULL; /* the sharer that dials in expects a plain logon */
			bool stopped = false;
			t.fd = accept_sharer(v, j, host, sizeof(host), &t.port, &stopped);
			t.host = host;
			if (t.fd < 0) {
				res = (struct rdp_client_result){
				    .stopped = stopped, .reason = RDPSHARE_VIEWER_CONNECT_FAILED};
				size_t used = strlen(why);
				snprintf(why + used, sizeof(why) - used, "%sno sharer called",
				         used ? "; " : "");
				break;
			}
		} else {
			t.host = j->cs.addrs[i].host;
			t.port = j->cs.addrs[i].port;
		}
		if (rdp_client_run(v->client, &t, &res) != 0) {
			res.reason = RDPSHARE_VIEWER_INTERNAL;
			snprintf(res.message, sizeof(res.message), "out of memory");
		}
		if (res.connected || res.stopped) {
			break;
		}
		size_t used = strlen(why);
		snprintf(why + used, sizeof(why) - used, "%s%s:%d: %s", used ? "; " : "", t.host,
		         t.port,
		         res.cert_refused ? "not the expected sharer (its key differs)"
		         : res.message[0] ? res.message
		                          : "no answer");
	}
	if (res.connected || res.stopped) {
		post_end(v, EV_V_DISCONNECTED, res.stopped ? RDPSHARE_VIEWER_LOCAL : res.reason,
		         res.stopped ? RDPSHARE_VIEWER_EXT_NONE : ext_of(res.errinfo),
		         res.stopped      ? "disconnected"
		         : res.message[0] ? res.message
		                          : "closed by the sharer");
	} else {
		post_end(v, EV_V_FAILED, res.reason, 0, why[0] ? why : "no address to connect to");
	}
	return NULL;
}

int viewer_start(rdpshare_viewer *v)
{
	rdp_client_reset(v->client);
	util_wake_drain(v->stop_fd);
	pthread_mutex_lock(&v->lock);
	v->updates = 0;
	v->connected_us = v->first_update_us = v->arrived_us = 0;
	/* a new connection starts black, not with the last one's picture */
	free(v->stage);
	v->stage = NULL;
	v->sw = v->sh = v->n_damage = 0;
	v->frame_posted = v->size_posted = false;
	free(v->front);
	v->front = NULL;
	v->fw = v->fh = 0;
	v->front_updates = 0;
	v->front_arrived_us = 0;
	pthread_mutex_unlock(&v->lock);
	int r = util_thread_start(&v->thread, net_main, v);
	if (r != 0) {
		viewer_job_free(v->job);
		v->job = NULL;
		return RDPSHARE_E_NOMEM;
	}
	v->busy = true;
	return RDPSHARE_OK;
}
