/* Connection strings and invitation files (see connstr.h).
 *
 * Why a hand-written scanner instead of an XML library: the input is untrusted
 * (pasted by a user, mailed as a file) and the schema is one fixed shape of five
 * elements, E > A, C > T > L. A general XML parser would bring DTDs, external
 * entities, namespaces and unbounded nesting to an untrusted-input path only to
 * have all of it rejected afterwards. The scanner below knows tags, attributes,
 * the five predefined entities and numeric character references, nothing else,
 * and every loop is bounded by the input length.
 *
 * Invitation file format (decision). FreeRDP's client (2.11 and 3.10) takes host, port and
 * session id from an assistance file only through libfreerdp/common/assistance.c
 * freerdp_assistance_parse_file_buffer(). Without "UPLOADINFO" in the file it
 * looks for "<E>" ... "</E>" and hands that text to
 * freerdp_assistance_parse_connection_string2(), which reads A@ID as the session
 * id and every `<L P="port" N="host"` as an address; populate_settings() then
 * uses the first address. So a bare connection string is accepted and is the
 * minimal form. The incident form (<UPLOADINFO><UPLOADDATA RCTICKET=.../>) is no
 * alternative: FreeRDP refuses it without a PassStub (which it encrypts with the
 * password), and its RCTICKET address-list reader
 * (freerdp_assistance_parse_address_list) drops the first address and keeps the
 * ';' before the next, so a one-address ticket fails and "a:1;b:2" connects to
 * ";b". invfile_write therefore writes the connection string itself;
 * invfile_read accepts that and incident files (RCTICKET) from Windows. Limits
 * of FreeRDP's reader that callers must respect, because invfile_write cannot
 * repair them:
 *  - the command line only treats argv[1] as an assistance file when its name
 *    ends in ".msrcIncident" (client/common/cmdline.c, the ends_with() test in
 *    freerdp_client_settings_parse_command_line_arguments), so the file has to be
 *    named *.msrcIncident and passed first: `xfreerdp3 FILE.msrcIncident /assistance:PW`;
 *  - FreeRDP 2.x skipped L elements whose N is 8 bytes or shorter ("length > 8"
 *    in freerdp_assistance_parse_connection_string2); FreeRDP 3 keeps them
 *    (tests/unit/test_invfile_freerdp.c pins it);
 *  - attribute values are taken verbatim (no entity decoding) and P must be the
 *    first attribute of L, which is how connstr_build writes them;
 *  - the reverse-connect form <A/> has no ID and is refused.
 */
#include "util/connstr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An incident file carries a hex LHTICKET next to the ticket and Windows writes
 * it as UTF-16, so it may be several times longer than a connection string. */
#define INVFILE_MAX_LEN (4 * CONNSTR_MAX_LEN)
/* Real strings carry at most a handful (KH, ID, KH2, CE, U; eight on
 * UPLOADDATA); the cap keeps the duplicate check quadratic in a small number. */
#define MAX_ATTRS 16

/* ---- characters ---- */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Deliberately narrower than XML's Name production: every name in both schemas
 * is ASCII, and anything else is a sign of the wrong document. */
static bool is_name_start(char c)
{
	return is_alpha(c) || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c) || c == '-' || c == '.' || c == ':';
}

/* The XML 1.0 Char production: a string holding anything else could not have
 * come from a conforming writer, and NUL would truncate it for C callers. */
static bool xml_char_ok(uint32_t cp)
{
	if (cp == 0x9 || cp == 0xA || cp == 0xD) {
		return true;
	}
	if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) {
		return false;
	}
	return cp <= 0x10FFFF;
}

/* Returns the length of the UTF-8 sequence at s, or 0 when it is truncated,
 * overlong, a surrogate or beyond U+10FFFF. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v;
	uint32_t min;

	if (n == 0) {
		return 0;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		v = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		v = s[0] & 0x0F;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len) {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			return 0;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		return 0;
	}
	*cp = v;
	return len;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Checked once over the whole input so that the scanner can treat bytes as
 * opaque afterwards and no later stage ever sees NUL or broken UTF-8. */
