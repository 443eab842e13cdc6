#include "capture/swaytree.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

/* Stacking layers, bottom first: sway draws floating views over the tiling
 * ones and a fullscreen view over both. */
enum layer { TILING, FLOATING, FULLSCREEN, N_LAYERS };

/* Coordinates past this are a peer's nonsense; clamping keeps the
 * arithmetic of the filter's consumers inside int. */
#define COORD_MAX (1 << 24)

struct walk {
	struct swaytree *t;
	double ox, oy, scale; /* the output's origin and scale */
	int cap;              /* room in t->v */
	int count;            /* views seen in the counting pass */
	int skip;             /* views to drop, from the bottom */
	int seen;             /* views passed in the emitting passes, in final order */
	int layer;            /* the layer being emitted, -1 while counting */
};

void swaytree_copy_text(char *dst, size_t size, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, i = 0;
	if (size == 0) {
		return;
	}
	while (i < len && s[i]) {
		unsigned c = s[i];
		size_t n = c < 0x80                ? 1
		           : c >= 0xC2 && c < 0xE0 ? 2
		           : c >= 0xE0 && c < 0xF0 ? 3
		           : c >= 0xF0 && c < 0xF5 ? 4
		                                   : 0;
		/* the second byte's range rules out overlong forms, surrogates and
		 * code points past U+10FFFF */
		unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
		unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
		bool ok = n > 0 && i + n <= len;
		for (size_t k = 1; ok && k < n; k++) {
			ok = k == 1 ? s[i + k] >= lo && s[i + k] <= hi : (s[i + k] & 0xC0) == 0x80;
		}
		if (!ok) {
			n = 1;
		}
		if (o + n >= size) {
			break;
		}
		if (!ok) {
			dst[o++] = '?';
		} else if (c < 0x20 || c == 0x7F || (c == 0xC2 && s[i + 1] < 0xA0)) {
			dst[o++] = ' '; /* C0, DEL and C1 controls */
		} else {
			memcpy(dst + o, s + i, n);
			o += n;
		}
		i += n;
	}
	dst[o] = '\0';
}

static json_object *member(json_object *o, const char *key, json_type type)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type)) {
		return NULL;
	}
	return v;
}

static bool number(json_object *o, const char *key, double *out)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		return false;
	}
	if (json_object_is_type(v, json_type_int)) {
		*out = (double)json_object_get_int64(v);
		return true;
	}
	if (json_object_is_type(v, json_type_double)) {
		*out = json_object_get_double(v);
		return isfinite(*out);
	}
	return false;
}

