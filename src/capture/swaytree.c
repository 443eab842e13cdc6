#include "capture/swaytree.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "capture/peer_json.h"
#include "capture/winlist.h"

/* Stacking layers, bottom first: sway draws floating views over the tiling
 * ones and a fullscreen view over both. */
enum layer { TILING, FLOATING, FULLSCREEN, N_LAYERS };

struct walk {
	struct swaytree *t;
	double ox, oy, scale; /* the output's origin and scale */
	int cap;              /* room in t->v */
	int count;            /* views seen in the counting pass */
	int skip;             /* views to drop, from the bottom */
	int seen;             /* views passed in the emitting passes, in final order */
	int layer;            /* the layer being emitted, -1 while counting */
};

static bool view_id(json_object *node, uint32_t *id)
{
	json_object *v = peer_json_member(node, "id", json_type_int);
	int64_t n = v ? json_object_get_int64(v) : 0;
	if (n <= 0 || n > UINT32_MAX) {
		return false;
	}
	*id = (uint32_t)n;
	return true;
}

/* A view is a con that holds an application's surface (sway marks it with
 * the client's pid, a Wayland app_id or X11 properties); split containers
 * have none of them. */
static bool is_view(json_object *node)
{
	uint32_t id;
	return (peer_json_is_string(node, "type", "con") ||
	        peer_json_is_string(node, "type", "floating_con")) &&
	       view_id(node, &id) &&
	       (peer_json_member(node, "pid", json_type_int) ||
	        peer_json_member(node, "app_id", json_type_string) ||
	        peer_json_member(node, "window_properties", json_type_object));
}

static void describe(struct walk *w, json_object *node, struct cap_window *out)
{
	view_id(node, &out->id);
	size_t len = 0;
	const char *app_id = peer_json_string(node, "app_id", &len), *name = NULL;
	json_object *props = peer_json_member(node, "window_properties", json_type_object);
	if (app_id && len) {
		name = app_id;
	} else if (props && (name = peer_json_string(props, "class", &len)) && !len) {
		name = NULL;
	}
	json_object *pid = peer_json_member(node, "pid", json_type_int);
	int64_t p = pid ? json_object_get_int64(pid) : 0;
	if (p > 0 && p < CAP_APP_SYNTHETIC) {
		out->app = (uint32_t)p;
	} else {
		/* No process (an X11 client without _NET_WM_PID) */
		out->app = winlist_synthetic_app(name, len, out->id);
	}
	if (name) {
		peer_json_copy_text(out->app_name, sizeof(out->app_name), name, len);
	}
	if (!out->app_name[0]) {
		snprintf(out->app_name, sizeof(out->app_name), "unknown");
	}
	const char *title = peer_json_string(node, "name", &len);
	if (title) {
		peer_json_copy_text(out->title, sizeof(out->title), title, len);
	}
	json_object *rect = peer_json_member(node, "rect", json_type_object);
	double x = 0, y = 0, rw = 0, rh = 0;
	if (rect && peer_json_number(rect, "x", &x) && peer_json_number(rect, "y", &y) &&
	    peer_json_number(rect, "width", &rw) && peer_json_number(rect, "height", &rh)) {
		out->x = peer_json_clamp((x - w->ox) * w->scale, -PEER_JSON_COORD_MAX);
		out->y = peer_json_clamp((y - w->oy) * w->scale, -PEER_JSON_COORD_MAX);
		out->w = peer_json_clamp(rw * w->scale, 0);
		out->h = peer_json_clamp(rh * w->scale, 0);
	}
	out->viewable = peer_json_flag(node, "visible");
	out->listed = true;
	out->owner = 0;
}

static void visit(struct walk *w, json_object *node, int depth, bool floating, bool fullscreen);

static void visit_list(struct walk *w, json_object *node, const char *key, int depth, bool floating,
                       bool fullscreen)
{
	json_object *a = peer_json_member(node, key, json_type_array);
	size_t n = a ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < n; i++) {
		visit(w, json_object_array_get_idx(a, i), depth + 1, floating, fullscreen);
	}
}

static void visit(struct walk *w, json_object *node, int depth, bool floating, bool fullscreen)
{
	if (depth > SWAYTREE_MAX_DEPTH || !json_object_is_type(node, json_type_object)) {
		return;
	}
	bool con = peer_json_is_string(node, "type", "con") ||
	           peer_json_is_string(node, "type", "floating_con");
	json_object *fs = peer_json_member(node, "fullscreen_mode", json_type_int);
	/* a workspace reports fullscreen_mode 1 whatever it holds: only a con's counts */
	fullscreen = fullscreen || (con && fs && json_object_get_int64(fs) != 0);
	floating = floating || peer_json_is_string(node, "type", "floating_con");
	if (is_view(node)) {
		int layer = fullscreen ? FULLSCREEN : floating ? FLOATING : TILING;
		if (w->layer < 0) {
			w->count++;
			if (peer_json_flag(node, "focused")) {
				view_id(node, &w->t->focus);
			}
		} else if (layer == w->layer && w->seen++ >= w->skip && w->t->n < w->cap) {
			describe(w, node, &w->t->v[w->t->n++]);
		}
	}
	visit_list(w, node, "nodes", depth, floating, fullscreen);
	visit_list(w, node, "floating_nodes", depth, true, fullscreen);
}

