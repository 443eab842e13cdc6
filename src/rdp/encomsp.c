#include "rdp/encomsp.h"

#include <stdlib.h>
#include <string.h>

#define HEADER 4

void encomsp_buf_free(struct encomsp_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static uint8_t *grow(struct encomsp_buf *b, size_t n)
{
	if (b->failed) {
		return NULL;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n) {
			cap *= 2;
		}
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	uint8_t *at = b->p + b->len;
	b->len += n;
	return at;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
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
	return c > 0x10FFFF || (c >= 0xD800 && c < 0xE000) ? 0xFFFD : c;
}

/* UTF-16 code units of name, at most ENCOMSP_MAX_CHARS (a pair is never
 * split at the limit). */
static int to_utf16(const char *name, uint16_t *out)
{
	int n = 0;
	const unsigned char *s = (const unsigned char *)(name ? name : "");
	while (*s) {
		uint32_t c = utf8_next(&s);
		if (c >= 0x10000) {
			if (n + 2 > ENCOMSP_MAX_CHARS) {
				break;
			}
			c -= 0x10000;
			out[n++] = (uint16_t)(0xD800 | (c >> 10));
			out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
		} else {
			if (n + 1 > ENCOMSP_MAX_CHARS) {
				break;
			}
			out[n++] = (uint16_t)c;
		}
	}
	return n;
}

static uint8_t *begin(struct encomsp_buf *b, uint16_t type, size_t body)
{
	uint8_t *p = grow(b, HEADER + body);
	if (p) {
		put16(p, type);
		put16(p + 2, (uint16_t)(HEADER + body));
	}
	return p ? p + HEADER : NULL;
}

void encomsp_participant_created(struct encomsp_buf *b, uint32_t id, uint32_t group, uint16_t flags,
                                 const char *name)
{
	uint16_t u[ENCOMSP_MAX_CHARS];
	int n = to_utf16(name, u);
	uint8_t *p = begin(b, ENCOMSP_PARTICIPANT_CREATED, 4 + 4 + 2 + 2 + 2 * (size_t)n);
	if (!p) {
		return;
	}
	put32(p, id);
	put32(p + 4, group);
	put16(p + 8, flags);
	put16(p + 10, (uint16_t)n);
	for (int i = 0; i < n; i++) {
		put16(p + 12 + 2 * i, u[i]);
	}
}

void encomsp_participant_removed(struct encomsp_buf *b, uint32_t id, uint32_t disc_type,
                                 uint32_t disc_code)
{
	uint8_t *p = begin(b, ENCOMSP_PARTICIPANT_REMOVED, 12);
	if (p) {
		put32(p, id);
		put32(p + 4, disc_type);
		put32(p + 8, disc_code);
	}
}

void encomsp_ctrl_change_response(struct encomsp_buf *b, uint16_t flags, uint32_t id,
                                  uint32_t reason)
{
	uint8_t *p = begin(b, ENCOMSP_PARTICIPANT_CTRL_CHANGE_RESPONSE, 10);
	if (p) {
		put16(p, flags);
		put32(p + 2, id);
		put32(p + 6, reason);
	}
}

void encomsp_graphics_stream(struct encomsp_buf *b, int paused)
{
	begin(b, paused ? ENCOMSP_GRAPHICS_STREAM_PAUSED : ENCOMSP_GRAPHICS_STREAM_RESUMED, 0);
}

int encomsp_parse(const uint8_t *data, size_t len, struct encomsp_pdu *out)
{
	memset(out, 0, sizeof(*out));
	if (len < HEADER) {
		return -1;
	}
	uint16_t type = get16(data);
	uint16_t length = get16(data + 2);
	if (length < HEADER || length > len) {
		return -1;
	}
	out->type = type;
	const uint8_t *body = data + HEADER;
	size_t n = length - HEADER;
	switch (type) {
	case ENCOMSP_PARTICIPANT_CTRL_CHANGE:
		if (n < 6) {
			return -1;
		}
		out->flags = get16(body);
		out->id = get32(body + 2);
		break;
	case ENCOMSP_WND_SHOW:
		if (n < 4) {
			return -1;
		}
		out->id = get32(body);
		break;
	default:
		break;
	}
	return length;
}
