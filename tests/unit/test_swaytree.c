/* sway's get_tree reply as a window list (src/capture/swaytree.c): a real
 * reply of sway 1.7 with two foot windows (one floating), a hand-made tree
 * with two outputs, a scaled output, tabs, an X11 view, a fullscreen view
 * and the scratchpad, and hostile replies: not JSON, wrong types, huge
 * numbers, deep nesting, too many views and tokens, broken UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/peer_json.h"
#include "capture/swaytree.h"

/* tests run from the top of the tree (tests/run.sh); the same file seeds the fuzzer */
#define REAL_REPLY "fuzz/corpus/swaytree/sway17_two_foot.json"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static int parse(struct swaytree *t, const char *json, const char *output)
{
	return swaytree_parse(t, json, strlen(json), output);
}

static void test_real_reply(void **unused)
{
	(void)unused;
	size_t len;
	const char *json = slurp(REAL_REPLY, &len);
	struct swaytree t;
	assert_int_equal(swaytree_parse(&t, json, len, "HEADLESS-1"), 0);
	assert_string_equal(t.output, "HEADLESS-1");
	assert_int_equal(t.width, 1280);
	assert_int_equal(t.height, 720);
	assert_int_equal(t.n, 2);
	const struct cap_window *a = &t.v[0], *b = &t.v[1];
	assert_int_equal(a->id, 5);
	assert_int_equal(a->app, 7338);
	assert_string_equal(a->app_name, "foot"); /* the app_id: /proc is swayipc's */
	assert_string_equal(a->title, "first foot");
	assert_int_equal(a->x, 0);
	assert_int_equal(a->y, 0);
	assert_int_equal(a->w, 1280);
	assert_int_equal(a->h, 720);
	assert_true(a->viewable && a->listed);
	assert_int_equal(a->owner, 0);
	assert_int_equal(b->id, 6); /* floating: above the tiling one */
	assert_int_equal(b->app, 7535);
	assert_string_equal(b->title, "second foot \xc3\xbcn\xc3\xaf");
	assert_int_equal(b->x, 290);
	assert_int_equal(b->y, 110);
	assert_int_equal(b->w, 700);
	assert_int_equal(b->h, 500);
	assert_int_equal(t.focus, 6);
	swaytree_finish(&t);
	/* the first active output is the same; the scratchpad's "__i3" is none */
	assert_int_equal(swaytree_parse(&t, json, len, NULL), 0);
	assert_string_equal(t.output, "HEADLESS-1");
	assert_int_equal(t.n, 2);
	swaytree_finish(&t);
	assert_int_equal(swaytree_parse(&t, json, len, "HEADLESS-2"), -ENODEV);
	assert_int_equal(t.n, 0);
	assert_null(t.v);
	assert_int_equal(swaytree_parse(&t, json, len, "__i3"), 0); /* named: as asked */
	assert_int_equal(t.n, 0);
	swaytree_finish(&t);
	/* every prefix of the real reply: an error or a list, never a crash */
	for (size_t n = 0; n < len; n += 7) {
		int r = swaytree_parse(&t, json, n, NULL);
		assert_true(r == 0 || r == -EINVAL || r == -ENODEV);
		swaytree_finish(&t);
	}
}

/* Two outputs; B (right of A, scale 2) holds: a tabbed split with a shown
 * and a hidden foot, an X11 view without a pid, two views of one app_id
 * without a pid, a nameless one, a fullscreen view and a floating pair.
 * The views all have the same rect, in layout coordinates. */
