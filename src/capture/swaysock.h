/* Where sway's IPC socket is: $SWAYSOCK, as sway gives its children; else
 * the one sway-ipc.*.sock beside the Wayland socket (display, else
 * $WAYLAND_DISPLAY: its folder when it is a path, else $XDG_RUNTIME_DIR), so
 * a sharer started from outside the session (over ssh, say) finds it too —
 * but only when there is exactly one, never a guess between several. */
#ifndef RDPSHARE_SWAYSOCK_H
#define RDPSHARE_SWAYSOCK_H

#include <stdbool.h>
#include <stddef.h>

/* true and the path in out, or false. */
bool swaysock_find(const char *display, char *out, size_t len);

#endif
