/* The clipboard on GNOME, through Mutter's remote desktop session (Mutter
 * 43: EnableClipboard, SetSelection, SelectionRead, SelectionWrite(Done)
 * and the signals SelectionOwnerChanged and SelectionTransfer).
 *
 * It rides on the capture's bus connection, because the session belongs
 * to the connection that created it: Mutter ends it when that connection
 * goes, and newer Mutters send the session's signals to it alone. sd-bus
 * is not thread-safe, so everything here that touches the bus runs where
 * the capture runs, on the engine thread, from gnome.c's process() (the
 * fd below sits in the capture's epoll set). Other threads only read and
 * set the shared part (clipboard_impl.h) under its lock and poke an
 * eventfd.
 *
 * Another client's copy is read into the shared text at once (the owner
 * change names its types), so clipboard_get never waits; our own copy is
 * served when Mutter asks for a transfer. Both through pipes, non-blocking
 * with deadlines (capture/clipboard_pipes.h), so a client that never
 * writes or never reads costs a slot until its deadline and nothing more. */
#include "capture/gnome.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "capture/clipboard_impl.h"
#include "capture/clipboard_pipes.h"
#include "util/clock.h"
#include "util/wake.h"

/* The text types we read (best first) and offer, as Mutter names them: its
 * Wayland clients' and, through XWayland, X11's. STRING and TEXT are taken
 * and served as UTF-8, as clipboard_x11.c does. */
static const char *const text_mimes[] = {"text/plain;charset=utf-8", "UTF8_STRING", "text/plain",
                                         "STRING", "TEXT"};
#define N_MIMES 5

/* A paste of ours from Mutter's SelectionTransfer on: its slot is taken
 * then, so that the pipe SelectionWrite answers with finds one free. */
struct send {
	struct gnome_clip *k;
	bool busy;
	bool serve;        /* a text type while we owned text: else an empty answer */
	sd_bus_slot *call; /* SelectionWrite on its way */
	uint32_t serial;
};

struct gnome_clip {
	struct clipboard base;   /* first: text, generation, lock, on_change */
	atomic_int refs;         /* the capture's and the handle's */
	atomic_bool quiet;       /* Mutter gone or let go of: sets fail */
	pthread_mutex_t cb_lock; /* closed; on_change runs under it */
	bool closed;             /* clipboard_close was called */
	char *pending_set;       /* text to own, from clipboard_set (base.lock) */
	int epfd, wake_fd, tfd;

	/* the engine thread's */
	struct gnome_bus *bus; /* NULL once quiet */
	sd_bus_slot *sig_owner, *sig_transfer;
	sd_bus_slot *read_call; /* SelectionRead on its way */
	bool superseded;        /* ... for an owner that is gone already */
	int want;               /* the type to read once that call ended; -1: none */
	int64_t read_deadline;  /* the call's, and then its pipe's */
	char *own;              /* the text we offer, NULL: none */
	size_t own_len;
	struct clipboard_pipes pipes; /* the text being read; out[i]: sends[i]'s pipe */
	struct send sends[CLIPBOARD_PIPES_SENDS];
};

static int mime_index(const char *mime)
{
	for (int i = 0; i < N_MIMES; i++) {
		if (strcmp(mime, text_mimes[i]) == 0) {
			return i;
		}
	}
	return -1;
}

static void unref(struct gnome_clip *k)
{
	if (atomic_fetch_sub(&k->refs, 1) != 1) {
		return;
	}
	/* the bus side is gone already: the capture let go first */
	if (k->epfd >= 0) {
		close(k->epfd);
	}
	if (k->wake_fd >= 0) {
		close(k->wake_fd);
	}
	if (k->tfd >= 0) {
		close(k->tfd);
	}
	pthread_mutex_destroy(&k->cb_lock);
	free(k->pending_set);
	clipboard_finish(&k->base);
	free(k);
}

/* Another client's text: shared, and told, unless the handle is closed
 * (then its on_change may point at what no longer exists). */
static void store(struct gnome_clip *k, char *text)
{
	pthread_mutex_lock(&k->cb_lock);
	if (k->closed) {
		free(text);
	} else {
		clipboard_store(&k->base, text);
	}
	pthread_mutex_unlock(&k->cb_lock);
}

/* A duplicate of the message's fd (it closes its own), non-blocking and
 * watched for events; -1 when there is none. */
