/* What the window lists of the Wayland back-ends (sway's IPC, gnome-shell)
 * share once parsed: naming processes and telling whether a list changed. */
#ifndef RDPSHARE_CAPTURE_WINLIST_H
#define RDPSHARE_CAPTURE_WINLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

/* Name each window's application after its process (/proc/PID/comm, as the
 * X11 list does) where app is a pid, keeping the name a window of old (the
 * previous list) already had: a window keeps its pid for life, so /proc is
 * read once per window. Where /proc says nothing the name stays. */
void winlist_name_processes(struct cap_window *v, int n, const struct cap_window *old, int old_n);

/* A window's application without a process: one per name (the app id or
 * class, len bytes) where there is one, else one per window id; at or
 * above CAP_APP_SYNTHETIC, so never a pid. */
uint32_t winlist_synthetic_app(const char *name, size_t len, uint32_t window_id);

/* Do the lists hold the same windows, in the same order, alike in all? */
bool winlist_same(const struct cap_window *a, int na, const struct cap_window *b, int nb);

#endif
