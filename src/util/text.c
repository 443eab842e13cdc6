#include "util/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One strictly valid UTF-8 sequence at p (n > 0 bytes left): its length,
 * with the code point in *cp; 0 when p[0] does not begin one (shortest
 * forms only, no surrogates, nothing past U+10FFFF, not cut short). */
static size_t decode(const unsigned char *p, size_t n, unsigned long *cp)
{
	unsigned c = p[0];
	size_t extra = c < 0x80                ? 0
	               : c >= 0xC2 && c < 0xE0 ? 1
	               : c >= 0xE0 && c < 0xF0 ? 2
	               : c >= 0xF0 && c < 0xF5 ? 3
	                                       : 4;
	if (extra == 4 || extra >= n) {
		return 0;
	}
	unsigned long v = extra ? c & (0x3Fu >> extra) : c;
	for (size_t k = 1; k <= extra; k++) {
		if ((p[k] & 0xC0) != 0x80) {
			return 0;
		}
		v = v << 6 | (p[k] & 0x3F);
	}
	if ((extra == 2 && (v < 0x800 || (v >= 0xD800 && v < 0xE000))) ||
	    (extra == 3 && (v < 0x10000 || v > 0x10FFFF))) {
		return 0;
	}
	*cp = v;
	return extra + 1;
}

int text_is_unsafe(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x61C || cp == 0x200E ||
	       cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool text_is_typeable(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t k = decode(p + i, len - i, &cp);
		if (k == 0 || text_is_unsafe(cp) || cp == 0xFEFF) {
			return false;
		}
		i += k;
	}
	return true;
}

/* Spaces a reader takes for a field separator. */
static bool is_space(unsigned long cp)
{
	return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static const char hex[] = "0123456789abcdef";

static size_t put_u(char *out, size_t o, unsigned long cp)
{
	out[o++] = '\\';
	out[o++] = 'u';
	out[o++] = hex[(cp >> 12) & 0xF];
	out[o++] = hex[(cp >> 8) & 0xF];
	out[o++] = hex[(cp >> 4) & 0xF];
	out[o++] = hex[cp & 0xF];
	return o;
}

static size_t put_x(char *out, size_t o, unsigned byte)
{
	out[o++] = '\\';
	out[o++] = 'x';
	out[o++] = hex[(byte >> 4) & 0xF];
	out[o++] = hex[byte & 0xF];
	return o;
}

static bool needs_quotes(const unsigned char *p, size_t n)
{
	if (n == 0) {
		return true;
	}
	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t k = decode(p + i, n - i, &cp);
		if (k == 0) {
			i++;
			continue;
		}
		if (cp == '"' || is_space(cp)) {
			return true;
		}
		i += k;
	}
	return false;
}

char *text_terminal(const char *s, size_t len, size_t max_chars, enum text_quote quote)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	if (!s) {
		len = 0;
	}
	bool quoted =
	    quote == TEXT_QUOTED || (quote == TEXT_QUOTE_IF_NEEDED && needs_quotes(p, len));
	/* Each kept character takes at least one input byte and gives at most
	 * six output bytes ("\u0085" for a two-byte C1 control). */
	size_t kept = len < max_chars ? len : max_chars;
	if (kept > (SIZE_MAX - 16) / 6) {
		return NULL;
	}
	char *out = malloc(6 * kept + sizeof("\"…\""));
	if (!out) {
		return NULL;
	}
	size_t o = 0;
	if (quoted) {
		out[o++] = '"';
	}
	size_t i = 0, chars = 0;
	while (i < len) {
		if (chars == max_chars) {
			memcpy(out + o, "…", 3); /* U+2026 */
			o += 3;
			break;
		}
		unsigned long cp;
		size_t k = decode(p + i, len - i, &cp);
		if (k == 0) {
			o = put_x(out, o, p[i]);
			k = 1;
		} else if (cp == '\\' || (quoted && cp == '"')) {
			out[o++] = '\\';
			out[o++] = (char)cp;
		} else if (text_is_unsafe(cp)) {
			o = cp < 0x80 ? put_x(out, o, (unsigned)cp) : put_u(out, o, cp);
		} else {
			memcpy(out + o, p + i, k);
			o += k;
		}
		i += k;
		chars++;
	}
	if (quoted) {
		out[o++] = '"';
	}
	out[o] = '\0';
	return out;
}

size_t text_json_body(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	if (!s) {
		len = 0;
	}
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t k = decode(p + i, len - i, &cp);
		if (k == 0) {
			o = put_u(out, o, 0xFFFD);
			i++;
			continue;
		}
		const char *shortform = cp == '"'    ? "\\\""
		                        : cp == '\\' ? "\\\\"
		                        : cp == '\b' ? "\\b"
		                        : cp == '\f' ? "\\f"
		                        : cp == '\n' ? "\\n"
		                        : cp == '\r' ? "\\r"
		                        : cp == '\t' ? "\\t"
		                                     : NULL;
		if (shortform) {
			out[o++] = shortform[0];
			out[o++] = shortform[1];
		} else if (text_is_unsafe(cp)) {
			o = put_u(out, o, cp);
		} else {
			memcpy(out + o, p + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	return o;
}
