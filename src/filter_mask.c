#include "filter_mask.h"

#include <string.h>

#include "encode/frame.h"

static bool has_id(const uint32_t *ids, int n, uint32_t id)
{
	for (int i = 0; i < n; i++) {
		if (ids[i] == id) {
			return true;
		}
	}
	return false;
}

static int index_of(const struct cap_window *w, int n, uint32_t id)
{
	for (int i = 0; i < n; i++) {
		if (w[i].id == id) {
			return i;
		}
	}
	return -1;
}

static bool listed_shared(const struct cap_window *w, const struct filter_policy *p)
{
	return has_id(p->apps, p->n_apps, w->app) || has_id(p->wins, p->n_wins, w->id);
}

static bool app_shows(const struct cap_window *w, int n, const struct filter_policy *p,
                      uint32_t app)
{
	if (has_id(p->apps, p->n_apps, app)) {
		return true;
	}
	for (int i = 0; i < n; i++) {
		if (w[i].app == app && w[i].listed && has_id(p->wins, p->n_wins, w[i].id)) {
			return true;
		}
	}
	return false;
}

void filter_decide(const struct cap_window *w, int n, const struct filter_policy *p, bool *shared)
{
	for (int i = 0; i < n; i++) {
		if (!p->enabled) {
			shared[i] = true;
			continue;
		}
		/* Follow transient-for links up to a listed window (a few
		 * levels; a loop of owners ends at the cap). */
		int at = i;
		for (int hop = 0; hop < 8 && !w[at].listed && w[at].owner; hop++) {
			int o = index_of(w, n, w[at].owner);
			if (o < 0) {
				break;
			}
			at = o;
		}
		shared[i] = w[at].listed ? listed_shared(&w[at], p) : app_shows(w, n, p, w[at].app);
	}
}

int filter_paint(uint8_t *mask, int dw, int dh, const struct cap_window *w, int n,
                 const bool *shared, struct cap_rect *rects, int max)
{
	memset(mask, 0, (size_t)dw * (size_t)dh);
	int count = 0;
	struct cap_rect desk = {0, 0, dw, dh};
	for (int i = 0; i < n; i++) { /* bottom first: later windows cover earlier */
		struct cap_rect r = {w[i].x, w[i].y, w[i].w, w[i].h}, in;
		if (!w[i].viewable || !rect_intersect(&r, &desk, &in)) {
			continue;
		}
		for (int y = in.y; y < in.y + in.h; y++) {
			memset(mask + (size_t)y * (size_t)dw + (size_t)in.x, shared[i] ? 1 : 0,
			       (size_t)in.w);
		}
		if (shared[i]) {
			rect_list_add(rects, &count, max, &in);
		}
	}
	return count;
}

bool filter_mask_diff(const uint8_t *a, const uint8_t *b, int dw, int dh, struct cap_rect *out)
{
	int x0 = dw, x1 = -1, y0 = -1, y1 = -1;
	for (int y = 0; y < dh; y++) {
		const uint8_t *ra = a + (size_t)y * (size_t)dw, *rb = b + (size_t)y * (size_t)dw;
		if (memcmp(ra, rb, (size_t)dw) == 0) {
			continue;
		}
		int l = 0, r = dw - 1;
		while (ra[l] == rb[l]) {
			l++;
		}
		while (ra[r] == rb[r]) {
			r--;
		}
		x0 = l < x0 ? l : x0;
		x1 = r > x1 ? r : x1;
		y0 = y0 < 0 ? y : y0;
		y1 = y;
	}
	if (y0 < 0) {
		return false;
	}
	*out = (struct cap_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
	return true;
}

static uint32_t bgrx(uint32_t rgb)
{
	/* BGRX32 little-endian: the 0xRRGGBB value is already the pixel */
	return rgb & 0xFFFFFFu;
}

void filter_apply(const uint8_t *mask, int dw, int dh, const struct cap_rect *r, uint8_t *dst,
                  int stride, int ox, int oy, uint32_t bg)
{
	uint32_t px = bgrx(bg);
	for (int y = r->y; y < r->y + r->h; y++) {
		bool row_in = mask && y >= 0 && y < dh;
		const uint8_t *m = row_in ? mask + (size_t)y * (size_t)dw : NULL;
		uint32_t *row = (uint32_t *)(void *)(dst + (size_t)(y - oy) * (size_t)stride);
		for (int x = r->x; x < r->x + r->w; x++) {
			if (!m || x < 0 || x >= dw || !m[x]) {
				row[x - ox] = px;
			}
		}
	}
}

void filter_fill(const struct cap_rect *r, uint8_t *dst, int stride, int ox, int oy, uint32_t bg)
{
	uint32_t px = bgrx(bg);
	for (int y = r->y; y < r->y + r->h; y++) {
		uint32_t *row = (uint32_t *)(void *)(dst + (size_t)(y - oy) * (size_t)stride);
		for (int x = r->x; x < r->x + r->w; x++) {
			row[x - ox] = px;
		}
	}
}
