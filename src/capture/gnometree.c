#include "capture/gnometree.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "capture/peer_json.h"
#include "capture/winlist.h"

#define META_WINDOW_NORMAL 0 /* MetaWindowType */

struct place {
	double ox, oy; /* the monitor's origin on the stage */
	double sx, sy; /* stage pixels to stream pixels */
};

static bool window_id(json_object *o, const char *key, uint32_t *id)
{
	json_object *v = peer_json_member(o, key, json_type_int);
	int64_t n = v ? json_object_get_int64(v) : 0;
	if (n <= 0 || n > UINT32_MAX) {
		return false;
	}
	*id = (uint32_t)n;
	return true;
}

static void name_app(json_object *o, struct cap_window *out)
{
	size_t len = 0, clen = 0;
	const char *app = peer_json_string(o, "app", &len);
	const char *cls = peer_json_string(o, "class", &clen);
	/* Mutter names an application it cannot match to a .desktop file
	 * "window:N", one per window: no name for people, no grouping */
	if (app && len >= 7 && memcmp(app, "window:", 7) == 0) {
		app = NULL;
	}
	if (app && len > 8 && memcmp(app + len - 8, ".desktop", 8) == 0) {
		len -= 8;
	}
	const char *name = cls && clen ? cls : app && len ? app : NULL;
	size_t nlen = cls && clen ? clen : len;
	json_object *pid = peer_json_member(o, "pid", json_type_int);
	int64_t p = pid ? json_object_get_int64(pid) : 0;
	if (p > 0 && p < CAP_APP_SYNTHETIC) {
		out->app = (uint32_t)p;
	} else {
		/* No process known (an X11 client without _NET_WM_PID) */
		out->app = winlist_synthetic_app(name, nlen, out->id);
	}
	if (name) {
		peer_json_copy_text(out->app_name, sizeof(out->app_name), name, nlen);
	}
	if (!out->app_name[0]) {
		snprintf(out->app_name, sizeof(out->app_name), "unknown");
	}
}

/* false when o is no window */
static bool describe(const struct place *pl, json_object *o, struct cap_window *out)
{
	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(o, json_type_object) || !window_id(o, "id", &out->id)) {
		return false;
	}
	name_app(o, out);
	size_t len = 0;
	const char *title = peer_json_string(o, "title", &len);
	if (title) {
		peer_json_copy_text(out->title, sizeof(out->title), title, len);
	}
	double x = 0, y = 0, w = 0, h = 0;
	if (peer_json_number(o, "x", &x) && peer_json_number(o, "y", &y) &&
	    peer_json_number(o, "w", &w) && peer_json_number(o, "h", &h)) {
		out->x = peer_json_clamp((x - pl->ox) * pl->sx, -PEER_JSON_COORD_MAX);
		out->y = peer_json_clamp((y - pl->oy) * pl->sy, -PEER_JSON_COORD_MAX);
		out->w = peer_json_clamp(w * pl->sx, 0);
		out->h = peer_json_clamp(h * pl->sy, 0);
	}
	if (!window_id(o, "owner", &out->owner) || out->owner == out->id) {
		out->owner = 0;
	}
	json_object *type = peer_json_member(o, "type", json_type_int);
	out->viewable = peer_json_flag(o, "shown");
	out->listed = type && json_object_get_int64(type) == META_WINDOW_NORMAL && !out->owner;
	return true;
}

/* The monitor's place and the scale to the stream; without a sensible
 * monitor the stage is taken as the stream. */
static void find_place(json_object *root, int out_w, int out_h, struct place *pl)
{
	*pl = (struct place){0, 0, 1, 1};
	json_object *mon = peer_json_member(root, "mon", json_type_object);
	double x, y, w, h;
	if (mon && peer_json_number(mon, "x", &x) && peer_json_number(mon, "y", &y) &&
	    peer_json_number(mon, "w", &w) && peer_json_number(mon, "h", &h) && w >= 1 && h >= 1 &&
	    w <= PEER_JSON_COORD_MAX && h <= PEER_JSON_COORD_MAX && x >= -PEER_JSON_COORD_MAX &&
	    x <= PEER_JSON_COORD_MAX && y >= -PEER_JSON_COORD_MAX && y <= PEER_JSON_COORD_MAX) {
		pl->ox = x;
		pl->oy = y;
		if (out_w > 0 && out_h > 0) {
			pl->sx = out_w / w;
			pl->sy = out_h / h;
		}
	}
}

int gnometree_parse(struct gnometree *t, const char *json, size_t len, int out_w, int out_h)
{
	memset(t, 0, sizeof(*t));
	/* the answer is three levels deep; a little room for nothing more */
	json_object *root = peer_json_parse(json, len, GNOMETREE_MAX_JSON, GNOMETREE_MAX_TOKENS, 8);
	json_object *list = json_object_is_type(root, json_type_object)
	                        ? peer_json_member(root, "windows", json_type_array)
	                        : NULL;
	if (!list) {
		json_object_put(root);
		return -EINVAL;
	}
	struct place pl;
	find_place(root, out_w, out_h, &pl);
	size_t count = json_object_array_length(list);
	/* past the cap the bottom-most go: the topmost decide what covers a
	 * shared window */
	size_t first = count > GNOMETREE_MAX_WINDOWS ? count - GNOMETREE_MAX_WINDOWS : 0;
	if (count > first) {
		t->v = calloc(count - first, sizeof(*t->v));
		if (!t->v) {
			json_object_put(root);
			return -ENOMEM;
		}
	}
	for (size_t i = first; i < count; i++) {
		if (describe(&pl, json_object_array_get_idx(list, i), &t->v[t->n])) {
			t->n++;
		}
	}
	uint32_t focus = 0;
	if (window_id(root, "focus", &focus)) {
		for (int i = 0; i < t->n && !t->focus; i++) {
			t->focus = t->v[i].id == focus ? focus : 0;
		}
	}
	if (t->n == 0) {
		free(t->v);
		t->v = NULL;
	}
	json_object_put(root);
	return 0;
}

void gnometree_finish(struct gnometree *t)
{
	if (t) {
		free(t->v);
		memset(t, 0, sizeof(*t));
	}
}
