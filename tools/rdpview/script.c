/* --input-script: timed input for tests and benchmarks. One step a line,
 * times in milliseconds after the first picture arrived:
 *   MS move X Y              MS click left|middle|right X Y
 *   MS down BUTTON X Y       MS up BUTTON X Y
 *   MS key NAME [down|up]    (NAME: a-z, 0-9, enter, space, tab, escape,
 *                             backspace, shift, ctrl, alt, left, right, up,
 *                             down, or a scancode like 0x1e / 0x148)
 *   MS type TEXT             (Unicode key events, the rest of the line)
 *   MS wheel N               (notches, positive = up)
 *   MS request none|view|interactive
 *   MS show WINDOW           (bring a window of the sharer's list to the front:
 *                             its id as --events prints it; only INTERACTIVE)
 *   MS quit
 * Blank lines and lines starting with # are ignored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdpshare.h"
#include "rdpview.h"

enum op {
	OP_MOVE,
	OP_CLICK,
	OP_DOWN,
	OP_UP,
	OP_KEY,
	OP_TYPE,
	OP_WHEEL,
	OP_REQUEST,
	OP_SHOW,
	OP_QUIT
};

struct step {
	int64_t at;
	enum op op;
	int a, b, c; /* button/x/y, scancode/updown, notches, level */
	long id;     /* a window */
	char *text;
};

struct rv_script {
	struct step *steps;
	int n, next;
};

static const struct {
	const char *name;
	int code;
} keys[] = {
    {"a", 0x1e},         {"b", 0x30},     {"c", 0x2e},     {"d", 0x20},   {"e", 0x12},
    {"f", 0x21},         {"g", 0x22},     {"h", 0x23},     {"i", 0x17},   {"j", 0x24},
    {"k", 0x25},         {"l", 0x26},     {"m", 0x32},     {"n", 0x31},   {"o", 0x18},
    {"p", 0x19},         {"q", 0x10},     {"r", 0x13},     {"s", 0x1f},   {"t", 0x14},
    {"u", 0x16},         {"v", 0x2f},     {"w", 0x11},     {"x", 0x2d},   {"y", 0x15},
    {"z", 0x2c},         {"1", 0x02},     {"2", 0x03},     {"3", 0x04},   {"4", 0x05},
    {"5", 0x06},         {"6", 0x07},     {"7", 0x08},     {"8", 0x09},   {"9", 0x0a},
    {"0", 0x0b},         {"enter", 0x1c}, {"space", 0x39}, {"tab", 0x0f}, {"escape", 0x01},
    {"backspace", 0x0e}, {"shift", 0x2a}, {"ctrl", 0x1d},  {"alt", 0x38}, {"left", 0x14b},
    {"right", 0x14d},    {"up", 0x148},   {"down", 0x150},
};

static int key_code(const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].name, name) == 0) {
			return keys[i].code;
		}
	}
	char *end;
	long v = strtol(name, &end, 0);
	return *name && !*end && v > 0 && v < 0x200 ? (int)v : -1;
}

static int button_code(const char *name)
{
	if (strcmp(name, "left") == 0 || strcmp(name, "1") == 0) {
		return 1;
	}
	if (strcmp(name, "middle") == 0 || strcmp(name, "2") == 0) {
		return 2;
	}
	if (strcmp(name, "right") == 0 || strcmp(name, "3") == 0) {
		return 3;
	}
	return -1;
}

static int level_code(const char *name)
{
	return strcmp(name, "none") == 0          ? RDPSHARE_CTRL_LEVEL_NONE
	       : strcmp(name, "view") == 0        ? RDPSHARE_CTRL_LEVEL_VIEW
	       : strcmp(name, "interactive") == 0 ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
	                                          : -1;
}

/* A whole-string number within [lo, hi]. */
static bool num(const char *t, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(t, &end, 0);
	if (!*t || *end || errno || v < lo || v > hi) {
		return false;
	}
	*out = (int)v;
	return true;
}

static bool parse_line(char *line, struct step *s)
{
	char t[24], op[16], a[32], b[32], c[32];
	int used = 0, at;
	memset(s, 0, sizeof(*s));
	if (sscanf(line, "%23s %15s %n", t, op, &used) < 2 || !num(t, 0, 86400000, &at)) {
		return false;
	}
	s->at = at;
	char *rest = line + used;
	rest[strcspn(rest, "\r\n")] = '\0';
	int n = sscanf(rest, "%31s %31s %31s", a, b, c);
	if (strcmp(op, "move") == 0 && n == 2) {
		s->op = OP_MOVE;
		return num(a, 0, 65535, &s->b) && num(b, 0, 65535, &s->c);
	}
	if ((strcmp(op, "click") == 0 || strcmp(op, "down") == 0 || strcmp(op, "up") == 0) &&
	    n == 3) {
		s->op = op[0] == 'c' ? OP_CLICK : op[0] == 'd' ? OP_DOWN : OP_UP;
		s->a = button_code(a);
		return s->a > 0 && num(b, 0, 65535, &s->b) && num(c, 0, 65535, &s->c);
	}
	if (strcmp(op, "key") == 0 && (n == 1 || n == 2)) {
		s->op = OP_KEY;
		s->a = key_code(a);
		s->b = n == 1 ? 2 : strcmp(b, "down") == 0 ? 1 : strcmp(b, "up") == 0 ? 0 : -1;
		return s->a > 0 && s->b >= 0;
	}
	if (strcmp(op, "type") == 0 && *rest) {
		s->op = OP_TYPE;
		s->text = strdup(rest);
		return s->text != NULL;
	}
	if (strcmp(op, "wheel") == 0 && n == 1) {
		s->op = OP_WHEEL;
		return num(a, -99, 99, &s->a) && s->a != 0;
	}
	if (strcmp(op, "request") == 0 && n == 1) {
		s->op = OP_REQUEST;
		s->a = level_code(a);
		return s->a >= 0;
	}
	if (strcmp(op, "show") == 0 && n == 1) {
		char *end;
		errno = 0;
		s->id = strtol(a, &end, 0);
		s->op = OP_SHOW;
		return *a && !*end && errno == 0 && s->id > 0;
	}
	if (strcmp(op, "quit") == 0 && n <= 0) {
		s->op = OP_QUIT;
		return true;
	}
	return false;
}