static int take_fd(struct gnome_clip *k, sd_bus_message *m, uint32_t events)
{
	int fd = -1;
	if (sd_bus_message_is_method_error(m, NULL) || sd_bus_message_read(m, "h", &fd) <= 0) {
		return -1;
	}
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	int fl = fd < 0 ? -1 : fcntl(fd, F_GETFL);
	struct epoll_event e = {.events = events, .data.fd = fd};
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    epoll_ctl(k->epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	return fd;
}

static void drop_fd(struct gnome_clip *k, int fd)
{
	epoll_ctl(k->epfd, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
}

/* ---- another client's text ---------------------------------------------- */

static void read_start(struct gnome_clip *k, int mime);

/* End the read under way and start the one that waited for it. */
static void read_end(struct gnome_clip *k)
{
	k->read_call = sd_bus_slot_unref(k->read_call);
	k->superseded = false;
	clipboard_pipes_read_stop(&k->pipes);
	int next = k->want;
	k->want = -1;
	if (next >= 0 && k->bus) {
		read_start(k, next);
	}
}

static int on_read_reply(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)err;
	struct gnome_clip *k = data;
	k->read_call = sd_bus_slot_unref(k->read_call);
	int fd = take_fd(k, m, EPOLLIN);
	if (k->superseded || fd < 0) {
		/* for an owner gone already (closing its pipe lets Mutter
		 * accept the next read), or refused: the text we had stays */
		if (fd >= 0) {
			drop_fd(k, fd);
		}
		read_end(k);
		return 0;
	}
	clipboard_pipes_read_start(&k->pipes, fd);
	k->pipes.in.deadline = k->read_deadline; /* the call's wait counts too */
	return 0;
}

static void read_start(struct gnome_clip *k, int mime)
{
	if (k->read_call) {
		/* Mutter refuses a second read while the first one's pipe is
		 * whole: wait for its answer, close that, then ask */
		k->superseded = true;
		k->want = mime;
		return;
	}
	k->want = -1;
	read_end(k); /* a newer copy replaces one still arriving */
	if (gnome_bus_call(k->bus, &k->read_call, on_read_reply, k, "SelectionRead", "s",
	                   text_mimes[mime]) == 0) {
		k->read_deadline = util_clock_ms() + CLIPBOARD_READ_DEADLINE_MS;
	}
}

static void read_some(struct gnome_clip *k)
{
	char *text = k->pipes.in.fd >= 0 ? clipboard_pipes_read(&k->pipes) : NULL;
	if (text) {
		store(k, text);
	}
}

/* Read the a{sv} value of "mime-types" into bits of text_mimes. Mutter 43
 * packs the list in a one-element tuple, "(as)"; later ones send "as". */
static int read_mimes(sd_bus_message *m, unsigned *mimes)
{
	char type = 0;
	const char *contents = NULL;
	int r = sd_bus_message_peek_type(m, &type, &contents);
	if (r <= 0 || type != 'v' || !contents) {
		return r < 0 ? r : -EBADMSG;
	}
	bool tuple = strcmp(contents, "(as)") == 0;
	if (!tuple && strcmp(contents, "as") != 0) {
		return sd_bus_message_skip(m, "v");
	}
	r = sd_bus_message_enter_container(m, 'v', tuple ? "(as)" : "as");
	if (r >= 0 && tuple) {
		r = sd_bus_message_enter_container(m, 'r', "as");
	}
	if (r >= 0) {
		r = sd_bus_message_enter_container(m, 'a', "s");
	}
	const char *s;
	while (r >= 0 && (r = sd_bus_message_read(m, "s", &s)) > 0) {
		int i = mime_index(s);
		*mimes |= i >= 0 ? 1u << i : 0;
	}
	for (int depth = tuple ? 3 : 2; r >= 0 && depth > 0; depth--) {
		r = sd_bus_message_exit_container(m);
	}
	return r;
}

static int on_owner_changed(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)err;
	struct gnome_clip *k = data;
	unsigned mimes = 0;
	int ours = 0;
	bool owner = false;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key = NULL;
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && strcmp(key, "mime-types") == 0) {
			owner = true;
			r = read_mimes(m, &mimes);
		} else if (r >= 0 && strcmp(key, "session-is-owner") == 0) {
			r = sd_bus_message_read(m, "v", "b", &ours);
		} else if (r >= 0) {
			r = sd_bus_message_skip(m, "v");
		}
		if (r >= 0) {
			r = sd_bus_message_exit_container(m);
		}
	}
	if (r < 0 || !k->bus) {
		return 0; /* a message we cannot read changes nothing */
	}
	int best = 0;
	while (best < N_MIMES && !(mimes & (1u << best))) {
		best++;
	}
	if (owner && !ours && best < N_MIMES) {
		read_start(k, best);
	} else if (k->read_call) {
		k->superseded = true; /* its answer is for an owner gone now */
		k->want = -1;
	} else {
		/* our own copy coming back: nothing new; no owner (it left)
		 * or no text in it (an image, say): the text we had stays, as
		 * on X11 */
		read_end(k);
	}
	return 0;
}

