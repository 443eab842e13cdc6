/* gnome-shell's windows (the answer to our Eval script, gnome_windows.c) as
 * the application filter's window list for the shared monitor. Pure: bytes
 * in, an array of struct cap_window out. The answer carries text that
 * other programs chose (titles, classes), so everything in it is checked:
 * wrong types are skipped, size, values, nesting and the number of windows
 * are capped, and text is made safe to print. Fuzzed (fuzz/fuzz_gnometree.c). */
#ifndef RDPSHARE_CAPTURE_GNOMETREE_H
#define RDPSHARE_CAPTURE_GNOMETREE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

#define GNOMETREE_MAX_JSON (4u << 20)   /* a larger answer is refused, not parsed */
#define GNOMETREE_MAX_TOKENS (1u << 18) /* values in it (json-c's memory ~ 100 B each) */
#define GNOMETREE_MAX_WINDOWS 512       /* past it the bottom-most windows are dropped */

/* What the script answers: {"focus": ID, "mon": {"x","y","w","h"}, "windows":
 * [{"id","pid","x","y","w","h","title","app","class","owner","type",
 * "shown"}, ...]} with the windows bottom of the stack first, rectangles
 * in the stage's logical pixels, ids Mutter's window ids modulo 2^32. */
struct gnometree {
	struct cap_window *v; /* n windows, bottom first; NULL when n is 0 */
	int n;
	uint32_t focus; /* the window with the keyboard focus when it is in v, else 0 */
};

/* Parse len bytes of the answer (no NUL needed) for a stream of out_w x
 * out_h pixels of the monitor "mon": window rectangles become relative to
 * the monitor and scaled to the stream. Each window with an id (1 ..
 * 2^32-1) gives one: app its pid, else a synthetic id (CAP_APP_SYNTHETIC
 * and up) per app id, else per window; app_name the class, else the app id
 * without ".desktop" (not Mutter's made-up "window:N"), else "unknown";
 * title; owner the transient-for id; viewable its "shown"; listed a
 * normal window (type 0) without an owner, as on X11. Returns 0, -EINVAL
 * (not such an answer, too big or too deep) or -ENOMEM; on failure t holds
 * an empty list. */
int gnometree_parse(struct gnometree *t, const char *json, size_t len, int out_w, int out_h);

void gnometree_finish(struct gnometree *t);

#endif