struct rv_script *rv_script_load(const char *path, int *err_line)
{
	*err_line = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		return NULL;
	}
	struct rv_script *sc = calloc(1, sizeof(*sc));
	if (!sc) {
		fclose(f);
		return NULL;
	}
	char line[1024];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || *p == '\0') {
			continue;
		}
		struct step *grown = realloc(sc->steps, sizeof(*grown) * (size_t)(sc->n + 1));
		if (!grown) {
			rv_script_free(sc);
			sc = NULL;
			break;
		}
		sc->steps = grown;
		if (!parse_line(p, &sc->steps[sc->n])) {
			*err_line = lineno;
			rv_script_free(sc);
			sc = NULL;
			break;
		}
		sc->n++;
	}
	fclose(f);
	return sc;
}

void rv_script_free(struct rv_script *s)
{
	if (!s) {
		return;
	}
	for (int i = 0; i < s->n; i++) {
		free(s->steps[i].text);
	}
	free(s->steps);
	free(s);
}

static void type_text(struct rv *rv, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		uint32_t c = *p++;
		int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
		c &= extra ? 0x3Fu >> extra : 0x7Fu;
		while (extra-- > 0 && (*p & 0xC0) == 0x80) {
			c = c << 6 | (*p++ & 0x3F);
		}
		unsigned units[2];
		int n = 1;
		if (c >= 0x10000) {
			units[0] = 0xD800 | ((c - 0x10000) >> 10);
			units[1] = 0xDC00 | ((c - 0x10000) & 0x3FF);
			n = 2;
		} else {
			units[0] = c;
		}
		for (int i = 0; i < n; i++) {
			rdpshare_viewer_send_keyboard(rv->v, RDPSHARE_KBD_CODE_UNICODE, units[i],
			                              false, false, false);
			rdpshare_viewer_send_keyboard(rv->v, RDPSHARE_KBD_CODE_UNICODE, units[i],
			                              true, false, false);
		}
	}
}

static void run_step(const struct step *s, struct rv *rv)
{
	/* buttons in steps: 1 left, 2 middle, 3 right, as X numbers them */
	switch (s->op) {
	case OP_MOVE:
		rdpshare_viewer_send_mouse_move(rv->v, s->b, s->c);
		break;
	case OP_CLICK:
	case OP_DOWN:
	case OP_UP:
		rdpshare_viewer_send_mouse_move(rv->v, s->b, s->c);
		if (s->op != OP_UP) {
			rv_button(rv, s->a, true, s->b, s->c);
		}
		if (s->op != OP_DOWN) {
			rv_button(rv, s->a, false, s->b, s->c);
		}
		break;
	case OP_KEY:
		if (s->b != 0) {
			rv_key(rv, (unsigned)s->a, true);
		}
		if (s->b != 1) {
			rv_key(rv, (unsigned)s->a, false);
		}
		break;
	case OP_TYPE:
		type_text(rv, s->text);
		break;
	case OP_WHEEL: {
		int n = s->a > 0 ? s->a : -s->a;
		for (int i = 0; i < n; i++) {
			rdpshare_viewer_send_mouse_wheel(rv->v, s->a > 0 ? 120 : -120, false);
		}
		break;
	}
	case OP_REQUEST:
		rdpshare_viewer_request_control(rv->v, (enum rdpshare_ctrl_level)s->a);
		break;
	case OP_SHOW: {
		int r = rdpshare_viewer_show_window(rv->v, s->id);
		if (r != 0) {
			fprintf(stderr, "rdpview: show %ld: %s\n", s->id, rdpshare_strerror(r));
		}
		break;
	}
	case OP_QUIT:
		rv->quit = true;
		break;
	}
}

int rv_script_run(struct rv_script *s, struct rv *rv, int64_t t_ms)
{
	while (s->next < s->n && s->steps[s->next].at <= t_ms) {
		run_step(&s->steps[s->next], rv);
		s->next++;
	}
	if (s->next >= s->n) {
		return -1;
	}
	return (int)(s->steps[s->next].at - t_ms);
}
