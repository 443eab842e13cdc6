/* The X11 back-end's live list of top-level windows, for the application
 * filter: which windows exist, where, in what stacking order, and which
 * application each belongs to. Follows the root window's substructure
 * events and the windows' property changes; it never polls. Engine thread
 * only (like the rest of the back-end). */
#ifndef RDPSHARE_WINTREE_H
#define RDPSHARE_WINTREE_H

#include <stdbool.h>
#include <stdint.h>

#include <X11/Xlib.h>

#include "capture/capture.h"

struct wintree;

/* Scan the root's children and start following them. The caller must have
 * selected SubstructureNotifyMask on root (one event mask per client).
 * NULL on allocation failure. */
struct wintree *wintree_new(Display *dpy, Window root);
void wintree_free(struct wintree *t);
/* Feed one event; returns true when the window list changed. */
bool wintree_event(struct wintree *t, const XEvent *ev);
/* The list, bottom of the stack first (see capture_ops.windows). */
int wintree_list(struct wintree *t, const struct cap_window **out, uint64_t *serial);
/* Map (if hidden) and raise window id, asking a window manager if one runs.
 * -ENOENT when id is not one of ours. */
int wintree_raise(struct wintree *t, uint32_t id);
/* See capture_ops.focus. */
int wintree_focus(struct wintree *t, uint32_t *id);

#endif
