/* libFuzzer target for the text converters (src/util/utf16.c) that clipboard
 * text and multiparty names from viewers go through: any bytes as UTF-16LE
 * give valid UTF-8 within the promised room, and any bytes as UTF-8 give
 * UTF-16 that converts back to the same UTF-8 as that UTF-8's own repair. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf16.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

/* Strictly valid UTF-8: shortest forms, no surrogates, nothing past U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t extra = c < 0x80                ? 0
		               : c >= 0xC2 && c < 0xE0 ? 1
		               : c >= 0xE0 && c < 0xF0 ? 2
		               : c >= 0xF0 && c < 0xF5 ? 3
		                                       : 9;
		if (extra == 9 || i + extra >= n + (extra == 0)) {
			return 0; /* a bad lead byte, or a sequence cut short */
		}
		unsigned v = extra ? c & (0x3Fu >> extra) : c;
		for (size_t k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xC0) != 0x80) {
				return 0;
			}
			v = v << 6 | (s[i + k] & 0x3F);
		}
		if ((extra == 2 && (v < 0x800 || (v >= 0xD800 && v < 0xE000))) ||
		    (extra == 3 && (v < 0x10000 || v > 0x10FFFF))) {
			return 0;
		}
		i += extra + 1;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t units = size / 2;
	char *out = malloc(3 * units + 1);
	if (!out) {
		return 0;
	}
	size_t len = utf16le_to_utf8(data, units, out);
	check(len <= 3 * units && out[len] == '\0' && strlen(out) == len);
	check(valid_utf8((const unsigned char *)out, len));

	/* the input as UTF-8 (possibly broken): to UTF-16 and back */
	char *s = malloc(size + 1);
	uint16_t *u = malloc((size + 1) * sizeof(uint16_t));
	if (s && u) {
		memcpy(s, data, size);
		s[size] = '\0';
		int n = utf8_to_utf16(s, u, (int)size + 1);
		check(n >= 0 && (size_t)n <= size);
		uint8_t *le = malloc(2 * (size_t)n + 1);
		char *back = malloc(3 * (size_t)n + 1);
		if (le && back) {
			for (int i = 0; i < n; i++) {
				check(u[i] != 0);
				le[2 * i] = (uint8_t)u[i];
				le[2 * i + 1] = (uint8_t)(u[i] >> 8);
			}
			size_t blen = utf16le_to_utf8(le, (size_t)n, back);
			check(valid_utf8((const unsigned char *)back, blen));
			/* valid input survives unchanged */
			if (valid_utf8((const unsigned char *)s, strlen(s))) {
				check(strcmp(back, s) == 0);
			}
		}
		free(le);
		free(back);
	}
	free(s);
	free(u);
	free(out);
	return 0;
}
