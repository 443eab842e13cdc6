/* libFuzzer target for the text converters (src/util/utf16.c) that clipboard
 * text and multiparty names from viewers go through: any bytes as UTF-16LE
 * give valid UTF-8 within the promised room, and any bytes as UTF-8 give
 * UTF-16 that converts back to the same UTF-8 as that UTF-8's own repair.
 * And for the printers of peer text (src/util/text.c): any bytes give a
 * terminal copy that is valid UTF-8 with no control or bidi character and
 * no more than the cap, and a JSON body that is valid, as inert, within its
 * room, and decodes back to the input when that was valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
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

/* Valid UTF-8 with no unsafe code point (util/text.h) in it. */
static int inert(const unsigned char *s, size_t n)
{
	if (!valid_utf8(s, n)) {
		return 0;
	}
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		unsigned long v = extra ? c & (0x3Fu >> extra) : c;
		for (size_t k = 1; k <= extra; k++) {
			v = v << 6 | (s[i + k] & 0x3F);
		}
		if (text_is_unsafe(v)) {
			return 0;
		}
		i += extra + 1;
	}
	return 1;
}

static size_t put_utf8(unsigned long v, char *out)
{
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xC0 | v >> 6);
		out[1] = (char)(0x80 | (v & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | v >> 12);
	out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
	out[2] = (char)(0x80 | (v & 0x3F));
	return 3;
}

/* A JSON string body back to its bytes (text_json_body writes no surrogate
 * escapes); -1 for anything a JSON parser would reject. */
static long json_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"') {
			return -1;
		}
		if (c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		if (++i == n) {
			return -1;
		}
		static const char names[] = "\"\\/bfnrt", values[] = "\"\\/\b\f\n\r\t";
		const char *simple = s[i] ? strchr(names, s[i]) : NULL;
		if (simple) {
			out[o++] = values[simple - names];
		} else if (s[i] == 'u' && i + 4 < n) {
			char hex[5] = {s[i + 1], s[i + 2], s[i + 3], s[i + 4], 0};
			char *end;
			unsigned long v = strtoul(hex, &end, 16);
			if (*end || (v >= 0xD800 && v < 0xE000)) {
				return -1;
			}
			o += put_utf8(v, out + o);
			i += 4;
		} else {
			return -1;
		}
	}
	return (long)o;
}

static void check_printers(const uint8_t *data, size_t size)
{
	size_t max = size ? data[0] % 80 : 0;
	enum text_quote q = size ? (enum text_quote)(data[size - 1] % 3) : TEXT_BARE;
	char *t = text_terminal((const char *)data, size, max, q);
	if (t) {
		size_t n = strlen(t);
		check(inert((const unsigned char *)t, n));
		check(n <= 6 * max + 6);
		free(t);
	}
	char *j = malloc(6 * size + 1);
	char *back = malloc(6 * size + 1);
	if (j && back) {
		size_t n = text_json_body((const char *)data, size, j);
		check(n <= 6 * size && j[n] == '\0' && strlen(j) == n);
		check(inert((const unsigned char *)j, n));
		long b = json_decode(j, n, back);
		check(b >= 0);
		if (valid_utf8(data, size)) {
			check((size_t)b == size && memcmp(back, data, size) == 0);
		}
		/* typeable text is valid UTF-8 and prints unchanged */
		if (text_is_typeable((const char *)data, size)) {
			check(valid_utf8(data, size));
			check(inert(data, size));
		}
	}
	free(j);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_printers(data, size);
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