/* ---- serving our text ---------------------------------------------------- */

static void send_end(struct gnome_clip *k, int i, bool ok)
{
	struct send *t = &k->sends[i];
	t->call = sd_bus_slot_unref(t->call);
	if (k->bus) {
		/* the paster learns the end from the pipe; this is Mutter's
		 * bookkeeping */
		gnome_bus_notify(k->bus, "SelectionWriteDone", "ub", t->serial, (int)ok);
	}
	*t = (struct send){0};
}

/* The pipes close one of the fds take_fd put in the epoll set. */
static void on_pipe_closing(void *data, int fd, int slot, bool ok)
{
	struct gnome_clip *k = data;
	epoll_ctl(k->epfd, EPOLL_CTL_DEL, fd, NULL);
	if (slot >= 0) {
		send_end(k, slot, ok);
	}
}

static int on_write_reply(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)err;
	struct send *t = data;
	struct gnome_clip *k = t->k;
	int i = (int)(t - k->sends);
	t->call = sd_bus_slot_unref(t->call);
	int fd = take_fd(k, m, EPOLLOUT);
	if (fd < 0) {
		send_end(k, i, false); /* the paster reads an empty text */
		return 0;
	}
	clipboard_pipes_send_in(&k->pipes, i, fd, t->serve ? k->own : NULL, k->own_len);
	if (k->pipes.out[i].fd >= 0) {
		clipboard_pipes_write(&k->pipes, i);
	}
	return 0;
}

/* Someone pastes what we own. Answered with a pipe even when we have no
 * text for it: Mutter's paster would otherwise wait 15 s for it. */
static int on_transfer(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)err;
	struct gnome_clip *k = data;
	const char *mime = NULL;
	uint32_t serial = 0;
	if (!k->bus || sd_bus_message_read(m, "su", &mime, &serial) <= 0) {
		return 0;
	}
	int i = 0;
	while (i < CLIPBOARD_PIPES_SENDS && k->sends[i].busy) {
		i++;
	}
	if (i == CLIPBOARD_PIPES_SENDS) {
		gnome_bus_notify(k->bus, "SelectionWriteDone", "ub", serial, 0);
		return 0;
	}
	struct send *t = &k->sends[i];
	*t = (struct send){
	    .k = k, .busy = true, .serve = mime_index(mime) >= 0 && k->own, .serial = serial};
	if (gnome_bus_call(k->bus, &t->call, on_write_reply, t, "SelectionWrite", "u", serial) <
	    0) {
		send_end(k, i, false);
	}
	return 0;
}

static void take_pending(struct gnome_clip *k)
{
	char *t = clipboard_take_queued(&k->base, &k->pending_set);
	if (!t) {
		return;
	}
	free(k->own);
	k->own = t;
	k->own_len = strlen(t);
	/* Mutter cancels the transfers of the text this replaces, and echoes
	 * the change with session-is-owner, which on_owner_changed ignores */
	gnome_bus_notify(k->bus, "SetSelection", "a{sv}", 1, "mime-types", "as", N_MIMES,
	                 text_mimes[0], text_mimes[1], text_mimes[2], text_mimes[3], text_mimes[4]);
}

/* ---- the engine thread's round ------------------------------------------ */