static bool text_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(u + i, n - i, &cp);

		if (k == 0 || !xml_char_ok(cp)) {
			return false;
		}
		i += k;
	}
	return true;
}

/* Host names and address literals only: this keeps anything that would need
 * escaping (or that FreeRDP, which does not unescape, would misread) out of N. */
static bool host_ok(const char *h, size_t n)
{
	if (n == 0 || n > 255) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = h[i];

		if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-' && c != '_' && c != ':' &&
		    c != '%') {
			return false;
		}
	}
	return true;
}

/* Leading zeros are refused because FreeRDP reads P with strtoul(..., 0), for
 * which "010" is octal 8: both readers must agree on the port. */
static bool parse_port(const char *s, size_t n, uint16_t *port)
{
	uint32_t v = 0;

	if (n == 0 || n > 5 || s[0] == '0') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return false;
		}
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v > 65535) {
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

static bool parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 10 || (s[0] == '0' && n > 1)) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return false;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* ---- the scanner ---- */

struct scanner {
	const char *p;
	const char *end;
};

struct attr {
	const char *name;
	size_t name_len;
	const char *raw; /* between the quotes, entities not yet decoded */
	size_t raw_len;
};

enum tag_kind { TAG_OPEN, TAG_EMPTY, TAG_CLOSE };

struct tag {
	enum tag_kind kind;
	const char *name;
	size_t name_len;
	size_t n_attrs;
	struct attr attrs[MAX_ATTRS];
};

static void skip_ws(struct scanner *sc)
{
	while (sc->p < sc->end && is_ws(*sc->p)) {
		sc->p++;
	}
}

static bool starts_with(const struct scanner *sc, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(sc->end - sc->p) >= n && memcmp(sc->p, lit, n) == 0;
}

static bool read_name(struct scanner *sc, const char **name, size_t *len)
{
	const char *start = sc->p;

	if (sc->p >= sc->end || !is_name_start(*sc->p)) {
		return false;
	}
	while (sc->p < sc->end && is_name_char(*sc->p)) {
		sc->p++;
	}
	*name = start;
	*len = (size_t)(sc->p - start);
	return true;
}

static bool name_is(const char *name, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(name, lit, len) == 0;
}

/* Decodes an attribute value. With out == NULL it only validates, so that the
 * values of ignored attributes are held to the same rules. Literal tab, CR and
 * LF become a space (CRLF one space) as XML attribute-value normalisation asks,
 * which is why connstr_build writes them as character references. Decoded text
 * is never longer than the raw text, so cap = raw_len + 1 always suffices. */
static int decode_value(const char *raw, size_t n, char *out, size_t cap, size_t *out_len)
{
	size_t o = 0;
	size_t i = 0;

	while (i < n) {
		char tmp[4];
		size_t k;
		char c = raw[i];

		if (c == '<') {
			return -EINVAL;
		}
		if (c == '&') {
			size_t j = i + 1;

			if (j < n && raw[j] == '#') {
				uint32_t cp = 0;
				bool hex = false;
				size_t digits = 0;

				j++;
				if (j < n && raw[j] == 'x') {
					hex = true;
					j++;
				}
				for (; j < n && raw[j] != ';'; j++) {
					char d = raw[j];
					uint32_t dv;

					if (is_digit(d)) {
						dv = (uint32_t)(d - '0');
					} else if (hex && d >= 'a' && d <= 'f') {
						dv = (uint32_t)(d - 'a' + 10);
					} else if (hex && d >= 'A' && d <= 'F') {
						dv = (uint32_t)(d - 'A' + 10);
					} else {
						return -EINVAL;
					}
					cp = cp * (hex ? 16 : 10) + dv;
					/* Checked per digit so cp cannot wrap however many
					 * digits follow. */
					if (cp > 0x10FFFF) {
						return -EINVAL;
					}
					digits++;
				}
				if (j >= n || digits == 0 || !xml_char_ok(cp)) {
					return -EINVAL;
				}
				k = utf8_encode(cp, tmp);
			} else {
				static const struct {
					const char *name;
					char c;
				} ents[] = {{"amp;", '&'},
				            {"lt;", '<'},
				            {"gt;", '>'},
				            {"quot;", '"'},
				            {"apos;", '\''}};
				size_t e;

				for (e = 0; e < sizeof(ents) / sizeof(ents[0]); e++) {
					size_t len = strlen(ents[e].name);

					if (n - j >= len &&
					    memcmp(raw + j, ents[e].name, len) == 0) {
						break;
					}
				}
				if (e == sizeof(ents) / sizeof(ents[0])) {
					return -EINVAL;
				}
				tmp[0] = ents[e].c;
				k = 1;
				j += strlen(ents[e].name) - 1;
			}
			i = j + 1;
		} else if (c == '\r' || c == '\n' || c == '\t') {
			if (c == '\r' && i + 1 < n && raw[i + 1] == '\n') {
				i++;
			}
			tmp[0] = ' ';
			k = 1;
			i++;
		} else {
			tmp[0] = c;
			k = 1;
			i++;
		}
		if (out) {
			if (o + k >= cap) {
				return -EINVAL;
			}
			memcpy(out + o, tmp, k);
		}
		o += k;
	}
	if (out) {
		out[o] = '\0';
	}
	if (out_len) {
		*out_len = o;
	}
	return 0;
}

