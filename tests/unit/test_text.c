/* Untrusted text made safe to show (src/util/text.c): hostile names, titles
 * and channel text (ESC and OSC sequences, bidi overrides, C1 controls,
 * broken UTF-8, very long) come out inert and capped on a terminal line, and
 * exact but valid as JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

static char *term(const char *s, size_t max, enum text_quote q)
{
	char *t = text_terminal(s, s ? strlen(s) : 0, max, q);
	assert_non_null(t);
	return t;
}

/* No byte below 0x20, no DEL, no C1 (C2 80..C2 9F), no bidi controls
 * (E2 80 AA..AE, E2 81 A6..A9, E2 80 8E/8F, E2 80 A8/A9, D8 9C). */
static void assert_inert(const char *t)
{
	const unsigned char *p = (const unsigned char *)t;
	for (size_t i = 0; p[i]; i++) {
		assert_true(p[i] >= 0x20 && p[i] != 0x7F);
		if (p[i] == 0xC2) {
			assert_false(p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
		}
		if (p[i] == 0xE2 && p[i + 1] == 0x80) {
			assert_false(p[i + 2] >= 0xA8 && p[i + 2] <= 0xAE);
			assert_false(p[i + 2] == 0x8E || p[i + 2] == 0x8F);
		}
		if (p[i] == 0xE2 && p[i + 1] == 0x81) {
			assert_false(p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9);
		}
		if (p[i] == 0xD8) {
			assert_false(p[i + 1] == 0x9C);
		}
	}
}

static void check_term(const char *in, size_t max, enum text_quote q, const char *want)
{
	char *t = term(in, max, q);
	assert_string_equal(t, want);
	assert_inert(t);
	free(t);
}

static void test_terminal_plain_names_unchanged(void **state)
{
	(void)state;
	check_term("alice", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED, "alice");
	check_term("Jürgen Ørsted", TEXT_NAME_MAX, TEXT_BARE, "Jürgen Ørsted");
	check_term("日本語", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED, "日本語");
	check_term("😀", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED, "😀");
	check_term("", TEXT_NAME_MAX, TEXT_BARE, "");
	check_term(NULL, TEXT_NAME_MAX, TEXT_BARE, "");
}

static void test_terminal_escape_sequences(void **state)
{
	(void)state;
	/* a title change, then red text */
	check_term("\x1b]0;owned\a\x1b[31mred", TEXT_NAME_MAX, TEXT_BARE,
	           "\\x1b]0;owned\\x07\\x1b[31mred");
	/* OSC 52: write the terminal's clipboard */
	check_term("\x1b]52;c;ZWNobyBwd25lZA==\x1b\\", TEXT_LINE_MAX, TEXT_BARE,
	           "\\x1b]52;c;ZWNobyBwd25lZA==\\x1b\\\\");
	/* fake lines and carriage returns */
	check_term("a\nattendee-connected id=9\rb\tc", TEXT_LINE_MAX, TEXT_BARE,
	           "a\\x0aattendee-connected id=9\\x0db\\x09c");
	check_term("del\x7f", TEXT_NAME_MAX, TEXT_BARE, "del\\x7f");
	/* C1 controls as UTF-8: U+009B is a CSI on some terminals */
	check_term("\xc2\x9b"
	           "31m\xc2\x85",
	           TEXT_NAME_MAX, TEXT_BARE, "\\u009b31m\\u0085");
	/* a backslash is escaped, so an escape cannot be forged either */
	check_term("\\x1b", TEXT_NAME_MAX, TEXT_BARE, "\\\\x1b");
}

static void test_terminal_bidi(void **state)
{
	(void)state;
	/* "evil" shown reversed by RIGHT-TO-LEFT OVERRIDE (U+202E) */
	check_term("\xe2\x80\xae"
	           "live",
	           TEXT_NAME_MAX, TEXT_BARE, "\\u202elive");
	check_term("a\xe2\x81\xa6"
	           "b\xe2\x81\xa9"
	           "c",
	           TEXT_NAME_MAX, TEXT_BARE, "a\\u2066b\\u2069c");
	check_term("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", TEXT_NAME_MAX, TEXT_BARE,
	           "\\u202a\\u202b\\u202c\\u202d");
	check_term("\xe2\x80\x8f\xe2\x80\xa8\xd8\x9c", TEXT_NAME_MAX, TEXT_BARE,
	           "\\u200f\\u2028\\u061c");
	for (unsigned long cp = 0; cp < 0x110000; cp++) {
		int unsafe = text_is_unsafe(cp);
		int want = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x61C || cp == 0x200E ||
		           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
		           (cp >= 0x2066 && cp <= 0x2069);
		assert_int_equal(unsafe, want);
	}
}

static void test_terminal_invalid_utf8(void **state)
{
	(void)state;
	/* stray continuation, bad lead bytes, overlong NUL and '/', surrogate,
	 * past U+10FFFF, cut short at the end */
	check_term("a\x80"
	           "b\xff\xfe",
	           TEXT_NAME_MAX, TEXT_BARE, "a\\x80b\\xff\\xfe");
	check_term("\xc0\x80\xe0\x80\xaf", TEXT_NAME_MAX, TEXT_BARE, "\\xc0\\x80\\xe0\\x80\\xaf");
	check_term("\xed\xa0\x80", TEXT_NAME_MAX, TEXT_BARE, "\\xed\\xa0\\x80");
	check_term("\xf4\x90\x80\x80", TEXT_NAME_MAX, TEXT_BARE, "\\xf4\\x90\\x80\\x80");
	check_term("ok\xe2\x80", TEXT_NAME_MAX, TEXT_BARE, "ok\\xe2\\x80");
	/* a C1 control split from its lead byte is no C1 control */
	check_term("\xc2", TEXT_NAME_MAX, TEXT_BARE, "\\xc2");
	/* embedded NUL with an explicit length */
	char *t = text_terminal("a\0b", 3, TEXT_NAME_MAX, TEXT_BARE);
	assert_string_equal(t, "a\\x00b");
	free(t);
}

static void test_terminal_quotes(void **state)
{
	(void)state;
	/* a name with spaces cannot pose as more fields of the line */
	check_term("eve level=interactive", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED,
	           "\"eve level=interactive\"");
	check_term("say \"hi\"", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED, "\"say \\\"hi\\\"\"");
	check_term("nbsp\xc2\xa0x", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED, "\"nbsp\xc2\xa0x\"");
	check_term("", TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED, "\"\"");
	check_term("plain", TEXT_NAME_MAX, TEXT_QUOTED, "\"plain\"");
	/* unquoted, a '"' is left alone */
	check_term("a\"b", TEXT_NAME_MAX, TEXT_BARE, "a\"b");
}

static void test_terminal_cap(void **state)
{
	(void)state;
	char long_name[10000];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	char *t = term(long_name, TEXT_NAME_MAX, TEXT_BARE);
	assert_int_equal(strlen(t), TEXT_NAME_MAX + strlen("…"));
	assert_string_equal(t + TEXT_NAME_MAX, "…");
	free(t);
	/* exactly the cap: no ellipsis */
	long_name[TEXT_NAME_MAX] = '\0';
	t = term(long_name, TEXT_NAME_MAX, TEXT_BARE);
	assert_int_equal(strlen(t), TEXT_NAME_MAX);
	free(t);
	/* characters, not bytes, are counted, and none is cut in half */
	check_term("äöüß", 2, TEXT_BARE, "äö…");
	check_term("\x1b\x1b\x1b", 2, TEXT_QUOTED, "\"\\x1b\\x1b…\"");
	/* the worst case fits: many C1 controls, each six bytes out */
	char c1[2 * 300 + 1];
	for (int i = 0; i < 300; i++) {
		c1[2 * i] = '\xc2';
		c1[2 * i + 1] = '\x9b';
	}
	c1[600] = '\0';
	t = term(c1, TEXT_LINE_MAX, TEXT_QUOTED);
	assert_int_equal(strlen(t), 2 + 6 * TEXT_LINE_MAX + strlen("…"));
	assert_inert(t);
	free(t);
}

static void check_json(const char *in, size_t len, const char *want)
{
	char *out = malloc(6 * len + 1);
	assert_non_null(out);
	size_t n = text_json_body(in, len, out);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, want);
	assert_inert(out);
	free(out);
}