static void arm(struct gnome_clip *k)
{
	int64_t first = clipboard_pipes_deadline(&k->pipes);
	if (k->read_call && k->read_deadline < first) {
		first = k->read_deadline;
	}
	struct itimerspec its = {{0, 0}, {0, 0}};
	if (first != INT64_MAX) {
		int64_t at = first > 0 ? first : 1; /* 0 would disarm it */
		its.it_value.tv_sec = (time_t)(at / 1000);
		its.it_value.tv_nsec = (long)(at % 1000) * 1000000;
	}
	timerfd_settime(k->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void expire(struct gnome_clip *k)
{
	if (k->read_call && util_clock_ms() >= k->read_deadline) {
		read_end(k); /* Mutter never answered: the pipe's deadline all the same */
	}
	clipboard_pipes_expire(&k->pipes);
}

/* Let go of everything on the bus; tell Mutter when it still listens. */
static void go_quiet(struct gnome_clip *k, bool tell)
{
	atomic_store(&k->quiet, true);
	k->want = -1;
	read_end(k);
	struct gnome_bus *b = k->bus;
	k->bus = NULL; /* no more calls: transfers end in silence */
	clipboard_pipes_finish(&k->pipes);
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (k->sends[i].busy) {
			send_end(k, i, false); /* SelectionWrite still on its way */
		}
	}
	k->sig_owner = sd_bus_slot_unref(k->sig_owner);
	k->sig_transfer = sd_bus_slot_unref(k->sig_transfer);
	if (b && tell) {
		gnome_bus_notify(b, "DisableClipboard", "");
	}
	free(k->own);
	k->own = NULL;
	arm(k);
}

void gnome_clip_process(struct gnome_clip *k, int bus_state)
{
	util_wake_drain(k->wake_fd);
	uint64_t ticks;
	if (read(k->tfd, &ticks, sizeof(ticks)) < 0) {
		ticks = 0; /* not due: nothing to drain */
	}
	if (!k->bus) {
		return;
	}
	pthread_mutex_lock(&k->cb_lock);
	bool closed = k->closed;
	pthread_mutex_unlock(&k->cb_lock);
	if (bus_state < 0 || closed) {
		go_quiet(k, bus_state == 0);
		return;
	}
	take_pending(k);
	read_some(k);
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (k->pipes.out[i].fd >= 0) {
			clipboard_pipes_write(&k->pipes, i);
		}
	}
	expire(k);
	arm(k);
}

/* ---- the handle's calls (any thread) ------------------------------------ */

static int own(struct clipboard *base, const char *utf8)
{
	struct gnome_clip *k = (struct gnome_clip *)base;
	if (atomic_load(&k->quiet)) {
		return -EPIPE;
	}
	return clipboard_queue_own(&k->pending_set, utf8, k->wake_fd);
}

static void destroy(struct clipboard *base)
{
	struct gnome_clip *k = (struct gnome_clip *)base;
	pthread_mutex_lock(&k->cb_lock);
	k->closed = true; /* from now on no on_change: its ctx may go */
	pthread_mutex_unlock(&k->cb_lock);
	if (!atomic_load(&k->quiet)) {
		util_wake_poke(k->wake_fd); /* the engine thread lets go of the bus */
	}
	unref(k);
}

static const struct clipboard_ops gnome_clip_ops = {.own = own, .destroy = destroy};

/* ---- the capture's calls ------------------------------------------------ */

struct clipboard *gnome_clip_board(struct gnome_clip *k)
{
	return &k->base;
}

int gnome_clip_fd(struct gnome_clip *k)
{
	return k->epfd;
}

void gnome_clip_detach(struct gnome_clip *k)
{
	if (!k) {
		return;
	}
	if (k->bus) {
		go_quiet(k, true);
	}
	unref(k);
}

static int watch(struct gnome_clip *k, int fd)
{
	struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
	return fd < 0 ? fd : epoll_ctl(k->epfd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

int gnome_clip_create(struct gnome_bus *b, void (*on_change)(void *ctx), void *ctx,
                      struct gnome_clip **out)
{
	struct gnome_clip *k = calloc(1, sizeof(*k));
	if (!k) {
		return -ENOMEM;
	}
	clipboard_init(&k->base, &gnome_clip_ops, on_change, ctx);
	atomic_init(&k->refs, 1); /* the second once it works */
	atomic_init(&k->quiet, false);
	pthread_mutex_init(&k->cb_lock, NULL);
	k->bus = b;
	k->want = -1;
	clipboard_pipes_init(&k->pipes, &(struct clipboard_pipes_listener){on_pipe_closing, k});
	k->epfd = epoll_create1(EPOLL_CLOEXEC);
	k->wake_fd = util_wake_create();
	k->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	int r = k->epfd < 0 ? -errno : watch(k, k->wake_fd);
	if (r == 0) {
		r = watch(k, k->tfd < 0 ? -errno : k->tfd);
	}
	if (r == 0) {
		r = gnome_bus_match(b, &k->sig_owner, "SelectionOwnerChanged", on_owner_changed, k);
	}
	if (r == 0) {
		r = gnome_bus_match(b, &k->sig_transfer, "SelectionTransfer", on_transfer, k);
	}
	if (r == 0) {
		/* Without a list of ours, Mutter answers with the current
		 * owner's change: the clipboard's text as it is now. */
		r = gnome_bus_call_wait(b, "EnableClipboard", "a{sv}", 0);
	}
	if (r < 0) {
		go_quiet(k, false);
		unref(k);
		return r;
	}
	atomic_fetch_add(&k->refs, 1);
	*out = k;
	return 0;
}