/* Reads one tag after optional whitespace. Text other than whitespace between
 * tags, comments, CDATA, processing instructions and DOCTYPE all fail here
 * because none of them starts with '<' and a name. */
static int read_tag(struct scanner *sc, struct tag *t)
{
	skip_ws(sc);
	if (sc->p >= sc->end || *sc->p != '<') {
		return -EINVAL;
	}
	sc->p++;
	t->n_attrs = 0;
	if (sc->p < sc->end && *sc->p == '/') {
		sc->p++;
		t->kind = TAG_CLOSE;
		if (!read_name(sc, &t->name, &t->name_len)) {
			return -EINVAL;
		}
		skip_ws(sc);
		if (sc->p >= sc->end || *sc->p != '>') {
			return -EINVAL;
		}
		sc->p++;
		return 0;
	}
	if (!read_name(sc, &t->name, &t->name_len)) {
		return -EINVAL;
	}
	for (;;) {
		const char *before = sc->p;
		struct attr *a;
		char quote;

		skip_ws(sc);
		if (starts_with(sc, "/>")) {
			sc->p += 2;
			t->kind = TAG_EMPTY;
			return 0;
		}
		if (sc->p < sc->end && *sc->p == '>') {
			sc->p++;
			t->kind = TAG_OPEN;
			return 0;
		}
		/* XML needs whitespace between attributes; FreeRDP's strstr-based
		 * reader finds " N=\"" only with it. */
		if (sc->p == before || t->n_attrs == MAX_ATTRS) {
			return -EINVAL;
		}
		a = &t->attrs[t->n_attrs];
		if (!read_name(sc, &a->name, &a->name_len)) {
			return -EINVAL;
		}
		skip_ws(sc);
		if (sc->p >= sc->end || *sc->p != '=') {
			return -EINVAL;
		}
		sc->p++;
		skip_ws(sc);
		if (sc->p >= sc->end || (*sc->p != '"' && *sc->p != '\'')) {
			return -EINVAL;
		}
		quote = *sc->p++;
		a->raw = sc->p;
		while (sc->p < sc->end && *sc->p != quote) {
			sc->p++;
		}
		if (sc->p >= sc->end) {
			return -EINVAL;
		}
		a->raw_len = (size_t)(sc->p - a->raw);
		sc->p++;
		if (decode_value(a->raw, a->raw_len, NULL, 0, NULL) != 0) {
			return -EINVAL;
		}
		for (size_t i = 0; i < t->n_attrs; i++) {
			if (t->attrs[i].name_len == a->name_len &&
			    memcmp(t->attrs[i].name, a->name, a->name_len) == 0) {
				return -EINVAL;
			}
		}
		t->n_attrs++;
	}
}

static bool tag_is(const struct tag *t, enum tag_kind kind, const char *name)
{
	return t->kind == kind && name_is(t->name, t->name_len, name);
}

/* An element that may be written either as <X/> or as <X></X>. */
static bool tag_is_start(const struct tag *t, const char *name)
{
	return (t->kind == TAG_OPEN || t->kind == TAG_EMPTY) && name_is(t->name, t->name_len, name);
}

