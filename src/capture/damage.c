/* Damage rectangle list: clip, drop covered rectangles, merge when full.
 *
 * Merging picks the pair whose bounding box adds the least uncovered area, so
 * a burst of small scattered updates degrades into a few boxes around the
 * busy regions instead of one box over the whole desktop. */
#include "capture/damage.h"

#include <stdint.h>

static int64_t area(const struct cap_rect *r)
{
	return (int64_t)r->w * r->h;
}

static bool contains(const struct cap_rect *outer, const struct cap_rect *inner)
{
	return inner->x >= outer->x && inner->y >= outer->y &&
	       inner->x + inner->w <= outer->x + outer->w &&
	       inner->y + inner->h <= outer->y + outer->h;
}

static struct cap_rect bounds(const struct cap_rect *a, const struct cap_rect *b)
{
	int x0 = a->x < b->x ? a->x : b->x;
	int y0 = a->y < b->y ? a->y : b->y;
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
	return (struct cap_rect){x0, y0, x1 - x0, y1 - y0};
}

/* Area a merge of a and b would add beyond what a and b cover already
 * (overlap counted twice is fine: it only makes overlapping pairs cheaper). */
static int64_t growth(const struct cap_rect *a, const struct cap_rect *b)
{
	struct cap_rect u = bounds(a, b);
	return area(&u) - area(a) - area(b);
}

static void remove_at(struct damage *d, int i)
{
	d->r[i] = d->r[--d->n];
}

/* Merge the cheapest pair, then drop whatever the merged box now covers. */
static void merge_one(struct damage *d)
{
	int bi = 0, bj = 1;
	int64_t best = INT64_MAX;
	for (int i = 0; i < d->n; i++) {
		for (int j = i + 1; j < d->n; j++) {
			int64_t g = growth(&d->r[i], &d->r[j]);
			if (g < best) {
				best = g;
				bi = i;
				bj = j;
			}
		}
	}
	d->r[bi] = bounds(&d->r[bi], &d->r[bj]);
	remove_at(d, bj);
	for (int i = d->n - 1; i >= 0; i--) {
		if (i != bi && i < d->n && contains(&d->r[bi], &d->r[i])) {
			remove_at(d, i);
			if (bi == d->n) {
				bi = i; /* remove_at moved the merged box into slot i */
			}
		}
	}
}

void damage_add(struct damage *d, const struct cap_rect *r, int w, int h)
{
	int x0 = r->x < 0 ? 0 : r->x, y0 = r->y < 0 ? 0 : r->y;
	int x1 = r->x + r->w > w ? w : r->x + r->w;
	int y1 = r->y + r->h > h ? h : r->y + r->h;
	if (x1 <= x0 || y1 <= y0) {
		return;
	}
	struct cap_rect c = {x0, y0, x1 - x0, y1 - y0};
	for (int i = d->n - 1; i >= 0; i--) {
		if (contains(&d->r[i], &c)) {
			return;
		}
		if (contains(&c, &d->r[i])) {
			remove_at(d, i);
		}
	}
	d->r[d->n++] = c;
	if (d->n > DAMAGE_MAX) {
		merge_one(d);
	}
}

void damage_full(struct damage *d, int w, int h)
{
	d->n = 0;
	if (w > 0 && h > 0) {
		d->r[0] = (struct cap_rect){0, 0, w, h};
		d->n = 1;
	}
}

int damage_take(struct damage *d, struct cap_rect *out, int max)
{
	if (max <= 0) {
		return 0; /* keep it for a caller that can take it */
	}
	while (d->n > max) {
		merge_one(d);
	}
	int n = d->n;
	for (int i = 0; i < n; i++) {
		out[i] = d->r[i];
	}
	d->n = 0;
	return n;
}
