/* libFuzzer target for sway's get_tree reply as a window list
 * (src/capture/swaytree.c): any bytes give an error or a list within the
 * caps, whose texts are valid UTF-8 with no control character and fit their
 * fields, whose sizes are sane and whose focus is one of its windows; the
 * command-reply reader and the text copier hold the same promises. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/peer_json.h"
#include "capture/swaytree.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

/* Valid UTF-8 (shortest forms, no surrogates, nothing past U+10FFFF)
 * without C0, DEL or C1 controls. */
static int clean_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t extra = c < 0x80                ? 0
		               : c >= 0xC2 && c < 0xE0 ? 1
		               : c >= 0xE0 && c < 0xF0 ? 2
		               : c >= 0xF0 && c < 0xF5 ? 3
		                                       : 9;
		if (extra == 9 || i + extra >= n + (extra == 0)) {
			return 0;
		}
		unsigned long v = extra ? c & (0x3Fu >> extra) : c;
		for (size_t k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xC0) != 0x80) {
				return 0;
			}
			v = v << 6 | (s[i + k] & 0x3F);
		}
		if ((extra == 1 && v < 0x80) ||
		    (extra == 2 && (v < 0x800 || (v >= 0xD800 && v < 0xE000))) ||
		    (extra == 3 && (v < 0x10000 || v > 0x10FFFF)) || v < 0x20 ||
		    (v >= 0x7F && v < 0xA0)) {
			return 0;
		}
		i += extra + 1;
	}
	return 1;
}

static void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);
	check(n < size);
	check(clean_utf8((const unsigned char *)s, n));
}

static void check_tree(const uint8_t *data, size_t size, const char *output)
{
	struct swaytree t;
	int r = swaytree_parse(&t, (const char *)data, size, output);
	check(r == 0 || r == -EINVAL || r == -ENODEV || r == -ENOMEM);
	check(t.n >= 0 && t.n <= SWAYTREE_MAX_WINDOWS);
	check((t.n == 0) == (t.v == NULL));
	check(r == 0 || (t.n == 0 && t.focus == 0));
	check(t.width >= 0 && t.width <= 1 << 24 && t.height >= 0 && t.height <= 1 << 24);
	check_text(t.output, sizeof(t.output));
	int focus_found = t.focus == 0;
	for (int i = 0; i < t.n; i++) {
		const struct cap_window *w = &t.v[i];
		check(w->id != 0);
		check(w->app != 0);
		check(w->owner == 0 && w->listed);
		check(w->w >= 0 && w->w <= 1 << 24 && w->h >= 0 && w->h <= 1 << 24);
		check(w->x >= -(1 << 24) && w->x <= 1 << 24 && w->y >= -(1 << 24) &&
		      w->y <= 1 << 24);
		check_text(w->app_name, sizeof(w->app_name));
		check(w->app_name[0] != '\0');
		check_text(w->title, sizeof(w->title));
		focus_found = focus_found || w->id == t.focus;
	}
	check(focus_found);
	swaytree_finish(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_tree(data, size, NULL);
	check_tree(data, size, "HEADLESS-1");
	int r = swaytree_success((const char *)data, size);
	check(r == 0 || r == -ENOENT || r == -EINVAL);
	char small[7];
	memset(small, 'X', sizeof(small));
	size_t room = size ? 1 + data[0] % 6 : 1;
	peer_json_copy_text(small, room, (const char *)data, size);
	check_text(small, room);
	check(room == sizeof(small) || small[room] == 'X');
	return 0;
}