/* For elements without children: <X ...></X> must close right away. */
static int close_leaf(struct scanner *sc, const struct tag *t)
{
	struct tag end;

	if (t->kind == TAG_EMPTY) {
		return 0;
	}
	if (read_tag(sc, &end) != 0 || end.kind != TAG_CLOSE || end.name_len != t->name_len ||
	    memcmp(end.name, t->name, t->name_len) != 0) {
		return -EINVAL;
	}
	return 0;
}

static const struct attr *find_attr(const struct tag *t, const char *name)
{
	for (size_t i = 0; i < t->n_attrs; i++) {
		if (name_is(t->attrs[i].name, t->attrs[i].name_len, name)) {
			return &t->attrs[i];
		}
	}
	return NULL;
}

static int decode_alloc(const struct attr *a, char **out)
{
	char *s = malloc(a->raw_len + 1);
	int r;

	if (!s) {
		return -ENOMEM;
	}
	r = decode_value(a->raw, a->raw_len, s, a->raw_len + 1, NULL);
	if (r != 0) {
		free(s);
		return r;
	}
	*out = s;
	return 0;
}

/* ---- connection strings ---- */

static int handle_a(const struct tag *t, struct connstr *c)
{
	const struct attr *id = find_attr(t, "ID");
	const struct attr *kh = find_attr(t, "KH");
	int r;

	/* A bare <A/> is the reverse-connect form; an A that carries anything
	 * at all but no ID is a damaged invitation, not a reverse connect. */
	if (t->n_attrs == 0) {
		c->auth_id = strdup("");
		return c->auth_id ? 0 : -ENOMEM;
	}
	if (!id) {
		return -EINVAL;
	}
	r = decode_alloc(id, &c->auth_id);
	if (r == 0 && kh) {
		r = decode_alloc(kh, &c->kh);
	}
	return r;
}

static int handle_t(const struct tag *t, struct connstr *c, bool first)
{
	const struct attr *sid = find_attr(t, "SID");
	char buf[16];
	size_t n;
	uint32_t v;

	if (!sid) {
		return 0;
	}
	if (decode_value(sid->raw, sid->raw_len, buf, sizeof(buf), &n) != 0 ||
	    !parse_u32(buf, n, &v)) {
		return -EINVAL;
	}
	if (first) {
		c->sid = v;
	}
	return 0;
}

static int handle_l(const struct tag *t, struct connstr *c)
{
	const struct attr *p = find_attr(t, "P");
	const struct attr *n = find_attr(t, "N");
	struct connstr_addr *a;
	char port[8];
	size_t port_len;
	size_t host_len;

	if (!p || !n || c->n_addrs == CONNSTR_MAX_ADDRS) {
		return -EINVAL;
	}
	a = &c->addrs[c->n_addrs];
	if (decode_value(p->raw, p->raw_len, port, sizeof(port), &port_len) != 0 ||
	    !parse_port(port, port_len, &a->port)) {
		return -EINVAL;
	}
	if (decode_value(n->raw, n->raw_len, a->host, sizeof(a->host), &host_len) != 0 ||
	    !host_ok(a->host, host_len)) {
		return -EINVAL;
	}
	c->n_addrs++;
	return 0;
}

/* <T ...> ... </T> (or <T/>) with only L children. */
static int parse_t_body(struct scanner *sc, const struct tag *t, struct connstr *c)
{
	struct tag l;

	if (t->kind == TAG_EMPTY) {
		return 0;
	}
	for (;;) {
		int r = read_tag(sc, &l);

		if (r != 0) {
			return r;
		}
		if (tag_is(&l, TAG_CLOSE, "T")) {
			return 0;
		}
		if (!tag_is_start(&l, "L")) {
			return -EINVAL;
		}
		r = handle_l(&l, c);
		if (r == 0) {
			r = close_leaf(sc, &l);
		}
		if (r != 0) {
			return r;
		}
	}
}