static const char multi[] =
    "{\"id\":1,\"type\":\"root\",\"nodes\":["
    "{\"id\":2,\"type\":\"output\",\"name\":\"__i3\",\"nodes\":[{\"id\":9,"
    "\"type\":\"workspace\",\"floating_nodes\":["
    "{\"id\":90,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":900,\"app_id\":\"scratch\"}"
    "]}]},"
    "{\"id\":3,\"type\":\"output\",\"name\":\"A\",\"active\":true,\"scale\":1,"
    "\"rect\":{\"x\":0,\"y\":0,\"width\":1280,\"height\":720},"
    "\"nodes\":[{\"id\":4,\"type\":\"workspace\",\"fullscreen_mode\":1,\"nodes\":["
    "{\"id\":40,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":400,\"app_id\":\"on-a\",\"focused\":true}"
    "]}]},"
    "{\"id\":5,\"type\":\"output\",\"name\":\"B\",\"active\":true,\"scale\":2,"
    "\"rect\":{\"x\":1280,\"y\":0,\"width\":640,\"height\":360},"
    "\"nodes\":[{\"id\":6,\"type\":\"workspace\",\"fullscreen_mode\":1,\"nodes\":["
    "{\"id\":7,\"type\":\"con\",\"layout\":\"tabbed\",\"nodes\":["
    "{\"id\":50,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":500,\"app_id\":\"foot\",\"name\":\"shown\"}"
    ","
    "{\"id\":51,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":501,\"app_id\":\"foot\",\"name\":\"hidden\",\"visible\":false}"
    "]},"
    "{\"id\":52,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":0,\"app_id\":null,\"window_properties\":{\"class\":\"XTerm\"},\"name\":\"x11\"}"
    ","
    "{\"id\":53,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"app_id\":\"nopid\",\"name\":\"n1\"}"
    ","
    "{\"id\":54,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"app_id\":\"nopid\",\"name\":\"n2\"}"
    ","
    "{\"id\":55,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"app_id\":\"\",\"window_properties\":{}}"
    ","
    "{\"id\":56,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":560,\"app_id\":\"full\",\"fullscreen_mode\":1}"
    "],\"floating_nodes\":["
    "{\"id\":60,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":600,\"app_id\":\"f1\"}"
    ","
    "{\"id\":61,\"type\":\"con\",\"visible\":true,"
    "\"rect\":{\"x\":1300,\"y\":10,\"width\":100,\"height\":50},"
    "\"pid\":601,\"app_id\":\"f2\"}"
    "]}]}]}";

static const struct cap_window *by_id(const struct swaytree *t, uint32_t id)
{
	for (int i = 0; i < t->n; i++) {
		if (t->v[i].id == id) {
			return &t->v[i];
		}
	}
	return NULL;
}

static void test_multi(void **unused)
{
	(void)unused;
	struct swaytree t;
	assert_int_equal(parse(&t, multi, NULL), 0);
	assert_string_equal(t.output, "A");
	assert_int_equal(t.n, 1);
	assert_int_equal(t.v[0].id, 40);
	assert_int_equal(t.v[0].x, 1300);
	assert_int_equal(t.focus, 40);
	swaytree_finish(&t);

	assert_int_equal(parse(&t, multi, "B"), 0);
	assert_int_equal(t.width, 1280); /* 640 logical pixels at scale 2 */
	assert_int_equal(t.height, 720);
	assert_int_equal(t.focus, 0); /* the focused view is on A */
	/* tiling in tree order, then floating, then fullscreen */
	static const uint32_t order[] = {50, 51, 52, 53, 54, 55, 60, 61, 56};
	assert_int_equal(t.n, 9);
	for (int i = 0; i < 9; i++) {
		assert_int_equal(t.v[i].id, order[i]);
	}
	const struct cap_window *w = by_id(&t, 50);
	assert_int_equal(w->x, 40); /* (1300 - 1280) * 2 */
	assert_int_equal(w->y, 20);
	assert_int_equal(w->w, 200);
	assert_int_equal(w->h, 100);
	assert_true(w->viewable);
	assert_false(by_id(&t, 51)->viewable);
	const struct cap_window *x = by_id(&t, 52);
	assert_string_equal(x->app_name, "XTerm");
	assert_true(x->app >= CAP_APP_SYNTHETIC);
	/* no pid: one application per app_id, one per view without a name */
	assert_true(by_id(&t, 53)->app >= CAP_APP_SYNTHETIC);
	assert_int_equal(by_id(&t, 53)->app, by_id(&t, 54)->app);
	assert_true(by_id(&t, 53)->app != x->app);
	assert_string_equal(by_id(&t, 55)->app_name, "unknown");
	assert_string_equal(by_id(&t, 55)->title, "");
	assert_true(by_id(&t, 55)->app >= CAP_APP_SYNTHETIC);
	assert_true(by_id(&t, 55)->app != by_id(&t, 53)->app);
	assert_null(by_id(&t, 90)); /* the scratchpad is on no output */
	assert_null(by_id(&t, 40));
	swaytree_finish(&t);
}

