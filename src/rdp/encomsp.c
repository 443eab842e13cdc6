#include "rdp/encomsp.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf16.h"

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

static uint8_t *begin(struct encomsp_buf *b, uint16_t type, size_t body)
{
	uint8_t *p = grow(b, HEADER + body);
	if (p) {
		put16(p, type);
		put16(p + 2, (uint16_t)(HEADER + body));
	}
	return p ? p + HEADER : NULL;
}

/* A PDU of fixed-size fields followed by a UNICODE_STRING (cchString u16,
 * then the UTF-16LE units); returns where the fixed fields go. */
static uint8_t *begin_named(struct encomsp_buf *b, uint16_t type, size_t fixed, const char *name)
{
	uint16_t u[ENCOMSP_MAX_CHARS];
	int n = utf8_to_utf16(name, u, ENCOMSP_MAX_CHARS);
	uint8_t *p = begin(b, type, fixed + 2 + 2 * (size_t)n);
	if (!p) {
		return NULL;
	}
	put16(p + fixed, (uint16_t)n);
	for (int i = 0; i < n; i++) {
		put16(p + fixed + 2 + 2 * i, u[i]);
	}
	return p;
}

void encomsp_participant_created(struct encomsp_buf *b, uint32_t id, uint32_t group, uint16_t flags,
                                 const char *name)
{
	uint8_t *p = begin_named(b, ENCOMSP_PARTICIPANT_CREATED, 10, name);
	if (p) {
		put32(p, id);
		put32(p + 4, group);
		put16(p + 8, flags);
	}
}

void encomsp_filter_state(struct encomsp_buf *b, int enabled)
{
	uint8_t *p = begin(b, ENCOMSP_FILTER_STATE_UPDATED, 1);
	if (p) {
		p[0] = enabled ? ENCOMSP_FILTER_ENABLED : 0;
	}
}

void encomsp_app_created(struct encomsp_buf *b, uint16_t flags, uint32_t app, const char *name)
{
	uint8_t *p = begin_named(b, ENCOMSP_APP_CREATED, 6, name);
	if (p) {
		put16(p, flags);
		put32(p + 2, app);
	}
}

void encomsp_wnd_created(struct encomsp_buf *b, uint16_t flags, uint32_t app, uint32_t wnd,
                         const char *name)
{
	uint8_t *p = begin_named(b, ENCOMSP_WND_CREATED, 10, name);
	if (p) {
		put16(p, flags);
		put32(p + 2, app);
		put32(p + 6, wnd);
	}
}

static void id_only(struct encomsp_buf *b, uint16_t type, uint32_t id)
{
	uint8_t *p = begin(b, type, 4);
	if (p) {
		put32(p, id);
	}
}

void encomsp_app_removed(struct encomsp_buf *b, uint32_t app)
{
	id_only(b, ENCOMSP_APP_REMOVED, app);
}

void encomsp_wnd_removed(struct encomsp_buf *b, uint32_t wnd)
{
	id_only(b, ENCOMSP_WND_REMOVED, wnd);
}

void encomsp_wnd_show(struct encomsp_buf *b, uint32_t wnd)
{
	id_only(b, ENCOMSP_WND_SHOW, wnd);
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

void encomsp_ctrl_change(struct encomsp_buf *b, uint16_t flags, uint32_t id)
{
	uint8_t *p = begin(b, ENCOMSP_PARTICIPANT_CTRL_CHANGE, 6);
	if (p) {
		put16(p, flags);
		put32(p + 2, id);
	}
}

void encomsp_graphics_stream(struct encomsp_buf *b, int paused)
{
	begin(b, paused ? ENCOMSP_GRAPHICS_STREAM_PAUSED : ENCOMSP_GRAPHICS_STREAM_RESUMED, 0);
}

/* A UNICODE_STRING at p (n bytes available) into out as UTF-8. */
static int parse_name(const uint8_t *p, size_t n, char *out)
{
	if (n < 2) {
		return -1;
	}
	int chars = get16(p);
	if (chars > ENCOMSP_MAX_CHARS || n < 2 + 2 * (size_t)chars) {
		return -1;
	}
	utf16le_to_utf8(p + 2, (size_t)chars, out);
	return 0;
}

int encomsp_parse(const uint8_t *data, size_t len, struct encomsp_pdu *out)
{
	memset(out, 0, sizeof(*out));
	if (!data || len < HEADER) {
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
	case ENCOMSP_WND_REMOVED:
	case ENCOMSP_APP_REMOVED:
		if (n < 4) {
			return -1;
		}
		out->id = get32(body);
		break;
	case ENCOMSP_FILTER_STATE_UPDATED:
		if (n < 1) {
			return -1;
		}
		out->flags = body[0];
		break;
	case ENCOMSP_PARTICIPANT_CREATED:
		if (n < 10 || parse_name(body + 10, n - 10, out->name) < 0) {
			return -1;
		}
		out->id = get32(body);
		out->group = get32(body + 4);
		out->flags = get16(body + 8);
		break;
	case ENCOMSP_APP_CREATED:
		if (n < 6 || parse_name(body + 6, n - 6, out->name) < 0) {
			return -1;
		}
		out->flags = get16(body);
		out->id = get32(body + 2);
		break;
	case ENCOMSP_WND_CREATED:
		if (n < 10 || parse_name(body + 10, n - 10, out->name) < 0) {
			return -1;
		}
		out->flags = get16(body);
		out->app = get32(body + 2);
		out->id = get32(body + 6);
		break;
	case ENCOMSP_PARTICIPANT_REMOVED:
		if (n < 12) {
			return -1;
		}
		out->id = get32(body);
		out->disc_type = get32(body + 4);
		out->disc_code = get32(body + 8);
		break;
	case ENCOMSP_PARTICIPANT_CTRL_CHANGE_RESPONSE:
		if (n < 10) {
			return -1;
		}
		out->flags = get16(body);
		out->id = get32(body + 2);
		out->reason = get32(body + 6);
		break;
	default:
		break;
	}
	return length;
}