static int parse_e(struct scanner *sc, struct connstr *c)
{
	struct tag t;
	bool first_t = true;
	int r;

	if (read_tag(sc, &t) != 0 || !tag_is(&t, TAG_OPEN, "E")) {
		return -EINVAL;
	}
	if (read_tag(sc, &t) != 0 || !tag_is_start(&t, "A")) {
		return -EINVAL;
	}
	r = handle_a(&t, c);
	if (r == 0) {
		r = close_leaf(sc, &t);
	}
	if (r != 0) {
		return r;
	}
	if (read_tag(sc, &t) != 0 || !tag_is(&t, TAG_OPEN, "C")) {
		return -EINVAL;
	}
	for (;;) {
		if (read_tag(sc, &t) != 0) {
			return -EINVAL;
		}
		if (tag_is(&t, TAG_CLOSE, "C")) {
			break;
		}
		if (!tag_is_start(&t, "T")) {
			return -EINVAL;
		}
		r = handle_t(&t, c, first_t);
		if (r == 0) {
			r = parse_t_body(sc, &t, c);
		}
		if (r != 0) {
			return r;
		}
		first_t = false;
	}
	if (read_tag(sc, &t) != 0 || !tag_is(&t, TAG_CLOSE, "E")) {
		return -EINVAL;
	}
	skip_ws(sc);
	if (sc->p != sc->end || c->n_addrs == 0) {
		return -EINVAL;
	}
	return 0;
}

int connstr_parse(const char *s, size_t len, struct connstr *out)
{
	struct scanner sc;
	int r;

	if (!out) {
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	if (!s || len > CONNSTR_MAX_LEN || !text_ok(s, len)) {
		return -EINVAL;
	}
	sc.p = s;
	sc.end = s + len;
	r = parse_e(&sc, out);
	if (r != 0) {
		connstr_clear(out);
	}
	return r;
}

void connstr_clear(struct connstr *c)
{
	if (!c) {
		return;
	}
	free(c->auth_id);
	free(c->kh);
	memset(c, 0, sizeof(*c));
}

/* Appends to dst at pos when dst is non-NULL; always returns the new length,
 * so the same rendering code first measures and then writes. */
static size_t put(char *dst, size_t pos, const char *s, size_t n)
{
	if (dst) {
		memcpy(dst + pos, s, n);
	}
	return pos + n;
}

static size_t put_str(char *dst, size_t pos, const char *s)
{
	return put(dst, pos, s, strlen(s));
}

/* Tab, LF and CR as references: written literally, a conforming reader would
 * normalise them to spaces and the auth string would not survive. */
static size_t put_escaped(char *dst, size_t pos, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			pos = put_str(dst, pos, "&amp;");
			break;
		case '<':
			pos = put_str(dst, pos, "&lt;");
			break;
		case '>':
			pos = put_str(dst, pos, "&gt;");
			break;
		case '"':
			pos = put_str(dst, pos, "&quot;");
			break;
		case '\'':
			pos = put_str(dst, pos, "&apos;");
			break;
		case '\t':
			pos = put_str(dst, pos, "&#9;");
			break;
		case '\n':
			pos = put_str(dst, pos, "&#10;");
			break;
		case '\r':
			pos = put_str(dst, pos, "&#13;");
			break;
		default:
			pos = put(dst, pos, s, 1);
			break;
		}
	}
	return pos;
}

static size_t render(char *dst, const char *auth_id, const char *kh,
                     const struct connstr_addr *addrs, size_t n_addrs)
{
	size_t pos = put_str(dst, 0, "<E><A");

	if (kh) {
		pos = put_str(dst, pos, " KH=\"");
		pos = put_escaped(dst, pos, kh);
		pos = put_str(dst, pos, "\"");
	}
	if (kh || auth_id[0] != '\0') {
		pos = put_str(dst, pos, " ID=\"");
		pos = put_escaped(dst, pos, auth_id);
		pos = put_str(dst, pos, "\"");
	}
	pos = put_str(dst, pos, "/><C><T ID=\"1\" SID=\"0\">");
	for (size_t i = 0; i < n_addrs; i++) {
		char port[8];

		snprintf(port, sizeof(port), "%u", (unsigned)addrs[i].port);
		/* P first: FreeRDP finds addresses by the literal `<L P="`. */
		pos = put_str(dst, pos, "<L P=\"");
		pos = put_str(dst, pos, port);
		pos = put_str(dst, pos, "\" N=\"");
		pos = put_escaped(dst, pos, addrs[i].host);
		pos = put_str(dst, pos, "\"/>");
	}
	return put_str(dst, pos, "</T></C></E>");
}

