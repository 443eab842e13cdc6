/* GNOME capture back-end: Mutter's RemoteDesktop and ScreenCast D-Bus
 * interfaces for the session (gnome_dbus.c) and input (gnome_input.c), a
 * PipeWire stream of the first monitor (gnome_pw.c) for pixels and the
 * cursor.
 *
 * The engine polls one descriptor: an epoll set of the D-Bus socket (for
 * the events sd-bus asks for, which include POLLOUT while output waits), a
 * timerfd armed at sd-bus's next deadline (method call timeouts), the
 * PipeWire loop's own descriptor, and an eventfd for work found outside
 * process(). Mutter sends a frame only when the screen changed, so a still
 * screen costs no wake-ups.
 *
 * Windows, raise and focus come from gnome-shell (gnome_windows.c) where it
 * tells them: not from Mutter alone, nor from a gnome-shell outside unsafe
 * mode. Then the ops have no windows, the session refuses the application
 * filter, and why_no_windows says which of the two it is.
 *
 * The clipboard (gnome_clip.c) goes through the same session, so it is
 * created from an open capture (capture_gnome_clipboard) and does its bus
 * work in process(); its descriptor is one more member of the epoll set. */
#include "capture/capture.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "capture/clipboard.h"
#include "capture/gnome.h"
#include "util/wake.h"

struct gnome {
	struct capture base;
	struct gnome_desk desk;
	struct gnome_bus *bus;
	struct gnome_pw *pw;
	struct gnome_input input;
	struct gnome_clip *clip;    /* NULL: none asked for */
	struct gnome_windows *wins; /* NULL: gnome-shell tells no windows */
	char no_windows[256];       /* why not, for the user */
	int epfd, evfd, tfd;
	int bus_fd;
	int bus_events;        /* what the epoll set waits for on bus_fd */
	uint64_t bus_deadline; /* what tfd is armed for; UINT64_MAX: disarmed */
	int dead;
};

static struct gnome *gnome_of(struct capture *c)
{
	return (struct gnome *)c;
}

static uint32_t to_epoll(int poll_events)
{
	return (poll_events & POLLIN ? EPOLLIN : 0) | (poll_events & POLLOUT ? EPOLLOUT : 0);
}

/* Make the epoll set wait for what sd-bus wants now: output to flush, and
 * its next deadline. */
