/* The sharer's clipboard as UTF-8 text, read when another client takes it
 * (no polling) and owned by us when a viewer copies something: the X
 * CLIPBOARD selection (XFixes tells us), or on wlroots compositors the
 * Wayland selection through wlr-data-control. Each has its own display
 * connection and thread, so it never waits on capture or on a viewer; the
 * calls below are the same for both. Knows no protocol. */
#ifndef RDPSHARE_CLIPBOARD_H
#define RDPSHARE_CLIPBOARD_H

#include <stdint.h>

#define CLIPBOARD_MAX_TEXT (1 << 20) /* larger texts are not shared */

struct clipboard;

/* Open on display (NULL: $DISPLAY). on_change(ctx) runs on the clipboard's
 * thread whenever another X client put new text on the clipboard. NULL and
 * *err (negative errno) on failure. */
struct clipboard *clipboard_x11_open(const char *display, void (*on_change)(void *ctx), void *ctx,
                                     int *err);
/* Open on the wlroots compositor at wayland_display (NULL:
 * $WAYLAND_DISPLAY; a name in $XDG_RUNTIME_DIR or an absolute path), with
 * the same promises: on_change(ctx) runs on the clipboard's thread when
 * another client set new text. Text only (text/plain;charset=utf-8,
 * UTF8_STRING, text/plain). NULL and *err on failure: -ENXIO (no such
 * display), -ENOTSUP (no wlr-data-control or no seat), -ENOMEM. When the
 * compositor goes away the thread ends; the calls keep working on the last
 * text (clipboard_set then fails). */
struct clipboard *clipboard_wlr_open(const char *wayland_display, void (*on_change)(void *ctx),
                                     void *ctx, int *err);

/* Stop the clipboard's thread and free it (NULL: nothing). */
void clipboard_close(struct clipboard *c);

/* The clipboard's text now and its generation (bumped on every change, ours
 * included). Ownership: *text is malloc'd (NULL when there is no text). */
uint64_t clipboard_get(struct clipboard *c, char **text);
/* Only the generation: cheap enough for every wake-up. */
uint64_t clipboard_gen(struct clipboard *c);

/* Put utf8 on the clipboard (we own it until another client copies).
 * Returns the new generation, or 0 on failure. Thread-safe. */
uint64_t clipboard_set(struct clipboard *c, const char *utf8);

#endif