static void test_json_exact_and_escaped(void **state)
{
	(void)state;
	check_json("alice", 5, "alice");
	check_json("Jürgen", strlen("Jürgen"), "Jürgen");
	const char *esc = "\x1b]0;owned\a\x1b[31m";
	check_json(esc, strlen(esc), "\\u001b]0;owned\\u0007\\u001b[31m");
	check_json("q\"b\\\b\f\n\r\t", 9, "q\\\"b\\\\\\b\\f\\n\\r\\t");
	check_json("\x7f\xc2\x9b\xe2\x80\xae", 6, "\\u007f\\u009b\\u202e");
	check_json("a\0b", 3, "a\\u0000b");
	/* JSON cannot hold a non-UTF-8 byte: U+FFFD, one per byte */
	check_json("\xff\xc0\x80"
	           "ok\xe2\x80",
	           7, "\\ufffd\\ufffd\\ufffdok\\ufffd\\ufffd");
	check_json(NULL, 0, "");
	/* the worst case uses the promised room exactly */
	char ctl[64];
	memset(ctl, 1, sizeof(ctl));
	char out[6 * sizeof(ctl) + 1];
	assert_int_equal(text_json_body(ctl, sizeof(ctl), out), 6 * sizeof(ctl));
}

/* What a person can type: printable UTF-8, no controls, bidi marks or BOM. */
static void test_typeable(void **state)
{
	(void)state;
	assert_true(text_is_typeable("h7MqKc3vTw9a", 12));
	assert_true(text_is_typeable("p\xc3\xa4ss w\xc3\xb6rd \xe2\x82\xac", 15));
	assert_true(text_is_typeable("", 0));
	assert_false(text_is_typeable("p\xe4ss", 4));          /* Latin-1 */
	assert_false(text_is_typeable("\xef\xbb\xbfpass", 7)); /* BOM */
	assert_false(text_is_typeable("pa\x1bss", 5));         /* ESC */
	assert_false(text_is_typeable("pa\tss", 5));           /* TAB */
	assert_false(text_is_typeable("pa\xc2\x85ss", 6));     /* C1 NEL */
	assert_false(text_is_typeable("pa\xe2\x80\xaess", 7)); /* RLO */
	assert_false(text_is_typeable("pa\xc0\xafss", 6));     /* overlong */
	assert_false(text_is_typeable("pa\xed\xa0\x80ss", 7)); /* surrogate */
	assert_false(text_is_typeable("pa\xe2\x82", 4));       /* cut short */
	assert_false(text_is_typeable("a\0b", 3));             /* NUL */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_typeable),
	    cmocka_unit_test(test_terminal_plain_names_unchanged),
	    cmocka_unit_test(test_terminal_escape_sequences),
	    cmocka_unit_test(test_terminal_bidi),
	    cmocka_unit_test(test_terminal_invalid_utf8),
	    cmocka_unit_test(test_terminal_quotes),
	    cmocka_unit_test(test_terminal_cap),
	    cmocka_unit_test(test_json_exact_and_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