int connstr_build(const char *auth_id, const char *kh, const struct connstr_addr *addrs,
                  size_t n_addrs, char **out)
{
	size_t len;
	char *s;

	if (!out) {
		return -EINVAL;
	}
	*out = NULL;
	if (!addrs || n_addrs == 0 || n_addrs > CONNSTR_MAX_ADDRS) {
		return -EINVAL;
	}
	if (!auth_id) {
		auth_id = "";
	}
	/* Whatever connstr_parse would refuse is refused here too, so that every
	 * string we hand out can be read back. */
	if (!text_ok(auth_id, strlen(auth_id)) || (kh && !text_ok(kh, strlen(kh)))) {
		return -EINVAL;
	}
	for (size_t i = 0; i < n_addrs; i++) {
		size_t hl = strnlen(addrs[i].host, sizeof(addrs[i].host));

		if (addrs[i].port == 0 || hl == sizeof(addrs[i].host) ||
		    !host_ok(addrs[i].host, hl)) {
			return -EINVAL;
		}
	}
	len = render(NULL, auth_id, kh, addrs, n_addrs);
	if (len > CONNSTR_MAX_LEN) {
		return -EINVAL;
	}
	s = malloc(len + 1);
	if (!s) {
		return -ENOMEM;
	}
	render(s, auth_id, kh, addrs, n_addrs);
	s[len] = '\0';
	*out = s;
	return 0;
}

/* ---- invitation files ---- */

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (w == 0) {
			return -EIO;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Makes the rename itself durable. Errors are ignored: the new file is complete
 * and already in place, and some file systems refuse fsync on a directory. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash) {
		dir = strdup(".");
	} else if (slash == path) {
		dir = strdup("/");
	} else {
		dir = strndup(path, (size_t)(slash - path));
	}
	if (!dir) {
		return;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* "<dir>/.<name>.XXXXXX": same directory so rename() is atomic, a dot so that
 * a half-written file is not what a user double-clicks. */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dir_len;
	size_t base_len = strlen(base);
	char *t = malloc(dir_len + 1 + base_len + sizeof(".XXXXXX"));

	if (!t) {
		return NULL;
	}
	memcpy(t, path, dir_len);
	t[dir_len] = '.';
	memcpy(t + dir_len + 1, base, base_len);
	memcpy(t + dir_len + 1 + base_len, ".XXXXXX", sizeof(".XXXXXX"));
	return t;
}

int invfile_write(const char *path, const char *connection_string)
{
	struct connstr c;
	size_t n;
	char *tmp;
	int fd;
	int r;

	if (!path || !connection_string || path[0] == '\0') {
		return -EINVAL;
	}
	n = strlen(connection_string);
	r = connstr_parse(connection_string, n, &c);
	if (r != 0) {
		return r;
	}
	connstr_clear(&c);
	tmp = temp_name(path);
	if (!tmp) {
		return -ENOMEM;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	/* mkostemp asks for 0600 but the umask may take bits away (0277 gives
	 * 0400, and then rdpview could not replace its own file). */
	if (fchmod(fd, 0600) != 0) {
		r = -errno;
	}
	if (r == 0) {
		r = write_all(fd, connection_string, n);
	}
	if (r == 0) {
		r = write_all(fd, "\n", 1);
	}
	/* Without fsync a crash after rename can leave an empty file under the
	 * final name, and delayed-allocation file systems report ENOSPC only here. */
	if (r == 0 && fsync(fd) != 0) {
		r = -errno;
	}
	if (close(fd) != 0 && r == 0 && errno != EINTR) {
		r = -errno;
	}
	if (r == 0 && rename(tmp, path) != 0) {
		r = -errno;
	}
	if (r != 0) {
		unlink(tmp);
	} else {
		sync_dir(path);
	}
	free(tmp);
	return r;
}

/* Windows writes incident files as UTF-16 with a byte order mark. */
static int utf16_to_utf8(const unsigned char *s, size_t n, bool big_endian, char **out,
                         size_t *out_len)
{
	char *u;
	size_t o = 0;

	if (n % 2 != 0) {
		return -EINVAL;
	}
	/* One UTF-16 unit never yields more than three UTF-8 bytes. */
	u = malloc(n / 2 * 3 + 1);
	if (!u) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i += 2) {
		uint32_t cp = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1])
		                         : (uint32_t)(s[i + 1] << 8 | s[i]);

		if (cp >= 0xD800 && cp <= 0xDBFF) {
			uint32_t lo;

			if (i + 3 >= n) {
				goto bad;
			}
			lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
			                : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
			if (lo < 0xDC00 || lo > 0xDFFF) {
				goto bad;
			}
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			goto bad;
		}
		o += utf8_encode(cp, u + o);
	}
	u[o] = '\0';
	*out = u;
	*out_len = o;
	return 0;