static const char *string(json_object *o, const char *key, size_t *len)
{
	json_object *v = member(o, key, json_type_string);
	if (!v) {
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static bool is_string(json_object *o, const char *key, const char *want)
{
	size_t len;
	const char *s = string(o, key, &len);
	return s && strlen(want) == len && memcmp(s, want, len) == 0;
}

static bool flag(json_object *o, const char *key)
{
	json_object *v = member(o, key, json_type_boolean);
	return v && json_object_get_boolean(v);
}

static int clamp(double v, double lo)
{
	if (!(v >= lo)) {
		return (int)lo; /* also NaN */
	}
	return v > COORD_MAX ? COORD_MAX : (int)(v < 0 ? v - 0.5 : v + 0.5);
}

static uint32_t fnv1a(const char *s, size_t len, uint32_t h)
{
	for (size_t i = 0; i < len; i++) {
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	return h;
}

static bool view_id(json_object *node, uint32_t *id)
{
	json_object *v = member(node, "id", json_type_int);
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
	return (is_string(node, "type", "con") || is_string(node, "type", "floating_con")) &&
	       view_id(node, &id) &&
	       (member(node, "pid", json_type_int) || member(node, "app_id", json_type_string) ||
	        member(node, "window_properties", json_type_object));
}

static void describe(struct walk *w, json_object *node, struct cap_window *out)
{
	view_id(node, &out->id);
	size_t len = 0;
	const char *app_id = string(node, "app_id", &len), *name = NULL;
	json_object *props = member(node, "window_properties", json_type_object);
	if (app_id && len) {
		name = app_id;
	} else if (props && (name = string(props, "class", &len)) && !len) {
		name = NULL;
	}
	json_object *pid = member(node, "pid", json_type_int);
	int64_t p = pid ? json_object_get_int64(pid) : 0;
	if (p > 0 && p < CAP_APP_SYNTHETIC) {
		out->app = (uint32_t)p;
	} else {
		/* No process (an X11 client without _NET_WM_PID): one application
		 * per app_id or class, else one per view. */
		char idbuf[16];
		int n = snprintf(idbuf, sizeof(idbuf), "#%u", out->id);
		uint32_t h =
		    name ? fnv1a(name, len, 2166136261u) : fnv1a(idbuf, (size_t)n, 2166136261u);
		out->app = CAP_APP_SYNTHETIC + (h & (CAP_APP_SYNTHETIC - 1));
	}
	if (name) {
		swaytree_copy_text(out->app_name, sizeof(out->app_name), name, len);
	}
	if (!out->app_name[0]) {
		snprintf(out->app_name, sizeof(out->app_name), "unknown");
	}
	const char *title = string(node, "name", &len);
	if (title) {
		swaytree_copy_text(out->title, sizeof(out->title), title, len);
	}
	json_object *rect = member(node, "rect", json_type_object);
	double x = 0, y = 0, rw = 0, rh = 0;
	if (rect && number(rect, "x", &x) && number(rect, "y", &y) && number(rect, "width", &rw) &&
	    number(rect, "height", &rh)) {
		out->x = clamp((x - w->ox) * w->scale, -COORD_MAX);
		out->y = clamp((y - w->oy) * w->scale, -COORD_MAX);
		out->w = clamp(rw * w->scale, 0);
		out->h = clamp(rh * w->scale, 0);
	}
	out->viewable = flag(node, "visible");
	out->listed = true;
	out->owner = 0;
}

static void visit(struct walk *w, json_object *node, int depth, bool floating, bool fullscreen);

static void visit_list(struct walk *w, json_object *node, const char *key, int depth, bool floating,
                       bool fullscreen)
{
	json_object *a = member(node, key, json_type_array);
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
	bool con = is_string(node, "type", "con") || is_string(node, "type", "floating_con");
	json_object *fs = member(node, "fullscreen_mode", json_type_int);
	/* a workspace reports fullscreen_mode 1 whatever it holds: only a con's counts */
	fullscreen = fullscreen || (con && fs && json_object_get_int64(fs) != 0);
	floating = floating || is_string(node, "type", "floating_con");
	if (is_view(node)) {
		int layer = fullscreen ? FULLSCREEN : floating ? FLOATING : TILING;
		if (w->layer < 0) {
			w->count++;
			if (flag(node, "focused")) {
				view_id(node, &w->t->focus);
			}
		} else if (layer == w->layer && w->seen++ >= w->skip && w->t->n < w->cap) {
			describe(w, node, &w->t->v[w->t->n++]);
		}
	}
	visit_list(w, node, "nodes", depth, floating, fullscreen);
	visit_list(w, node, "floating_nodes", depth, true, fullscreen);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Values in the text (one per ',' '[' '{' outside strings, roughly): json-c
 * spends about a hundred bytes on each, so this bounds its memory. */
static size_t count_tokens(const char *s, size_t len)
{
	size_t n = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\') {
				i++;
			} else if (c == '"') {
				in_string = false;
			}
		} else if (c == '"') {
			in_string = true;
		} else if (c == ',' || c == '[' || c == '{') {
			n++;
		}
	}
	return n;
}

static json_object *parse_json(const char *json, size_t len)
{
	if (len == 0 || len > SWAYTREE_MAX_JSON || count_tokens(json, len) > SWAYTREE_MAX_TOKENS) {
		return NULL;
	}
	/* each tree level is an object inside a "nodes" array: two JSON levels,
	 * plus the rect objects of the deepest one */
	json_tokener *tok = json_tokener_new_ex(2 * SWAYTREE_MAX_DEPTH + 4);
	if (!tok) {
		return NULL;
	}
	json_object *root = json_tokener_parse_ex(tok, json, (int)len);
	if (root) {
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
			if (!is_space(json[i])) {
				json_object_put(root);
				root = NULL;
				break;
			}
		}
	} else if (json_tokener_get_error(tok) == json_tokener_continue) {
		/* a number at the very end waits for its terminator */
		root = json_tokener_parse_ex(tok, "", 1);
	}
	json_tokener_free(tok);
	return root;
}

static json_object *find_output(json_object *root, const char *name)
{
	json_object *a = member(root, "nodes", json_type_array);
	size_t n = a ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		size_t len;
		const char *s;
		if (!json_object_is_type(o, json_type_object) || !is_string(o, "type", "output") ||
		    !(s = string(o, "name", &len))) {
			continue;
		}
		/* "__i3" holds the scratchpad: never a real output */
		if (name ? strlen(name) == len && memcmp(s, name, len) == 0
		         : flag(o, "active") && strncmp(s, "__", 2) != 0) {
			return o;
		}
	}
	return NULL;
}

int swaytree_parse(struct swaytree *t, const char *json, size_t len, const char *output)
{
	memset(t, 0, sizeof(*t));
	json_object *root = parse_json(json, len);
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
	const char *name = string(out, "name", &nlen);
	swaytree_copy_text(t->output, sizeof(t->output), name, nlen);
	struct walk w = {.t = t, .scale = 1, .layer = -1};
	double scale, ow = 0, oh = 0;
	if (number(out, "scale", &scale) && scale > 0 && scale <= 16) {
		w.scale = scale;
	}
	json_object *rect = member(out, "rect", json_type_object);
	if (rect && number(rect, "x", &w.ox) && number(rect, "y", &w.oy) &&
	    number(rect, "width", &ow) && number(rect, "height", &oh)) {
		t->width = clamp(ow * w.scale, 0);
		t->height = clamp(oh * w.scale, 0);
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
	json_object *root = parse_json(json, len);
	int r = -EINVAL;
	if (json_object_is_type(root, json_type_object)) {
		json_object *ok = member(root, "success", json_type_boolean);
		r = !ok ? -EINVAL : json_object_get_boolean(ok) ? 0 : -ENOENT;
	} else if (json_object_is_type(root, json_type_array)) {
		size_t n = json_object_array_length(root);
		r = n ? 0 : -EINVAL;
		for (size_t i = 0; i < n && r != -EINVAL; i++) {
			json_object *e = json_object_array_get_idx(root, i);
			json_object *ok = json_object_is_type(e, json_type_object)
			                      ? member(e, "success", json_type_boolean)
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