/* Each of these is an error or a list, and the list is sane. */
static void test_hostile_types(void **unused)
{
	(void)unused;
	static const char *const bad[] = {
	    "",
	    "null",
	    "[]",
	    "\"root\"",
	    "{\"nodes\":\"x\"}",
	    "{\"nodes\":[]} x",
	    "{\"nodes\":[]}\0{}",
	    "{\"nodes\":[1,\"a\",null,[],{\"type\":7,\"name\":\"A\"}]}",
	    "{\"nodes\":[{\"type\":\"output\",\"name\":\"A\",\"active\":\"yes\"}]}",
	    "{{{",
	    "{\"nodes\":[{\"type\":\"output\"",
	};
	struct swaytree t;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse(&t, bad[i], NULL);
		assert_true(r == -EINVAL || r == -ENODEV);
		assert_int_equal(t.n, 0);
		swaytree_finish(&t);
	}
	/* a NUL inside the bytes is not the end of the reply */
	assert_int_equal(swaytree_parse(&t, "{\"nodes\":[]}\0{}", 15, NULL), -EINVAL);
	static const char odd[] =
	    "{\"nodes\":[{\"type\":\"output\",\"name\":\"A\",\"active\":true,"
	    "\"rect\":{\"x\":\"0\",\"y\":[],\"width\":1e300,\"height\":-5},"
	    "\"scale\":1e9,\"nodes\":[{\"nodes\":{\"not\":\"an array\"},\"floating_nodes\":["
	    "{\"id\":\"7\",\"type\":\"con\",\"pid\":1},"
	    "{\"id\":-7,\"type\":\"con\",\"pid\":1},"
	    "{\"id\":4294967296,\"type\":\"con\",\"pid\":1},"
	    "{\"id\":8,\"type\":\"workspace\",\"pid\":1},"
	    "{\"id\":9,\"type\":\"con\",\"pid\":\"1\"},"
	    "{\"id\":10,\"type\":\"con\",\"pid\":99999999999,\"name\":42,\"visible\":1,"
	    "\"rect\":{\"x\":-1e300,\"y\":5,\"width\":1e300,\"height\":7}},"
	    "{\"id\":11,\"type\":\"con\",\"pid\":3,"
	    "\"rect\":{\"x\":1,\"y\":NaN,\"width\":3,\"height\":Infinity}},"
	    "{\"id\":4294967295,\"type\":\"floating_con\",\"app_id\":\"ok\","
	    "\"fullscreen_mode\":\"yes\",\"focused\":1}"
	    "]}]}]}";
	assert_int_equal(parse(&t, odd, "A"), 0);
	assert_int_equal(t.n, 3);
	const struct cap_window *w = by_id(&t, 10);
	assert_non_null(w);
	assert_true(w->app >= CAP_APP_SYNTHETIC); /* no pid that fits */
	assert_string_equal(w->title, "");
	assert_false(w->viewable);
	assert_int_equal(w->x, -(1 << 24));
	assert_int_equal(w->y, 5);
	assert_int_equal(w->w, 1 << 24);
	w = by_id(&t, 11); /* no number there: no rect at all */
	assert_true(w->x == 0 && w->y == 0 && w->w == 0 && w->h == 0);
	w = by_id(&t, 4294967295u);
	assert_non_null(w);
	assert_int_equal(t.focus, 0);
	swaytree_finish(&t);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t len = strlen(head) + n * strlen(unit) + strlen(tail) + 1;
	char *s = malloc(len);
	assert_non_null(s);
	strcpy(s, head);
	char *p = s + strlen(s);
	for (size_t i = 0; i < n; i++) {
		p = stpcpy(p, unit);
	}
	strcpy(p, tail);
	return s;
}

static const char out_head[] =
    "{\"nodes\":[{\"type\":\"output\",\"name\":\"A\",\"active\":true,\"nodes\":[";

/* a tree d levels deep under the output, a view at the bottom */
static char *deep_tree(size_t d)
{
	char *open = repeat(out_head, "{\"type\":\"con\",\"nodes\":[", d, "");
	char *close = repeat("", "]}", d, "]}]}");
	size_t n = strlen(open) + strlen(close) + 64;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%s{\"id\":1,\"type\":\"con\",\"pid\":2}%s", open, close);
	free(open);
	free(close);
	return s;
}

static void test_depth(void **unused)
{
	(void)unused;
	struct swaytree t;
	char *s = deep_tree(SWAYTREE_MAX_DEPTH - 4);
	assert_int_equal(parse(&t, s, NULL), 0);
	assert_int_equal(t.n, 1);
	swaytree_finish(&t);
	free(s);
	s = deep_tree(SWAYTREE_MAX_DEPTH + 8);
	assert_int_equal(parse(&t, s, NULL), -EINVAL);
	free(s);
	s = repeat("", "[", 100000, "");
	assert_int_equal(parse(&t, s, NULL), -EINVAL);
	free(s);
}

