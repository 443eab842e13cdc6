/* Keeping Xlib from ending the process when one of our X connections fails.
 * Xlib's defaults exit() on an I/O error and on any protocol error, so:
 *  - protocol errors: every error code of a guarded connection goes to a
 *    wire-to-error hook (XESetWireToError, per display) that records it and
 *    suppresses it; the global XSetErrorHandler is never touched;
 *  - I/O errors: libX11 >= 1.8 lets a per-display exit handler
 *    (XSetIOErrorExitHandler) return instead of exiting, and we install, once,
 *    a global XSetIOErrorHandler that stays silent for guarded connections and
 *    chains to the previous handler for everybody else's. After an I/O error
 *    Xlib marks the connection dead and every call returns at once.
 * An application that later replaces the global I/O handler with one that
 * exits takes that decision for our connections too. */
#ifndef RDPSHARE_XGUARD_H
#define RDPSHARE_XGUARD_H

#include <X11/Xlib.h>
#include <stdbool.h>

struct xguard {
	bool dead;                  /* the connection failed */
	int err_code, err_request;  /* last protocol error (cleared by the owner) */
	void (*on_dead)(void *ctx); /* optional, called once it failed */
	void *ctx;
};

/* Guard dpy; g must outlive the connection. Returns 0 or -ENOMEM. */
int xguard_install(Display *dpy, struct xguard *g);

#endif
