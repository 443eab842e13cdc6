/* Damage accumulation shared by the capture back-ends: a short list of
 * rectangles, clipped to the desktop, merged when it grows too long. */
#ifndef RDPSHARE_DAMAGE_H
#define RDPSHARE_DAMAGE_H

#include "capture/capture.h"

#define DAMAGE_MAX 64

struct damage {
	struct cap_rect r[DAMAGE_MAX + 1]; /* one spare slot while merging */
	int n;
};

/* Add r clipped to a w x h desktop. Rectangles already covered are dropped;
 * past DAMAGE_MAX the new one is merged into its best-fitting neighbour. */
void damage_add(struct damage *d, const struct cap_rect *r, int w, int h);

/* Replace everything with the whole w x h desktop. */
void damage_full(struct damage *d, int w, int h);

/* Move the list into out[] (at most max rectangles, merging the surplus into
 * bounding boxes so nothing is lost) and empty it. Returns the count. */
int damage_take(struct damage *d, struct cap_rect *out, int max);

#endif