static int rearm(struct gnome *g)
{
	int ev = gnome_bus_events(g->bus);
	if (ev != g->bus_events) {
		struct epoll_event e = {.events = to_epoll(ev), .data.fd = g->bus_fd};
		if (epoll_ctl(g->epfd, EPOLL_CTL_MOD, g->bus_fd, &e) < 0) {
			return -errno;
		}
		g->bus_events = ev;
	}
	uint64_t t = gnome_bus_deadline(g->bus);
	if (t != g->bus_deadline) {
		struct itimerspec its = {{0, 0}, {0, 0}};
		if (t != UINT64_MAX) {
			/* 0 means "now": an absolute time long past fires at once */
			uint64_t at = t ? t : 1;
			its.it_value.tv_sec = (time_t)(at / 1000000u);
			its.it_value.tv_nsec = (long)(at % 1000000u) * 1000;
		}
		if (timerfd_settime(g->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
			return -errno;
		}
		g->bus_deadline = t;
	}
	return 0;
}

/* Run both sides once; sticky once dead. */
static int step(struct gnome *g)
{
	if (g->dead) {
		return g->dead;
	}
	util_wake_drain(g->evfd);
	/* A timerfd that fired stays readable until read, and is disarmed
	 * then: the deadline itself is sd_bus_process's business, and rearm()
	 * sets the next one even when it is the same (say "now" again). */
	uint64_t ticks;
	if (read(g->tfd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks)) {
		g->bus_deadline = UINT64_MAX;
	}
	int r = gnome_bus_process(g->bus);
	if (r == 0) {
		r = gnome_pw_process(g->pw);
	}
	if (r == 0 && g->wins) {
		if (g->desk.dmg.n > 0) {
			gnome_windows_touch(g->wins); /* a window may have moved */
		}
		if (gnome_windows_process(g->wins, g->desk.w, g->desk.h) > 0) {
			g->desk.changed = true;
		}
	}
	if (g->clip) {
		gnome_clip_process(g->clip, r); /* what it sent waits for rearm() */
	}
	if (r == 0) {
		r = rearm(g);
	}
	g->dead = r;
	return r;
}

static int gnome_fd(struct capture *c)
{
	return gnome_of(c)->epfd;
}

static int gnome_process(struct capture *c)
{
	struct gnome *g = gnome_of(c);
	int r = step(g);
	if (r < 0) {
		return r;
	}
	bool changed = g->desk.changed;
	g->desk.changed = false;
	return changed ? 1 : 0;
}

static int gnome_take_damage(struct capture *c, struct cap_rect *out, int max)
{
	return damage_take(&gnome_of(c)->desk.dmg, out, max);
}

static int gnome_grab(struct capture *c, const struct cap_rect *r, uint8_t *dst, int dst_stride,
                      int dst_x, int dst_y)
{
	struct gnome *g = gnome_of(c);
	const struct gnome_desk *d = &g->desk;
	if (g->dead) {
		return g->dead;
	}
	/* The desktop may have shrunk since the damage was taken. */
	int x0 = r->x < 0 ? 0 : r->x, y0 = r->y < 0 ? 0 : r->y;
	int x1 = r->x + r->w > d->w ? d->w : r->x + r->w;
	int y1 = r->y + r->h > d->h ? d->h : r->y + r->h;
	for (int y = y0; y < y1 && x1 > x0; y++) {
		memcpy(dst + (size_t)(y - dst_y) * (size_t)dst_stride + (size_t)(x0 - dst_x) * 4,
		       d->fb + (size_t)y * (size_t)d->stride + (size_t)x0 * 4,
		       (size_t)(x1 - x0) * 4);
	}
	return 0;
}

static void gnome_size(struct capture *c, int *w, int *h)
{
	*w = gnome_of(c)->desk.w;
	*h = gnome_of(c)->desk.h;
}

static int gnome_cursor(struct capture *c, struct cap_cursor *out)
{
	struct gnome *g = gnome_of(c);
	const struct gnome_desk *d = &g->desk;
	if (g->dead) {
		return g->dead;
	}
	out->x = d->cur_x;
	out->y = d->cur_y;
	out->visible = d->cur_visible;
	out->shape_serial = d->shape_serial;
	out->width = d->cw;
	out->height = d->ch;
	out->xhot = d->cxhot;
	out->yhot = d->cyhot;
	out->argb = d->shape_serial ? d->argb : NULL;
	return 0;
}

static int gnome_inject(struct capture *c, const struct cap_input *in)
{
	struct gnome *g = gnome_of(c);
	if (g->dead) {
		return g->dead;
	}
	int r = gnome_input_inject(&g->input, g->bus, in, g->desk.w, g->desk.h);
	int e = rearm(g); /* what did not fit in the socket waits for POLLOUT */
	return r < 0 ? r : e;
}

static int gnome_windows(struct capture *c, const struct cap_window **out, uint64_t *serial)
{
	return gnome_windows_list(gnome_of(c)->wins, out, serial);
}

static int gnome_raise(struct capture *c, uint32_t id)
{
	struct gnome *g = gnome_of(c);
	if (g->dead) {
		return g->dead;
	}
	int r = gnome_windows_raise(g->wins, id);
	int e = rearm(g); /* the call may wait in sd-bus for POLLOUT */
	return r < 0 ? r : e;
}

static int gnome_focus(struct capture *c, uint32_t *id)
{
	return gnome_windows_focus(gnome_of(c)->wins, id);
}

static const char *gnome_why_no_windows(struct capture *c)
{
	return gnome_of(c)->no_windows;
}

static void gnome_destroy(struct capture *c)
{
	struct gnome *g = gnome_of(c);
	if (!g) {
		return;
	}
	gnome_windows_destroy(g->wins); /* its call in flight goes with it */
	gnome_clip_detach(g->clip);     /* lets go of the bus before it goes */
	gnome_pw_destroy(g->pw);
	gnome_bus_destroy(g->bus);
	if (g->epfd >= 0) {
		close(g->epfd);
	}
	if (g->evfd >= 0) {
		close(g->evfd);
	}
	if (g->tfd >= 0) {
		close(g->tfd);
	}
	free(g->desk.fb);
	free(g->desk.row);
	free(g);
}

static const struct capture_ops gnome_ops = {
    .fd = gnome_fd,
    .process = gnome_process,
    .take_damage = gnome_take_damage,
    .grab = gnome_grab,
    .size = gnome_size,
    .cursor = gnome_cursor,
    .inject = gnome_inject,
    .why_no_windows = gnome_why_no_windows,
    .destroy = gnome_destroy,
};

/* The same with gnome-shell's windows. */
static const struct capture_ops gnome_ops_windows = {
    .fd = gnome_fd,
    .process = gnome_process,
    .take_damage = gnome_take_damage,
    .grab = gnome_grab,
    .size = gnome_size,
    .cursor = gnome_cursor,
    .inject = gnome_inject,
    .windows = gnome_windows,
    .raise = gnome_raise,
    .focus = gnome_focus,
    .destroy = gnome_destroy,
};

static struct gnome *gnome_from(struct capture *c)
{
	return c && (c->ops == &gnome_ops || c->ops == &gnome_ops_windows) ? gnome_of(c) : NULL;
}

static int watch(struct gnome *g, int fd, uint32_t events)
{
	struct epoll_event e = {.events = events, .data.fd = fd};
	return epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

static int make_fds(struct gnome *g)
{
	g->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (g->epfd < 0) {
		return -errno;
	}
	g->evfd = util_wake_create();
	if (g->evfd < 0) {
		return g->evfd;
	}
	g->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (g->tfd < 0) {
		return -errno;
	}
	g->bus_fd = gnome_bus_fd(g->bus);
	g->bus_events = POLLIN;
	g->bus_deadline = UINT64_MAX;
	int r = g->bus_fd < 0 ? g->bus_fd : watch(g, g->bus_fd, EPOLLIN);
	if (r == 0) {
		r = watch(g, g->evfd, EPOLLIN);
	}
	if (r == 0) {
		r = watch(g, g->tfd, EPOLLIN);
	}
	if (r == 0) {
		r = watch(g, gnome_pw_fd(g->pw), EPOLLIN);
	}
	return r;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Open returns with the first frame in hand, so size() and grab() mean
 * something from the start. */
static int wait_first_frame(struct gnome *g)
{
	int64_t end = now_ms() + GNOME_OPEN_TIMEOUT_MS;
	for (;;) {
		int r = step(g);
		if (r < 0) {
			return r;
		}
		if (g->desk.have_frame) {
			return 0;
		}
		int64_t left = end - now_ms();
		if (left <= 0) {
			return -ETIMEDOUT;
		}
		struct pollfd p = {g->epfd, POLLIN, 0};
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			return -errno;
		}
	}
}

struct capture *capture_gnome_open(int *err)
{
	struct gnome *g = calloc(1, sizeof(*g));
	if (!g) {
		*err = -ENOMEM;
		return NULL;
	}
	g->base.ops = &gnome_ops;
	g->epfd = g->evfd = g->tfd = -1;
	g->desk.cur_visible = true;
	uint32_t node = 0;
	int r = gnome_bus_create(&g->bus, &node);
	if (r == 0) {
		r = gnome_pw_create(&g->pw, node, &g->desk);
	}
	if (r == 0) {
		r = make_fds(g);
	}
	if (r == 0) {
		r = wait_first_frame(g);
	}
	if (r == 0 && gnome_windows_create(g->bus, g->desk.w, g->desk.h, &g->wins, g->no_windows,
	                                   sizeof(g->no_windows)) == 0) {
		r = watch(g, gnome_windows_fd(g->wins), EPOLLIN);
		g->base.ops = &gnome_ops_windows;
	}
	if (r < 0) {
		gnome_destroy(&g->base);
		*err = r;
		return NULL;
	}
	damage_full(&g->desk.dmg, g->desk.w, g->desk.h); /* a new consumer needs everything */
	g->desk.changed = false;
	util_wake_poke(g->evfd); /* whatever the waiting left in sd-bus's queue */
	return &g->base;
}

struct clipboard *capture_gnome_clipboard(struct capture *c, void (*on_change)(void *ctx),
                                          void *ctx, int *err)
{
	struct gnome *g = gnome_from(c);
	int r = !g ? -EINVAL : g->dead ? g->dead : g->clip ? -EBUSY : 0;
	if (r == 0) {
		r = gnome_clip_create(g->bus, on_change, ctx, &g->clip);
	}
	if (r == 0) {
		r = watch(g, gnome_clip_fd(g->clip), EPOLLIN);
		if (r < 0) {
			struct clipboard *board = gnome_clip_board(g->clip);
			gnome_clip_detach(g->clip);
			g->clip = NULL;
			clipboard_close(board);
		}
	}
	if (r < 0) {
		*err = r;
		return NULL;
	}
	/* Mutter's first owner change came before its answer: process() reads it */
	util_wake_poke(g->evfd);
	return gnome_clip_board(g->clip);
}