bad:
	free(u);
	return -EINVAL;
}

/* Splits "host:port" (or "[v6]:port") from an RCTICKET address list; the port
 * follows the last colon because unbracketed IPv6 hosts contain colons too. */
static bool ticket_addr(const char *s, size_t n, struct connstr_addr *a)
{
	const char *colon = NULL;
	const char *host = s;
	size_t host_len;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':') {
			colon = s + i;
		}
	}
	if (!colon) {
		return false;
	}
	host_len = (size_t)(colon - s);
	if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
		host++;
		host_len -= 2;
	}
	if (!host_ok(host, host_len) ||
	    !parse_port(colon + 1, (size_t)(s + n - colon - 1), &a->port)) {
		return false;
	}
	memcpy(a->host, host, host_len);
	a->host[host_len] = '\0';
	return true;
}

/* RCTICKET ([MS-RAI] "Remote Assistance Connection String 1"):
 * 65538,1,<addr:port;...>,*,<session id>,*,*,<protocol specific params>
 * The session id is what A@ID carries and the params what A@KH carries. */
static int ticket_to_connstr(const char *t, size_t n, char **out)
{
	const char *field[8];
	size_t flen[8];
	size_t nf = 0;
	size_t start = 0;
	struct connstr_addr *addrs;
	size_t n_addrs = 0;
	char *id = NULL;
	char *kh = NULL;
	int r = -EINVAL;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || t[i] == ',') {
			if (nf == 8) {
				return -EINVAL;
			}
			field[nf] = t + start;
			flen[nf] = i - start;
			nf++;
			start = i + 1;
		}
	}
	if (nf != 8 || !name_is(field[0], flen[0], "65538") || !name_is(field[1], flen[1], "1") ||
	    !name_is(field[3], flen[3], "*") || !name_is(field[5], flen[5], "*") ||
	    !name_is(field[6], flen[6], "*") || flen[4] == 0) {
		return -EINVAL;
	}
	addrs = calloc(CONNSTR_MAX_ADDRS, sizeof(*addrs));
	if (!addrs) {
		return -ENOMEM;
	}
	start = 0;
	for (size_t i = 0; i <= flen[2]; i++) {
		if (i == flen[2] || field[2][i] == ';') {
			if (n_addrs == CONNSTR_MAX_ADDRS ||
			    !ticket_addr(field[2] + start, i - start, &addrs[n_addrs])) {
				goto out;
			}
			n_addrs++;
			start = i + 1;
		}
	}
	id = strndup(field[4], flen[4]);
	kh = flen[7] ? strndup(field[7], flen[7]) : NULL;
	if (!id || (flen[7] && !kh)) {
		r = -ENOMEM;
		goto out;
	}
	r = connstr_build(id, kh, addrs, n_addrs, out);
out:
	free(id);
	free(kh);
	free(addrs);
	return r;
}

/* <UPLOADINFO ...><UPLOADDATA ... RCTICKET="..."/></UPLOADINFO>. An LHTICKET
 * alone is encrypted with the password, which a file reader does not have. */
