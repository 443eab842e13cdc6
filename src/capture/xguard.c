#include "capture/xguard.h"

#include <X11/Xlibint.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#define MARK_NUMBER 0x52445053 /* "RDPS": our entry on a display's extension-data list */

static pthread_once_t io_handler_once = PTHREAD_ONCE_INIT;
static XIOErrorHandler previous_io_handler;

/* The guard of dpy, found through the display's own extension-data list so
 * that no global table (and no lock) is needed. */
static struct xguard *guard_of(Display *dpy)
{
	XEDataObject obj = {.display = dpy};
	XExtData *e = XFindOnExtensionList(XEHeadOfExtensionList(obj), MARK_NUMBER);
	return e ? (struct xguard *)e->private_data : NULL;
}

static int keep_private(XExtData *e)
{
	(void)e; /* the owner frees the guard; Xlib only frees the list entry */
	return 0;
}

static Bool swallow_error(Display *dpy, XErrorEvent *ev, xError *wire)
{
	(void)wire;
	struct xguard *g = guard_of(dpy);
	if (g) {
		g->err_code = ev->error_code;
		g->err_request = ev->request_code;
	}
	return False; /* never reaches the global handler, which would exit */
}

static int io_error(Display *dpy)
{
	struct xguard *g = guard_of(dpy);
	if (g) {
		g->dead = true;
		return 0;
	}
	return previous_io_handler ? previous_io_handler(dpy) : 0;
}

static void io_error_exit(Display *dpy, void *data)
{
	(void)dpy;
	struct xguard *g = data;
	g->dead = true; /* returning instead of exit() */
	if (g->on_dead) {
		g->on_dead(g->ctx);
	}
}

static void install_io_handler(void)
{
	previous_io_handler = XSetIOErrorHandler(io_error);
}

int xguard_install(Display *dpy, struct xguard *g)
{
	XExtData *mark = calloc(1, sizeof(*mark));
	if (!mark) {
		return -ENOMEM;
	}
	mark->number = MARK_NUMBER;
	mark->free_private = keep_private;
	mark->private_data = (XPointer)g;
	XEDataObject obj = {.display = dpy};
	XAddToExtensionList(XEHeadOfExtensionList(obj), mark);
	pthread_once(&io_handler_once, install_io_handler);
	XSetIOErrorExitHandler(dpy, io_error_exit, g);
	for (int code = 1; code < 256; code++) {
		XESetWireToError(dpy, code, swallow_error);
	}
	return 0;
}
