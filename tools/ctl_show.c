/* `rdpshare ctl` for people: the sharer answers every command in JSON (what
 * `ctl --json` prints as is, for scripts); this turns the answer into
 * aligned tables and plain sentences. Every string in an answer may come
 * from a peer (attendee names, window titles), so each is escaped for the
 * terminal (util/text.h) before it is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl_view.h"
#include "tool.h"

#define MAX_COLS 10
#define MAX_ROWS 512 /* a longer table says how many more there are */

struct table {
	int ncols, nrows;
	const char *head[MAX_COLS];
	char *cell[MAX_ROWS][MAX_COLS];
	int more;
};

static bool is_array(json_object *o)
{
	return json_object_is_type(o, json_type_array);
}

json_object *ctl_get(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* A value for a cell: strings escaped (and capped at max characters),
 * numbers and booleans as JSON writes them, missing as "-". */
char *ctl_cell(json_object *v, size_t max)
{
	if (!v || json_object_is_type(v, json_type_null)) {
		return strdup("-");
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t len = (size_t)json_object_get_string_len(v);
		return len ? text_terminal(s, len, max, TEXT_BARE) : strdup("\"\"");
	}
	if (json_object_is_type(v, json_type_boolean)) {
		return strdup(json_object_get_boolean(v) ? "yes" : "no");
	}
	return strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static void add_row(struct table *t, char **cells)
{
	if (t->nrows == MAX_ROWS) {
		t->more++;
		for (int c = 0; c < t->ncols; c++) {
			free(cells[c]);
		}
		return;
	}
	memcpy(t->cell[t->nrows++], cells, sizeof(char *) * (size_t)t->ncols);
}

/* Display width of UTF-8 text that text_terminal made: one per code point
 * (wide characters count one; good enough for alignment of names). */
static int width(const char *s)
{
	int w = 0;
	for (; s && *s; s++) {
		w += ((unsigned char)*s & 0xC0) != 0x80;
	}
	return w;
}

static void print_table(struct table *t, const char *indent)
{
	int w[MAX_COLS];
	for (int c = 0; c < t->ncols; c++) {
		w[c] = width(t->head[c]);
		for (int r = 0; r < t->nrows; r++) {
			int cw = width(t->cell[r][c]);
			w[c] = cw > w[c] ? cw : w[c];
		}
	}
	for (int r = -1; r < t->nrows; r++) {
		fputs(indent, stdout);
		for (int c = 0; c < t->ncols; c++) {
			const char *s = r < 0 ? t->head[c] : t->cell[r][c] ? t->cell[r][c] : "?";
			bool last = c == t->ncols - 1;
			printf("%s%*s", s, last ? 0 : w[c] - width(s) + 2, "");
		}
		putchar('\n');
	}
	if (t->more) {
		printf("%s(%d more; ctl --json lists all)\n", indent, t->more);
	}
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			free(t->cell[r][c]);
		}
	}
	t->nrows = t->more = 0;
}

static char *fmt_num(const char *fmt, double v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), fmt, v);
	return strdup(buf);
}

static char *ms_of(json_object *us)
{
	return us ? fmt_num("%.1f", json_object_get_double(us) / 1000.0) : strdup("-");
}

void ctl_show_attendees(json_object *list, int marked)
{
	size_t n = json_object_array_length(list);
	if (n == 0) {
		puts("no attendees");
		return;
	}
	static struct table t = {.ncols = 9,
	                         .head = {"ID", "NAME", "ADDRESS", "LEVEL", "CODEC", "FPS",
	                                  "KBIT/S", "P50 MS", "SKIPPED"}};
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(list, i);
		json_object *fps = ctl_get(a, "fps"), *kbps = ctl_get(a, "kbit_s");
		json_object *id = ctl_get(a, "id");
		char mark[24];
		snprintf(mark, sizeof(mark), "%s%d",
		         marked < 0                          ? ""
		         : json_object_get_int(id) == marked ? "> "
		                                             : "  ",
		         json_object_get_int(id));
		char *c[MAX_COLS] = {
		    strdup(mark),
		    ctl_cell(ctl_get(a, "name"), TEXT_NAME_MAX),
		    ctl_cell(ctl_get(a, "address"), 64),
		    ctl_cell(ctl_get(a, "level"), 16),
		    ctl_cell(ctl_get(a, "codec"), 16),
		    fps ? fmt_num("%.1f", json_object_get_double(fps)) : strdup("-"),
		    kbps ? fmt_num("%.0f", json_object_get_double(kbps)) : strdup("-"),
		    ms_of(ctl_get(a, "latency_p50_us")),
		    ctl_cell(ctl_get(a, "frames_skipped"), 20),
		};
		add_row(&t, c);
	}
	print_table(&t, "");
}

static void show_invitations(json_object *list)
{
	size_t n = json_object_array_length(list);
	if (n == 0) {
		puts("no invitations");
		return;
	}
	static struct table t = {
	    .ncols = 6, .head = {"INDEX", "AUTH STRING", "GROUP", "LIMIT", "JOINED", "REVOKED"}};
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(list, i);
		char *c[MAX_COLS] = {
		    ctl_cell(ctl_get(v, "index"), 8),
		    ctl_cell(ctl_get(v, "auth_string"), 64),
		    ctl_cell(ctl_get(v, "group"), TEXT_NAME_MAX),
		    ctl_cell(ctl_get(v, "limit"), 8),
		    ctl_cell(ctl_get(v, "attendees"), 8),
		    ctl_cell(ctl_get(v, "revoked"), 4),
		};
		add_row(&t, c);
	}
	print_table(&t, "");
}

