/* sway's window tree (the JSON reply to the IPC get_tree request) as the
 * application filter's window list for one output. Pure: bytes in, an
 * array of struct cap_window out; no sockets, no files (swayipc.c asks
 * sway and names processes from /proc). The reply comes from a peer, so
 * everything in it is checked: wrong types are skipped, the JSON's size,
 * tokens and nesting and the number of windows are capped. Fuzzed
 * (fuzz/fuzz_swaytree.c). */
#ifndef RDPSHARE_SWAYTREE_H
#define RDPSHARE_SWAYTREE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

#define SWAYTREE_MAX_JSON (8u << 20)   /* a larger reply is refused, not parsed */
#define SWAYTREE_MAX_TOKENS (1u << 20) /* values in the reply (json-c's memory ~ 100 B each) */
#define SWAYTREE_MAX_DEPTH 64          /* tree levels below the root; sway nests splits */
#define SWAYTREE_MAX_WINDOWS 512       /* past it the bottom-most views are dropped */

/* Filled by swaytree_parse (caller memory; swaytree_finish frees v). */
struct swaytree {
	struct cap_window *v; /* n views, bottom of the stack first; NULL when n is 0 */
	int n;
	uint32_t focus;            /* con id of the focused view when it is in v, else 0 */
	int width, height;         /* the output in pixels (its rect times its scale) */
	char output[CAP_NAME_MAX]; /* the output described (its name) */
};

/* Parse len bytes of get_tree JSON (no NUL needed) and describe the views on
 * output (its name; NULL: the first active output). Each view (a con or
 * floating_con with a pid, app_id or window_properties) gives one window:
 * id the con id; app its pid, else a synthetic id (CAP_APP_SYNTHETIC and
 * up, one per app_id / class, else one per view); app_name the app_id, else
 * the X11 class, else "unknown" (swayipc.c puts the process name there
 * where it can); title its name; x, y, w, h its rect relative to the
 * output's, times the output's scale; viewable its "visible"; listed true;
 * owner 0. Order: tiling views, then floating ones, then fullscreen ones,
 * each in tree order (sway keeps floating views bottom first). Text is cut
 * on a UTF-8 boundary; broken sequences become '?', controls spaces.
 * Returns 0, -EINVAL (not JSON, not a tree, too big or too deep), -ENODEV
 * (no such output, or no active one) or -ENOMEM; on failure t holds an
 * empty list. */
int swaytree_parse(struct swaytree *t, const char *json, size_t len, const char *output);

void swaytree_finish(struct swaytree *t);

/* The reply to a command or subscribe request ({"success": bool} or an
 * array of them, one per command): 0 when every one succeeded, -ENOENT when
 * one failed (sway's "No matching node" among them), -EINVAL when it is
 * not such a reply. */
int swaytree_success(const char *json, size_t len);

#endif