static void test_window_cap(void **unused)
{
	(void)unused;
	/* more views than the cap: the topmost are kept (the floating ones, the
	 * last tiling ones), since they decide what covers a shared window */
	char *tiles = repeat(
	    out_head, "{\"id\":1,\"type\":\"con\",\"pid\":5,\"name\":\"t\",\"visible\":true},",
	    2000, "{\"id\":2,\"type\":\"con\",\"pid\":5,\"name\":\"last tile\"}");
	size_t n = strlen(tiles) + 200;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n,
	         "%s],\"floating_nodes\":[{\"id\":3,\"type\":\"floating_con\",\"pid\":6,"
	         "\"name\":\"float\"}]}]}",
	         tiles);
	struct swaytree t;
	assert_int_equal(parse(&t, s, NULL), 0);
	assert_int_equal(t.n, SWAYTREE_MAX_WINDOWS);
	assert_int_equal(t.v[t.n - 1].id, 3);
	assert_int_equal(t.v[t.n - 2].id, 2);
	assert_int_equal(t.v[0].id, 1);
	swaytree_finish(&t);
	free(s);
	free(tiles);
	/* a reply of too many tokens is refused before json-c builds it */
	s = repeat("[", "0,", SWAYTREE_MAX_TOKENS + 1, "0]");
	assert_int_equal(parse(&t, s, NULL), -EINVAL);
	free(s);
	assert_int_equal(swaytree_parse(&t, "{}", SWAYTREE_MAX_JSON + 1, NULL), -EINVAL);
}

static void test_text(void **unused)
{
	(void)unused;
	char out[8];
	peer_json_copy_text(out, sizeof(out), "abc", 3);
	assert_string_equal(out, "abc");
	/* a 2-byte sequence that would not fit whole is left out */
	peer_json_copy_text(out, sizeof(out), "abcdef\xc3\xa9", 8);
	assert_string_equal(out, "abcdef");
	peer_json_copy_text(out, sizeof(out), "abcde\xc3\xa9", 7);
	assert_string_equal(out, "abcde\xc3\xa9");
	peer_json_copy_text(out, sizeof(out), "a\x1b[1m\x7f", 6);
	assert_string_equal(out, "a [1m ");
	peer_json_copy_text(out, sizeof(out), "\xc2\x85\xc0\x80", 4); /* NEL, overlong NUL */
	assert_string_equal(out, " ??");
	peer_json_copy_text(out, sizeof(out), "\xed\xa0\x80", 3); /* a surrogate */
	assert_string_equal(out, "???");
	peer_json_copy_text(out, sizeof(out), "\xf4\x90\x80\x80", 4); /* past U+10FFFF */
	assert_string_equal(out, "????");
	peer_json_copy_text(out, sizeof(out), "\xe2\x82", 2); /* cut short */
	assert_string_equal(out, "??");
	peer_json_copy_text(out, sizeof(out), "ab\0cd", 5);
	assert_string_equal(out, "ab");
	peer_json_copy_text(out, sizeof(out), "\xf0\x9f\x98\x80!", 5);
	assert_string_equal(out, "\xf0\x9f\x98\x80!");
	peer_json_copy_text(out, 1, "abc", 3);
	assert_string_equal(out, "");

	/* a long title of 2-byte characters is cut on a boundary */
	char *title = repeat("", "\xc3\xa9", 300, "");
	size_t n = 2 * strlen(title) + 200;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n,
	         "%s{\"id\":1,\"type\":\"con\",\"pid\":2,\"name\":\"%s\",\"app_id\":\"%s\"}]}]}",
	         out_head, title, title);
	struct swaytree t;
	assert_int_equal(parse(&t, s, NULL), 0);
	assert_int_equal(strlen(t.v[0].title), CAP_TITLE_MAX - 2);
	assert_int_equal(strlen(t.v[0].app_name), CAP_NAME_MAX - 2);
	swaytree_finish(&t);
	free(s);
	free(title);
	/* escapes: a control character, a lone surrogate, a NUL */
	assert_int_equal(parse(&t,
	                       "{\"nodes\":[{\"type\":\"output\",\"name\":\"A\",\"active\":true,"
	                       "\"nodes\":[{\"id\":1,\"type\":\"con\",\"pid\":2,"
	                       "\"name\":\"a\\u001bb\\ud800c\\u0000d\"}]}]}",
	                       NULL),
	                 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(strncmp(t.v[0].title, "a b", 3), 0);
	assert_null(strchr(t.v[0].title, 'd'));
	swaytree_finish(&t);
}

static void test_success(void **unused)
{
	(void)unused;
	static const struct {
		const char *json;
		int want;
	} cases[] = {
	    {"{\"success\": true}", 0},
	    {"{\"success\": false}", -ENOENT},
	    {"[{\"success\":true}]", 0},
	    {"[{\"success\":true},{\"success\":false,\"error\":\"No matching node.\"}]", -ENOENT},
	    {"[]", -EINVAL},
	    {"[1]", -EINVAL},
	    {"[{\"success\":\"true\"}]", -EINVAL},
	    {"{}", -EINVAL},
	    {"\"x\"", -EINVAL},
	    {"", -EINVAL},
	    {"[{\"success\":true}", -EINVAL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(swaytree_success(cases[i].json, strlen(cases[i].json)),
		                 cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_reply),    cmocka_unit_test(test_multi),
	    cmocka_unit_test(test_hostile_types), cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_window_cap),    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_success),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