static json_object *find_output(json_object *root, const char *name)
{
	json_object *a = peer_json_member(root, "nodes", json_type_array);
	size_t n = a ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		size_t len;
		const char *s;
		if (!json_object_is_type(o, json_type_object) ||
		    !peer_json_is_string(o, "type", "output") ||
		    !(s = peer_json_string(o, "name", &len))) {
			continue;
		}
		/* "__i3" holds the scratchpad: never a real output */
		if (name ? strlen(name) == len && memcmp(s, name, len) == 0
		         : peer_json_flag(o, "active") && strncmp(s, "__", 2) != 0) {
			return o;
		}
	}
	return NULL;
}

int swaytree_parse(struct swaytree *t, const char *json, size_t len, const char *output)
{
	memset(t, 0, sizeof(*t));
	json_object *root = peer_json_parse(json, len, SWAYTREE_MAX_JSON, SWAYTREE_MAX_TOKENS,
	                                    2 * SWAYTREE_MAX_DEPTH + 4);
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -EINVAL;
	}
	json_object *out = find_output(root, output);
	if (!out) {
		json_object_put(root);
		return -ENODEV;
	}
	size_t nlen = 0;
	const char *name = peer_json_string(out, "name", &nlen);
	peer_json_copy_text(t->output, sizeof(t->output), name, nlen);
	struct walk w = {.t = t, .scale = 1, .layer = -1};
	double scale, ow = 0, oh = 0;
	if (peer_json_number(out, "scale", &scale) && scale > 0 && scale <= 16) {
		w.scale = scale;
	}
	json_object *rect = peer_json_member(out, "rect", json_type_object);
	if (rect && peer_json_number(rect, "x", &w.ox) && peer_json_number(rect, "y", &w.oy) &&
	    peer_json_number(rect, "width", &ow) && peer_json_number(rect, "height", &oh)) {
		t->width = peer_json_clamp(ow * w.scale, 0);
		t->height = peer_json_clamp(oh * w.scale, 0);
	} else {
		w.ox = w.oy = 0;
	}
	/* count, then emit layer by layer; past the cap the bottom-most views
	 * go, since the topmost decide what covers a shared window */
	visit_list(&w, out, "nodes", 0, false, false);
	visit_list(&w, out, "floating_nodes", 0, true, false);
	int n = w.count < SWAYTREE_MAX_WINDOWS ? w.count : SWAYTREE_MAX_WINDOWS;
	w.skip = w.count - n;
	w.cap = n;
	if (n > 0) {
		t->v = calloc((size_t)n, sizeof(*t->v));
		if (!t->v) {
			json_object_put(root);
			memset(t, 0, sizeof(*t));
			return -ENOMEM;
		}
	}
	for (w.layer = 0; w.layer < N_LAYERS && n > 0; w.layer++) {
		visit_list(&w, out, "nodes", 0, false, false);
		visit_list(&w, out, "floating_nodes", 0, true, false);
	}
	/* the focus counts only when the view made it into the list */
	bool found = false;
	for (int i = 0; i < t->n && t->focus; i++) {
		found = found || t->v[i].id == t->focus;
	}
	if (!found) {
		t->focus = 0;
	}
	json_object_put(root);
	return 0;
}

int swaytree_success(const char *json, size_t len)
{
	json_object *root = peer_json_parse(json, len, SWAYTREE_MAX_JSON, SWAYTREE_MAX_TOKENS,
	                                    2 * SWAYTREE_MAX_DEPTH + 4);
	int r = -EINVAL;
	if (json_object_is_type(root, json_type_object)) {
		json_object *ok = peer_json_member(root, "success", json_type_boolean);
		r = !ok ? -EINVAL : json_object_get_boolean(ok) ? 0 : -ENOENT;
	} else if (json_object_is_type(root, json_type_array)) {
		size_t n = json_object_array_length(root);
		r = n ? 0 : -EINVAL;
		for (size_t i = 0; i < n && r != -EINVAL; i++) {
			json_object *e = json_object_array_get_idx(root, i);
			json_object *ok = json_object_is_type(e, json_type_object)
			                      ? peer_json_member(e, "success", json_type_boolean)
			                      : NULL;
			if (!ok) {
				r = -EINVAL;
			} else if (!json_object_get_boolean(ok)) {
				r = -ENOENT;
			}
		}
	}
	json_object_put(root);
	return r;
}

void swaytree_finish(struct swaytree *t)
{
	if (t) {
		free(t->v);
		memset(t, 0, sizeof(*t));
	}
}