static int parse_incident(struct scanner *sc, char **out)
{
	struct tag t;
	const struct attr *ticket;
	char *raw;
	int r;

	if (read_tag(sc, &t) != 0 || !tag_is(&t, TAG_OPEN, "UPLOADINFO")) {
		return -EINVAL;
	}
	if (read_tag(sc, &t) != 0 || !tag_is_start(&t, "UPLOADDATA")) {
		return -EINVAL;
	}
	ticket = find_attr(&t, "RCTICKET");
	if (!ticket || close_leaf(sc, &t) != 0) {
		return -EINVAL;
	}
	if (read_tag(sc, &t) != 0 || !tag_is(&t, TAG_CLOSE, "UPLOADINFO")) {
		return -EINVAL;
	}
	skip_ws(sc);
	if (sc->p != sc->end) {
		return -EINVAL;
	}
	r = decode_alloc(ticket, &raw);
	if (r != 0) {
		return r;
	}
	r = ticket_to_connstr(raw, strlen(raw), out);
	free(raw);
	return r;
}

static int parse_file_text(const char *s, size_t len, char **out)
{
	struct scanner sc = {s, s + len};

	if (!text_ok(s, len)) {
		return -EINVAL;
	}
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		sc.p += 3;
	}
	skip_ws(&sc);
	/* An XML declaration is all the prolog either form ever has. */
	if (starts_with(&sc, "<?xml") && sc.p + 5 < sc.end && (is_ws(sc.p[5]) || sc.p[5] == '?')) {
		sc.p += 5;
		while (sc.p < sc.end && !starts_with(&sc, "?>")) {
			sc.p++;
		}
		if (sc.p >= sc.end) {
			return -EINVAL;
		}
		sc.p += 2;
		skip_ws(&sc);
	}
	if (starts_with(&sc, "<E") && sc.p + 2 < sc.end &&
	    (sc.p[2] == '>' || sc.p[2] == '/' || is_ws(sc.p[2]))) {
		const char *end = sc.end;
		struct connstr c;
		int r;

		while (end > sc.p && is_ws(end[-1])) {
			end--;
		}
		r = connstr_parse(sc.p, (size_t)(end - sc.p), &c);
		if (r != 0) {
			return r;
		}
		connstr_clear(&c);
		/* The original rather than a rebuilt string, so that attributes
		 * we ignore (KH2, CE, U) still reach whoever consumes it. */
		*out = strndup(sc.p, (size_t)(end - sc.p));
		return *out ? 0 : -ENOMEM;
	}
	return parse_incident(&sc, out);
}

int invfile_parse_buffer(const char *buf, size_t len, char **connection_string)
{
	const unsigned char *u = (const unsigned char *)buf;

	if (!connection_string) {
		return -EINVAL;
	}
	*connection_string = NULL;
	if (!buf || len > INVFILE_MAX_LEN) {
		return -EINVAL;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		char *conv;
		size_t conv_len;
		int r = utf16_to_utf8(u + 2, len - 2, u[0] == 0xFE, &conv, &conv_len);
		if (r != 0) {
			return r;
		}
		r = parse_file_text(conv, conv_len, connection_string);
		free(conv);
		return r;
	}
	return parse_file_text(buf, len, connection_string);
}

int invfile_read(const char *path, char **connection_string)
{
	struct stat st;
	char *buf;
	size_t cap;
	size_t n = 0;
	int fd;
	int r;

	if (!connection_string) {
		return -EINVAL;
	}
	*connection_string = NULL;
	if (!path) {
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) != 0) {
		r = -errno;
		close(fd);
		return r;
	}
	/* A FIFO or device could block or never end. */
	if (!S_ISREG(st.st_mode) || st.st_size > INVFILE_MAX_LEN) {
		close(fd);
		return -EINVAL;
	}
	/* One byte more than the size so that a file growing under us is noticed
	 * instead of silently cut. */
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	r = 0;
	while (n < cap) {
		ssize_t got = read(fd, buf + n, cap - n);

		if (got < 0) {
			if (errno == EINTR) {
				continue;
			}
			r = -errno;
			break;
		}
		if (got == 0) {
			break;
		}
		n += (size_t)got;
	}
	close(fd);
	if (r == 0) {
		r = n == cap ? -EINVAL : invfile_parse_buffer(buf, n, connection_string);
	}
	free(buf);
	return r;
}
