#include "util/utf16.h"

#include <stdbool.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Decode one UTF-8 sequence; invalid bytes become U+FFFD. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = *p++;
	int extra = c < 0x80                ? 0
	            : c >= 0xC2 && c < 0xE0 ? 1
	            : c >= 0xE0 && c < 0xF0 ? 2
	            : c >= 0xF0 && c < 0xF5 ? 3
	                                    : -1;
	if (extra < 0) {
		*s = p;
		return 0xFFFD;
	}
	if (extra) {
		c &= 0x3Fu >> extra;
	}
	for (int i = 0; i < extra; i++) {
		if ((*p & 0xC0) != 0x80) {
			*s = p;
			return 0xFFFD;
		}
		c = c << 6 | (*p++ & 0x3F);
	}
	*s = p;
	/* overlong forms (E0 80 80 would be a NUL) are as broken as the rest */
	bool overlong = (extra == 2 && c < 0x800) || (extra == 3 && c < 0x10000);
	return overlong || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000) ? 0xFFFD : c;
}

int utf8_to_utf16(const char *s_in, uint16_t *out, int max)
{
	int n = 0;
	const unsigned char *s = (const unsigned char *)(s_in ? s_in : "");
	while (*s) {
		uint32_t c = utf8_next(&s);
		if (c >= 0x10000) {
			if (n + 2 > max) {
				break;
			}
			c -= 0x10000;
			out[n++] = (uint16_t)(0xD800 | (c >> 10));
			out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
		} else {
			if (n + 1 > max) {
				break;
			}
			out[n++] = (uint16_t)c;
		}
	}
	return n;
}

size_t utf16le_to_utf8(const uint8_t *p, size_t n, char *out)
{
	char *o = out;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = get16(p + 2 * i);
		if (c == 0) {
			break;
		}
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
			uint32_t lo = get16(p + 2 * i + 2);
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			}
		}
		if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xC0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*o++ = (char)(0xE0 | c >> 12);
			*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			/* a pair: 4 bytes for 2 units, within the 3-a-unit room */
			*o++ = (char)(0xF0 | c >> 18);
			*o++ = (char)(0x80 | ((c >> 12) & 0x3F));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*o = '\0';
	return (size_t)(o - out);
}
