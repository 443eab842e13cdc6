/* JSON that a peer wrote (sway's IPC replies, gnome-shell's Eval answers):
 * parsed only within caps on size, values and nesting; looked up by type,
 * a wrong type counting as missing; its text copied so that it is safe to
 * print. Pure; fuzzed through its users (fuzz_swaytree, fuzz_gnometree). */
#ifndef RDPSHARE_CAPTURE_PEER_JSON_H
#define RDPSHARE_CAPTURE_PEER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Coordinates past this are a peer's nonsense; clamping keeps the
 * arithmetic of the filter's consumers inside int. */
#define PEER_JSON_COORD_MAX (1 << 24)

/* Parse len bytes (no NUL needed) holding one JSON value and nothing but
 * white space after it. NULL when len is 0 or over max_len, when there are
 * more than max_tokens values (json-c spends ~100 bytes on each), when it
 * nests deeper than depth, or when it is not JSON. Ownership: the caller
 * puts the result with json_object_put. */
json_object *peer_json_parse(const char *json, size_t len, size_t max_len, size_t max_tokens,
                             int depth);

/* o's member key when it has that type, else NULL. */
json_object *peer_json_member(json_object *o, const char *key, json_type type);
/* o's member key as a finite number (int or double): true and *out. */
bool peer_json_number(json_object *o, const char *key, double *out);
/* o's string member key and its length (it may hold NULs), else NULL. */
const char *peer_json_string(json_object *o, const char *key, size_t *len);
bool peer_json_is_string(json_object *o, const char *key, const char *want);
/* o's boolean member key; false when missing or not a boolean. */
bool peer_json_flag(json_object *o, const char *key);
/* v rounded to int, at least lo (NaN: lo), at most PEER_JSON_COORD_MAX. */
int peer_json_clamp(double v, double lo);
/* FNV-1a of len bytes, continuing from h (2166136261u to start). */
uint32_t peer_json_fnv1a(const char *s, size_t len, uint32_t h);

/* Copy UTF-8 from a peer into dst (size bytes, NUL-terminated): whole
 * sequences only, stopping at a NUL or where the next one would not fit;
 * a byte that does not begin a valid sequence becomes '?', a control
 * character a space. */
void peer_json_copy_text(char *dst, size_t size, const char *src, size_t len);

#endif
