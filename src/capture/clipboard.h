/* The sharer's clipboard as UTF-8 text, read when another client takes it
 * (no polling) and owned by us when a viewer copies something: the X
 * CLIPBOARD selection (XFixes tells us), on wlroots compositors the
 * Wayland selection through wlr-data-control, on GNOME the selection
 * through Mutter's remote desktop session. X11 and wlroots have their own
 * display connection and thread; GNOME's lives on the capture's session
 * and works on the engine thread, in the capture's process(). None waits on
 * a viewer; the calls below are the same for all. Knows no protocol. */
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

struct capture;
/* The clipboard of c, a GNOME capture (capture_gnome_open): Mutter takes
 * clipboard calls on a remote desktop session from the connection that
 * created it, so it rides on c's. Call it from the thread that runs c's
 * operations, before the engine polls c. on_change(ctx) runs on that
 * thread, inside c's process(), when another client set new text (never
 * for ours, never after clipboard_close). Text only (text/plain;
 * charset=utf-8, UTF8_STRING, text/plain, STRING, TEXT). NULL and *err on
 * failure: -ENOTSUP (this Mutter has no clipboard calls), -EBUSY (c has
 * one already), -EINVAL (c is no GNOME capture), -EPIPE (Mutter is gone),
 * -ENOMEM. It works only while c's process() is called; when Mutter goes
 * away it goes quiet: the calls keep working on the last text
 * (clipboard_set then fails). Close it before or after destroying c. */
struct clipboard *capture_gnome_clipboard(struct capture *c, void (*on_change)(void *ctx),
                                          void *ctx, int *err);

/* Stop the clipboard (its thread, or its work on the GNOME session) and
 * free it (NULL: nothing). */
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
