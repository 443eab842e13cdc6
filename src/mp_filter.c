#include "mp_filter.h"

#include <stdlib.h>
#include <string.h>

void mp_filter_free(struct mp_filter *f)
{
	free(f->apps);
	free(f->wins);
	memset(f, 0, sizeof(*f));
}

/* Edges in 64 bits: x + w of a hostile or huge geometry cannot wrap. */
static struct cap_rect clip(const struct cap_rect *a, int64_t l2, int64_t t2, int64_t r2,
                            int64_t b2)
{
	int64_t l = a->x, t = a->y;
	int64_t r = l + (a->w > 0 ? a->w : 0), b = t + (a->h > 0 ? a->h : 0);
	l = l > l2 ? l : l2;
	t = t > t2 ? t : t2;
	r = r < r2 ? r : r2;
	b = b < b2 ? b : b2;
	struct cap_rect out = {0, 0, 0, 0};
	if (r > l && b > t) {
		out = (struct cap_rect){(int)l, (int)t, (int)(r - l), (int)(b - t)};
	}
	return out;
}

struct cap_rect mp_shown_rect(const struct cap_rect *shown, int desk_w, int desk_h)
{
	return clip(shown, 0, 0, desk_w > 0 ? desk_w : 0, desk_h > 0 ? desk_h : 0);
}

bool mp_window_seen(const struct cap_rect *geo, bool viewable, bool filtered,
                    const struct cap_rect *shown)
{
	if (!viewable || filtered) {
		return false;
	}
	int64_t l = shown->x, t = shown->y;
	struct cap_rect in =
	    clip(geo, l, t, l + (shown->w > 0 ? shown->w : 0), t + (shown->h > 0 ? shown->h : 0));
	return in.w > 0 && in.h > 0;
}

bool mp_filter_equal(const struct mp_filter *a, const struct mp_filter *b)
{
	if (a->enabled != b->enabled || a->n_apps != b->n_apps || a->n_wins != b->n_wins) {
		return false;
	}
	for (int i = 0; i < a->n_apps; i++) {
		const struct mp_app *x = &a->apps[i], *y = &b->apps[i];
		if (x->id != y->id || x->flags != y->flags || strcmp(x->name, y->name) != 0) {
			return false;
		}
	}
	for (int i = 0; i < a->n_wins; i++) {
		const struct mp_wnd *x = &a->wins[i], *y = &b->wins[i];
		if (x->id != y->id || x->app != y->app || x->flags != y->flags ||
		    strcmp(x->name, y->name) != 0) {
			return false;
		}
	}
	return true;
}
