/* What the fuzz targets of window lists check in every result: a broken
 * promise aborts, which libFuzzer reports with the input. Static
 * functions: each target is one translation unit. */
#ifndef RDPSHARE_FUZZ_CHECKS_H
#define RDPSHARE_FUZZ_CHECKS_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

static inline void check(int cond)
{
	if (!cond) {
		abort();
	}
}

/* Valid UTF-8 (shortest forms, no surrogates, nothing past U+10FFFF)
 * without C0, DEL or C1 controls. */
static inline int clean_utf8(const unsigned char *s, size_t n)
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

static inline void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);
	check(n < size);
	check(clean_utf8((const unsigned char *)s, n));
}

/* What every window of a parsed list promises: an id and an application,
 * sizes and places within the parsers' clamp, printable names. */
static inline void check_window(const struct cap_window *w)
{
	check(w->id != 0);
	check(w->app != 0);
	check(w->w >= 0 && w->w <= 1 << 24 && w->h >= 0 && w->h <= 1 << 24);
	check(w->x >= -(1 << 24) && w->x <= 1 << 24 && w->y >= -(1 << 24) && w->y <= 1 << 24);
	check_text(w->app_name, sizeof(w->app_name));
	check(w->app_name[0] != '\0');
	check_text(w->title, sizeof(w->title));
}

#endif
