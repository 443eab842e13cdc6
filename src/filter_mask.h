/* What viewers may see under the application filter, as pixels: which
 * windows are shared (the original's rules, reference/wds-api.md §6.7),
 * a per-pixel mask of the desktop where a shared window is the topmost
 * one, and the painting of everything else in the background colour.
 * Pure functions over the back-end's window list (no X, no session), so
 * the rules are unit-tested on their own; the engine thread calls them. */
#ifndef RDPSHARE_FILTER_MASK_H
#define RDPSHARE_FILTER_MASK_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"

#define FILTER_MAX_IDS 512
#define FILTER_MAX_RECTS 64

/* What the sharing application decided (owner thread → engine). */
struct filter_policy {
	bool enabled;
	uint32_t background; /* 0xRRGGBB */
	int n_apps, n_wins;
	uint32_t apps[FILTER_MAX_IDS]; /* shared applications */
	uint32_t wins[FILTER_MAX_IDS]; /* individually shared windows */
};

/* shared[i]: whether window i of the list is shown. A listed window is
 * shown when its application or the window itself is shared. A window
 * that is not listed (menus, tooltips, dialogs) follows the window it is
 * transient for, else its application: shown when the application or any
 * of its listed windows is shared, so a shared window's menus appear. */
void filter_decide(const struct cap_window *w, int n, const struct filter_policy *p, bool *shared);

/* Paint mask (dw x dh bytes): 1 where the topmost viewable window is
 * shown, 0 elsewhere (the root and everything hidden). Writes the shown
 * windows' on-screen rectangles (merged into one box past max) to rects
 * and returns their count. */
int filter_paint(uint8_t *mask, int dw, int dh, const struct cap_window *w, int n,
                 const bool *shared, struct cap_rect *rects, int max);

/* Bounding box of where masks a and b differ; false when they are equal. */
bool filter_mask_diff(const uint8_t *a, const uint8_t *b, int dw, int dh, struct cap_rect *out);

/* Paint the pixels of r (desktop coordinates) whose mask is 0 in colour bg;
 * dst holds BGRX32 pixels with desktop pixel (ox, oy) at dst[0]. Pixels of
 * r outside the dw x dh mask (a desktop that shrank), or all of them when
 * mask is NULL, count as hidden. */
void filter_apply(const uint8_t *mask, int dw, int dh, const struct cap_rect *r, uint8_t *dst,
                  int stride, int ox, int oy, uint32_t bg);

/* Fill r (desktop coordinates) with bg in the same layout. */
void filter_fill(const struct cap_rect *r, uint8_t *dst, int stride, int ox, int oy, uint32_t bg);

#endif
