#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "util/text.h"

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

void sb_json_bytes(struct sbuf *b, const char *s, size_t len)
{
	/* each input byte gives at most six ("\u001b") */
	grow(b, 6 * len + 2);
	if (b->failed) {
		return;
	}
	b->p[b->len++] = '"';
	b->len += text_json_body(s, len, b->p + b->len);
	b->p[b->len++] = '"';
	b->p[b->len] = '\0';
}

void sb_json_str(struct sbuf *b, const char *s)
{
	sb_json_bytes(b, s, s ? strlen(s) : 0);
}

static void put_text(struct sbuf *b, const char *s, size_t len, size_t max, enum text_quote q)
{
	char *t = text_terminal(s, len, max, q);
	if (!t) {
		b->failed = true;
		return;
	}
	sb_printf(b, "%s", t);
	free(t);
}

void sb_text(struct sbuf *b, const char *s, size_t len, size_t max)
{
	put_text(b, s, len, max, TEXT_QUOTE_IF_NEEDED);
}

void sb_message(struct sbuf *b, const char *s)
{
	put_text(b, s, s ? strlen(s) : 0, TEXT_MESSAGE_MAX, TEXT_BARE);
}

void sb_name(struct sbuf *b, const char *s, size_t max)
{
	if (s) {
		sb_text(b, s, strlen(s), max);
	} else {
		sb_printf(b, "-");
	}
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
