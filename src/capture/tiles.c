/* One pass per frame: each row of a band of tiles is converted once (when
 * the frame is not BGRX already) and compared per tile; a tile found to
 * differ is copied for the rest of its band without comparing. A changed
 * tile becomes part of a run along its band, and runs with the same
 * columns in consecutive bands are joined, so a full-screen change is one
 * rectangle and a moving window a few. */
#include "capture/tiles.h"

#include <string.h>

#define MAX_TILES_X (16384 / TILE_SIDE + 2)

struct run {
	int x0, x1, y0, y1; /* pixels, clipped */
	bool continued;
};

/* A band has at most MAX_TILES_X / 2 runs, and while it is being added the
 * runs of the band above are still open: room for both. */
struct runs {
	struct run r[MAX_TILES_X + 2];
	int n;
};

static void flush_stale(struct runs *open, struct damage *d, int w, int h)
{
	int k = 0;
	for (int i = 0; i < open->n; i++) {
		struct run *r = &open->r[i];
		if (r->continued) {
			r->continued = false;
			open->r[k++] = *r;
			continue;
		}
		struct cap_rect rect = {r->x0, r->y0, r->x1 - r->x0, r->y1 - r->y0};
		damage_add(d, &rect, w, h);
	}
	open->n = k;
}

/* A run of changed tiles in the band y0..y1: extend the open run above it
 * when it spans the same columns, else open a new one. */
static void add_run(struct runs *open, int x0, int x1, int y0, int y1, int n_above,
                    struct damage *d, int w, int h)
{
	for (int i = 0; i < n_above; i++) {
		struct run *r = &open->r[i];
		if (r->x0 == x0 && r->x1 == x1 && r->y1 == y0 && !r->continued) {
			r->y1 = y1;
			r->continued = true;
			return;
		}
	}
	if (open->n < (int)(sizeof(open->r) / sizeof(open->r[0]))) {
		open->r[open->n++] = (struct run){x0, x1, y0, y1, true};
		return;
	}
	struct cap_rect rect = {x0, y0, x1 - x0, y1 - y0}; /* cannot happen; never lose it */
	damage_add(d, &rect, w, h);
}

bool tiles_update(uint8_t *fb, int fb_stride, const uint8_t *src, int src_stride, enum pix_format f,
                  int w, int h, const struct cap_rect *clip, uint8_t *row, struct damage *d)
{
	int cx0 = clip->x < 0 ? 0 : clip->x, cy0 = clip->y < 0 ? 0 : clip->y;
	int cx1 = clip->x + clip->w > w ? w : clip->x + clip->w;
	int cy1 = clip->y + clip->h > h ? h : clip->y + clip->h;
	if (cx1 <= cx0 || cy1 <= cy0 || w > 16384) {
		return false;
	}
	bool direct = f == PIX_BGRX || f == PIX_BGRA;
	bool any = false;
	bool dirty[MAX_TILES_X];
	struct runs open = {.n = 0};
	int t0 = cx0 / TILE_SIDE, t1 = (cx1 - 1) / TILE_SIDE; /* tile columns, inclusive */
	for (int by = cy0 / TILE_SIDE * TILE_SIDE; by < cy1; by += TILE_SIDE) {
		int y0 = by > cy0 ? by : cy0;
		int y1 = by + TILE_SIDE < cy1 ? by + TILE_SIDE : cy1;
		memset(dirty, 0, sizeof(dirty));
		for (int y = y0; y < y1; y++) {
			const uint8_t *s = src + (size_t)y * (size_t)src_stride + (size_t)cx0 * 4;
			uint8_t *o = fb + (size_t)y * (size_t)fb_stride;
			if (!direct) {
				pix_to_bgrx(f, s, row + (size_t)cx0 * 4, cx1 - cx0);
				s = row + (size_t)cx0 * 4;
			}
			s -= (size_t)cx0 * 4; /* s and o now both index by desktop x */
			for (int t = t0; t <= t1; t++) {
				int x0 = t * TILE_SIDE > cx0 ? t * TILE_SIDE : cx0;
				int x1 = (t + 1) * TILE_SIDE < cx1 ? (t + 1) * TILE_SIDE : cx1;
				size_t off = (size_t)x0 * 4, len = (size_t)(x1 - x0) * 4;
				if (dirty[t] || memcmp(o + off, s + off, len) != 0) {
					memcpy(o + off, s + off, len);
					dirty[t] = true;
				}
			}
		}
		int n_above = open.n;
		for (int t = t0; t <= t1; t++) {
			if (!dirty[t]) {
				continue;
			}
			int e = t;
			while (e + 1 <= t1 && dirty[e + 1]) {
				e++;
			}
			int x0 = t * TILE_SIDE > cx0 ? t * TILE_SIDE : cx0;
			int x1 = (e + 1) * TILE_SIDE < cx1 ? (e + 1) * TILE_SIDE : cx1;
			add_run(&open, x0, x1, y0, y1, n_above, d, w, h);
			any = true;
			t = e;
		}
		flush_stale(&open, d, w, h);
	}
	for (int i = 0; i < open.n; i++) {
		open.r[i].continued = false;
	}
	flush_stale(&open, d, w, h);
	return any;
}
