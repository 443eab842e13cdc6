#include "capture/clipboard_impl.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xfixes.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/xguard.h"
#include "util/thread.h"
#include "util/wake.h"

struct x11_clipboard {
	struct clipboard base; /* first: text, generation, lock, on_change */
	Display *dpy;
	struct xguard g;
	Window win;
	Atom clipboard, utf8, targets, text_atom, prop;
	int fixes_event;
	int cmd_fd;
	pthread_t thread;
	atomic_bool stop;
	char *pending_set; /* text to own, from clipboard_set (under base.lock) */
	bool owner;        /* we own CLIPBOARD (thread only) */
};

/* Another client's selection arrived in our property. INCR transfers (very
 * large texts) are not taken: they exceed what we share anyway. */
static void read_selection(struct x11_clipboard *c)
{
	Atom type;
	int format;
	unsigned long n, left;
	unsigned char *data = NULL;
	if (XGetWindowProperty(c->dpy, c->win, c->prop, 0, CLIPBOARD_MAX_TEXT / 4, True,
	                       AnyPropertyType, &type, &format, &n, &left, &data) != Success) {
		return;
	}
	if (data && format == 8 && (type == c->utf8 || type == XA_STRING) && left == 0) {
		char *text = malloc(n + 1);
		if (text) {
			memcpy(text, data, n);
			text[n] = '\0';
			clipboard_store(&c->base, text);
		}
	}
	if (data) {
		XFree(data);
	}
}

static void answer_request(struct x11_clipboard *c, XSelectionRequestEvent *rq)
{
	XSelectionEvent ev = {.type = SelectionNotify,
	                      .display = rq->display,
	                      .requestor = rq->requestor,
	                      .selection = rq->selection,
	                      .target = rq->target,
	                      .property = None,
	                      .time = rq->time};
	Atom prop = rq->property != None ? rq->property : rq->target;
	if (rq->target == c->targets) {
		Atom list[] = {c->targets, c->utf8, XA_STRING, c->text_atom};
		XChangeProperty(c->dpy, rq->requestor, prop, XA_ATOM, 32, PropModeReplace,
		                (unsigned char *)list, 4);
		ev.property = prop;
	} else if (rq->target == c->utf8 || rq->target == XA_STRING || rq->target == c->text_atom) {
		pthread_mutex_lock(&c->base.lock);
		const char *t = c->base.text ? c->base.text : "";
		XChangeProperty(c->dpy, rq->requestor, prop,
		                rq->target == XA_STRING ? XA_STRING : c->utf8, 8, PropModeReplace,
		                (const unsigned char *)t, (int)strlen(t));
		pthread_mutex_unlock(&c->base.lock);
		ev.property = prop;
	}
	XSendEvent(c->dpy, rq->requestor, False, 0, (XEvent *)&ev);
}

static void take_pending(struct x11_clipboard *c)
{
	char *t = clipboard_take_queued(&c->base, &c->pending_set);
	if (!t) {
		return;
	}
	XSetSelectionOwner(c->dpy, c->clipboard, c->win, CurrentTime);
	c->owner = XGetSelectionOwner(c->dpy, c->clipboard) == c->win;
	free(t);
}

static void *clip_main(void *arg)
{
	struct x11_clipboard *c = arg;
	while (!atomic_load(&c->stop) && !c->g.dead) {
		XFlush(c->dpy);
		struct pollfd pfd[2] = {{ConnectionNumber(c->dpy), POLLIN, 0},
		                        {c->cmd_fd, POLLIN, 0}};
		if (!XPending(c->dpy) && poll(pfd, 2, -1) < 0 && errno != EINTR) {
			break;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR)) {
			break; /* the display went away: the capture reports it */
		}
		if (pfd[1].revents & POLLIN) {
			util_wake_drain(c->cmd_fd);
			take_pending(c);
		}
		while (XPending(c->dpy)) {
			XEvent ev;
			XNextEvent(c->dpy, &ev);
			if (ev.type == c->fixes_event + XFixesSelectionNotify) {
				XFixesSelectionNotifyEvent *sn = (XFixesSelectionNotifyEvent *)&ev;
				if (sn->owner != None && sn->owner != c->win) {
					c->owner = false;
					XConvertSelection(c->dpy, c->clipboard, c->utf8, c->prop,
					                  c->win, sn->selection_timestamp);
				}
			} else if (ev.type == SelectionNotify && ev.xselection.property != None) {
				read_selection(c);
			} else if (ev.type == SelectionRequest) {
				answer_request(c, &ev.xselectionrequest);
			} else if (ev.type == SelectionClear) {
				c->owner = false;
			}
		}
	}
	return NULL;
}

static int own(struct clipboard *base, const char *utf8)
{
	struct x11_clipboard *c = (struct x11_clipboard *)base;
	return clipboard_queue_own(&c->pending_set, utf8, c->cmd_fd);
}

static void destroy(struct clipboard *base)
{
	struct x11_clipboard *c = (struct x11_clipboard *)base;
	atomic_store(&c->stop, true);
	util_wake_poke(c->cmd_fd);
	pthread_join(c->thread, NULL);
	XDestroyWindow(c->dpy, c->win);
	XCloseDisplay(c->dpy);
	close(c->cmd_fd);
	clipboard_finish(&c->base);
	free(c->pending_set);
	free(c);
}

static const struct clipboard_ops x11_ops = {.own = own, .destroy = destroy};

struct clipboard *clipboard_x11_open(const char *display, void (*on_change)(void *), void *ctx,
                                     int *err)
{
	struct x11_clipboard *c = calloc(1, sizeof(*c));
	if (!c) {
		*err = -ENOMEM;
		return NULL;
	}
	c->cmd_fd = util_wake_create();
	c->dpy = XOpenDisplay(display);
	int fixes_error;
	if (!c->dpy || c->cmd_fd < 0 ||
	    !XFixesQueryExtension(c->dpy, &c->fixes_event, &fixes_error)) {
		*err = c->dpy ? -ENOTSUP : -ENXIO;
		if (c->dpy) {
			XCloseDisplay(c->dpy);
		}
		if (c->cmd_fd >= 0) {
			close(c->cmd_fd);
		}
		free(c);
		return NULL;
	}
	xguard_install(c->dpy, &c->g); /* a dead X server must not end the process */
	clipboard_init(&c->base, &x11_ops, on_change, ctx);
	c->win = XCreateSimpleWindow(c->dpy, DefaultRootWindow(c->dpy), -10, -10, 1, 1, 0, 0, 0);
	c->clipboard = XInternAtom(c->dpy, "CLIPBOARD", False);
	c->utf8 = XInternAtom(c->dpy, "UTF8_STRING", False);
	c->targets = XInternAtom(c->dpy, "TARGETS", False);
	c->text_atom = XInternAtom(c->dpy, "TEXT", False);
	c->prop = XInternAtom(c->dpy, "RDPSHARE_CLIPBOARD", False);
	XFixesSelectSelectionInput(c->dpy, c->win, c->clipboard, XFixesSetSelectionOwnerNotifyMask);
	/* whatever is on the clipboard already */
	if (XGetSelectionOwner(c->dpy, c->clipboard) != None) {
		XConvertSelection(c->dpy, c->clipboard, c->utf8, c->prop, c->win, CurrentTime);
	}
	XFlush(c->dpy);
	if (util_thread_start(&c->thread, clip_main, c) != 0) {
		*err = -ENOMEM;
		XCloseDisplay(c->dpy);
		close(c->cmd_fd);
		clipboard_finish(&c->base);
		free(c);
		return NULL;
	}
	return &c->base;
}
