/* JSON from a peer (sway's IPC, gnome-shell's Eval): parsing with caps on
 * size, values and nesting, typed lookups that treat a wrong type as
 * missing, and text copied so that it is safe to print. */
#include "capture/peer_json.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

void peer_json_copy_text(char *dst, size_t size, const char *src, size_t len)
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

json_object *peer_json_member(json_object *o, const char *key, json_type type)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type)) {
		return NULL;
	}
	return v;
}

bool peer_json_number(json_object *o, const char *key, double *out)
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

const char *peer_json_string(json_object *o, const char *key, size_t *len)
{
	json_object *v = peer_json_member(o, key, json_type_string);
	if (!v) {
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

bool peer_json_is_string(json_object *o, const char *key, const char *want)
{
	size_t len;
	const char *s = peer_json_string(o, key, &len);
	return s && strlen(want) == len && memcmp(s, want, len) == 0;
}

bool peer_json_flag(json_object *o, const char *key)
{
	json_object *v = peer_json_member(o, key, json_type_boolean);
	return v && json_object_get_boolean(v);
}

int peer_json_clamp(double v, double lo)
{
	if (!(v >= lo)) {
		return (int)lo; /* also NaN */
	}
	return v > PEER_JSON_COORD_MAX ? PEER_JSON_COORD_MAX : (int)(v < 0 ? v - 0.5 : v + 0.5);
}

uint32_t peer_json_fnv1a(const char *s, size_t len, uint32_t h)
{
	for (size_t i = 0; i < len; i++) {
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	return h;
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

json_object *peer_json_parse(const char *json, size_t len, size_t max_len, size_t max_tokens,
                             int depth)
{
	if (len == 0 || len > max_len || count_tokens(json, len) > max_tokens) {
		return NULL;
	}
	json_tokener *tok = json_tokener_new_ex(depth);
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
