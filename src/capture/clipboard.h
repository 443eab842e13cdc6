/* The sharer's clipboard: the X CLIPBOARD selection as UTF-8 text, read
 * when another X client takes it (XFixes tells us, no polling) and owned by
 * us when a viewer copies something. Its own X connection and thread, so it
 * never waits on capture or on a viewer. Knows no protocol. */
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
void clipboard_close(struct clipboard *c);

/* The clipboard's text now and its generation (bumped on every change, ours
 * included). Ownership: *text is malloc'd (NULL when there is no text). */
uint64_t clipboard_get(struct clipboard *c, char **text);
/* Only the generation: cheap enough for every wake-up. */
uint64_t clipboard_gen(struct clipboard *c);

/* Put utf8 on the X clipboard (we own it until another client copies).
 * Returns the new generation, or 0 on failure. Thread-safe. */
uint64_t clipboard_set(struct clipboard *c, const char *utf8);

#endif
