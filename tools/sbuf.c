#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static void grow(struct sbuf *b, size_t need)
{
	if (b->failed || b->len + need + 1 <= b->cap) {
		return;
	}
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1) {
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	grow(b, (size_t)n);
	if (b->failed) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_json_str(struct sbuf *b, const char *s)
{
	sb_printf(b, "\"");
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		switch (*c) {
		case '"':
			sb_printf(b, "\\\"");
			break;
		case '\\':
			sb_printf(b, "\\\\");
			break;
		case '\n':
			sb_printf(b, "\\n");
			break;
		case '\r':
			sb_printf(b, "\\r");
			break;
		case '\t':
			sb_printf(b, "\\t");
			break;
		default:
			if (*c < 0x20) {
				sb_printf(b, "\\u%04x", *c);
			} else {
				sb_printf(b, "%c", *c);
			}
		}
	}
	sb_printf(b, "\"");
}

void sb_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void tool_emit(struct sbuf *b)
{
	sb_printf(b, "\n");
	if (b->p) {
		fputs(b->p, stdout);
		fflush(stdout);
	}
	sb_free(b);
}

void sb_error(struct sbuf *b, const char *msg)
{
	sb_printf(b, "{\"ok\":false,\"error\":");
	sb_json_str(b, msg);
	sb_printf(b, "}");
}

void sb_result(struct sbuf *b, int r)
{
	if (r == RDPSHARE_OK) {
		sb_printf(b, "{\"ok\":true}");
	} else {
		sb_error(b, rdpshare_strerror(r));
	}
}
