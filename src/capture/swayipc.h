/* The window list of one sway output, for the application filter of the
 * wlroots back-end, kept from sway's IPC (the socket in $SWAYSOCK): one
 * connection subscribed to window, workspace and output events, a second
 * one for get_tree and commands. An event, or a touch (floating moves and
 * resizes raise no event in sway 1.7, but they do change the picture: the
 * back-end touches on damage), makes process() fetch the tree again; the
 * serial changes only when the list did. Nothing happens while nothing
 * changes. Every round trip
 * is bounded (SWAYIPC_TIMEOUT_MS) and every reply capped
 * (SWAYTREE_MAX_JSON). Like the back-ends, it is used from one thread (the
 * engine's) and needs no locking. */
#ifndef RDPSHARE_SWAYIPC_H
#define RDPSHARE_SWAYIPC_H

#include <stdint.h>

#include "capture/capture.h"

#define SWAYIPC_TIMEOUT_MS 500 /* one request and its reply */
#define SWAYIPC_REFRESH_MS 250 /* after a touch, get_tree this much later (at most this often) */

struct swayipc;

/* Connect to sway at sock_path (NULL: $SWAYSOCK) and describe output (its
 * name, e.g. "HEADLESS-1"; NULL: the first active output). Fetches the
 * tree once before returning. NULL and *err on failure: -ENOENT (no socket
 * path), -ECONNREFUSED and other connect errors, -ETIMEDOUT, -EPROTO (not
 * sway's IPC), -ENODEV (no such output), -ENOMEM. Ownership: the caller
 * destroys it with swayipc_destroy. */
struct swayipc *swayipc_create(const char *sock_path, const char *output, int *err);

/* The screen changed (damage): a window may have moved without an event.
 * The tree is fetched again SWAYIPC_REFRESH_MS later, once however many
 * touches come meanwhile. */
void swayipc_touch(struct swayipc *s);

/* Readable (level-triggered) while events or a touched refresh wait; an
 * epoll set, so it sits in the caller's own epoll set. Never changes. */
int swayipc_fd(struct swayipc *s);

/* Read what waits, without blocking; when something may have changed,
 * fetch the tree (one bounded round trip). Returns 1 when the window list
 * changed, 0 when not, -ETIMEDOUT when sway did not answer in time (the
 * old list stays; the next call tries again), another negative errno when
 * the IPC is gone (sway exited). */
int swayipc_process(struct swayipc *s);

/* The list, bottom of the stack first, with the contract of
 * capture_ops.windows: *out is owned here and valid until the next
 * process(); *serial changes whenever the list does. Returns the count. */
int swayipc_windows(struct swayipc *s, const struct cap_window **out, uint64_t *serial);

/* Focus (and so raise, switching workspace or tab as needed) window id by
 * running "[con_id=id] focus". 0, -ENOENT when id is not in the list or
 * sway knows no such con, or an IPC error. */
int swayipc_raise(struct swayipc *s, uint32_t id);

/* See capture_ops.focus: 0 with *id the focused view of this output as of
 * the last process(), -ENOENT when the keyboard focus is elsewhere (an
 * empty workspace, another output). */
int swayipc_focus(struct swayipc *s, uint32_t *id);

void swayipc_destroy(struct swayipc *s);

#endif