void ctl_show_requests(json_object *list, bool hint)
{
	size_t n = json_object_array_length(list);
	if (n == 0) {
		puts("no pending control requests");
		return;
	}
	static struct table t = {.ncols = 4, .head = {"REQUEST", "ATTENDEE", "NAME", "WANTS"}};
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(list, i);
		char *c[MAX_COLS] = {
		    ctl_cell(ctl_get(v, "id"), 12), ctl_cell(ctl_get(v, "attendee"), 12),
		    ctl_cell(ctl_get(v, "name"), TEXT_NAME_MAX), ctl_cell(ctl_get(v, "level"), 16)};
		add_row(&t, c);
	}
	print_table(&t, "");
	if (hint) {
		puts("answer with: rdpshare ctl grant REQUEST | deny REQUEST");
	}
}

static void show_apps(json_object *root, json_object *list)
{
	json_object *f = ctl_get(root, "filter");
	printf("application filter: %s\n", f && json_object_get_boolean(f) ? "on" : "off");
	size_t n = json_object_array_length(list);
	if (n == 0) {
		puts("no applications");
		return;
	}
	static struct table t = {
	    .ncols = 5, .head = {"ID", "APPLICATION / WINDOW", "SHARED", "GEOMETRY", "VISIBLE"}};
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(list, i);
		char *c[MAX_COLS] = {ctl_cell(ctl_get(a, "id"), 12),
		                     ctl_cell(ctl_get(a, "name"), TEXT_NAME_MAX),
		                     ctl_cell(ctl_get(a, "shared"), 4), strdup(""), strdup("")};
		add_row(&t, c);
		json_object *wins = ctl_get(a, "windows");
		size_t nw = is_array(wins) ? json_object_array_length(wins) : 0;
		for (size_t k = 0; k < nw; k++) {
			json_object *w = json_object_array_get_idx(wins, k);
			char geo[64];
			snprintf(geo, sizeof(geo), "%dx%d+%d+%d",
			         json_object_get_int(ctl_get(w, "width")),
			         json_object_get_int(ctl_get(w, "height")),
			         json_object_get_int(ctl_get(w, "x")),
			         json_object_get_int(ctl_get(w, "y")));
			char *title = ctl_cell(ctl_get(w, "title"), TEXT_LINE_MAX);
			char *indented = malloc(strlen(title ? title : "") + 3);
			if (indented) {
				sprintf(indented, "  %s", title ? title : "");
			}
			free(title);
			char *wc[MAX_COLS] = {ctl_cell(ctl_get(w, "id"), 12), indented,
			                      ctl_cell(ctl_get(w, "shared"), 4), strdup(geo),
			                      ctl_cell(ctl_get(w, "visible"), 4)};
			add_row(&t, wc);
		}
	}
	print_table(&t, "");
}

static void show_properties(json_object *root, json_object *props)
{
	static struct table t = {.ncols = 2, .head = {"PROPERTY", "VALUE"}};
	json_object_object_foreach(props, key, val)
	{
		char *c[MAX_COLS] = {text_terminal(key, strlen(key), 64, TEXT_BARE),
		                     ctl_cell(val, 64)};
		add_row(&t, c);
	}
	print_table(&t, "");
	json_object *d = ctl_get(root, "color_depth"), *p = ctl_get(root, "paused");
	printf("colour depth: %d bits; picture %s\n", d ? json_object_get_int(d) : 0,
	       p && json_object_get_boolean(p) ? "paused" : "live");
}

/* Anything else: "done", then each other member as "key: value". */
static void show_rest(json_object *root)
{
	bool any = false;
	json_object_object_foreach(root, key, val)
	{
		if (strcmp(key, "ok") == 0) {
			continue;
		}
		if (json_object_is_type(val, json_type_object)) {
			json_object_object_foreach(val, k2, v2)
			{
				char *v = ctl_cell(v2, TEXT_MESSAGE_MAX);
				printf("%s %s: %s\n", key, k2, v ? v : "?");
				free(v);
			}
		} else {
			char *v = ctl_cell(val, TEXT_MESSAGE_MAX);
			printf("%s: %s\n", key, v ? v : "?");
			free(v);
		}
		any = true;
	}
	if (!any) {
		puts("done");
	}
}

int ctl_show(const char *reply, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = tok ? json_tokener_parse_ex(tok, reply, (int)len) : NULL;
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		fprintf(stderr, "rdpshare ctl: the sharer's answer was not understood\n");
		return 1;
	}
	json_object *ok = ctl_get(root, "ok");
	int status = 0;
	if (!ok || !json_object_get_boolean(ok)) {
		json_object *e = ctl_get(root, "error");
		char *msg = ctl_cell(e, TEXT_MESSAGE_MAX);
		fprintf(stderr, "rdpshare ctl: %s\n", msg ? msg : "failed");
		/* the sharer says "usage: ..." or "unknown command" for a wrong call */
		status = msg && (strncmp(msg, "usage:", 6) == 0 ||
		                 strncmp(msg, "unknown command", 15) == 0)
		             ? 2
		             : 1;
		free(msg);
	} else if (is_array(ctl_get(root, "attendees"))) {
		ctl_show_attendees(ctl_get(root, "attendees"), -1);
	} else if (is_array(ctl_get(root, "invitations"))) {
		show_invitations(ctl_get(root, "invitations"));
	} else if (is_array(ctl_get(root, "requests"))) {
		ctl_show_requests(ctl_get(root, "requests"), true);
	} else if (is_array(ctl_get(root, "applications"))) {
		show_apps(root, ctl_get(root, "applications"));
	} else if (json_object_is_type(ctl_get(root, "properties"), json_type_object)) {
		show_properties(root, ctl_get(root, "properties"));
	} else {
		show_rest(root);
	}
	fflush(stdout);
	json_object_put(root);
	return status;
}
