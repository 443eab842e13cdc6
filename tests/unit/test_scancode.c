/* RDP scancodes and Unicode input as Linux key codes and keysyms: the
 * table's edges, the odd codes, hostile values, UTF-16 pairs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/input-event-codes.h>

#include "capture/scancode.h"

static void test_plain_range(void **state)
{
	(void)state;
	assert_int_equal(scancode_to_evdev(0x01), KEY_ESC);
	assert_int_equal(scancode_to_evdev(0x1e), KEY_A);
	assert_int_equal(scancode_to_evdev(0x2a), KEY_LEFTSHIFT);
	assert_int_equal(scancode_to_evdev(0x58), KEY_F12);
}

static void test_extended_and_odd(void **state)
{
	(void)state;
	assert_int_equal(scancode_to_evdev(0x11c), KEY_KPENTER);
	assert_int_equal(scancode_to_evdev(0x11d), KEY_RIGHTCTRL);
	assert_int_equal(scancode_to_evdev(0x138), KEY_RIGHTALT);
	assert_int_equal(scancode_to_evdev(0x148), KEY_UP);
	assert_int_equal(scancode_to_evdev(0x153), KEY_DELETE);
	assert_int_equal(scancode_to_evdev(0x15b), KEY_LEFTMETA);
	assert_int_equal(scancode_to_evdev(0x64), KEY_F13);
	assert_int_equal(scancode_to_evdev(0x73), KEY_RO);
}

static void test_hostile(void **state)
{
	(void)state;
	int bad[] = {0,     -1,    0x5a,    0x101,           0x59 + 0x100, 0x7f,
	             0x100, 0x1ff, 0x10000, -0x7fffffff - 1, 0x7fffffff};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(scancode_to_evdev(bad[i]), -1);
	}
}

static void test_keysyms(void **state)
{
	(void)state;
	assert_int_equal(scancode_keysym_for('a'), 'a');
	assert_int_equal(scancode_keysym_for(0xe4), 0xe4);         /* ä: Latin-1 */
	assert_int_equal(scancode_keysym_for(0x20ac), 0x20ac);     /* €: EuroSign */
	assert_int_equal(scancode_keysym_for(0x1f600), 0x101f600); /* beyond the BMP */
	assert_int_equal(scancode_keysym_for('\r'), 0xff0d);
	assert_int_equal(scancode_keysym_for('\n'), 0xff0d);
	assert_int_equal(scancode_keysym_for(8), 0xff08);
	assert_int_equal(scancode_keysym_for(0x7f), 0xffff);
	assert_int_equal(scancode_keysym_for(0x01), 0);
	assert_int_equal(scancode_keysym_for(0x85), 0);
	assert_int_equal(scancode_keysym_for(0xd800), 0);
	assert_int_equal(scancode_keysym_for(0x110000), 0);
	assert_int_equal(scancode_keysym_for(0xffff), 0);
	assert_int_equal(scancode_keysym_for(0xfffe), 0);
	assert_int_equal(scancode_keysym_for(0x10ffff), 0);
	assert_int_equal(scancode_keysym_for(0xfdd0), 0);
	assert_int_equal(scancode_keysym_for(-3), 0);
}

static void test_utf16(void **state)
{
	(void)state;
	int pending = 0;
	assert_int_equal(scancode_utf16_join(&pending, 'x'), 'x');
	assert_int_equal(scancode_utf16_join(&pending, 0xd83d), 0);
	assert_int_equal(scancode_utf16_join(&pending, 0xde00), 0x1f600);
	assert_int_equal(pending, 0);
	assert_int_equal(scancode_utf16_join(&pending, 0xde00), 0); /* lone low half */
	assert_int_equal(scancode_utf16_join(&pending, 0xd83d), 0);
	assert_int_equal(scancode_utf16_join(&pending, 'y'), 'y'); /* high half dropped */
	assert_int_equal(pending, 0);
	/* a code point joined already (by the RDP layer) passes, past U+10FFFF
	 * nothing does */
	assert_int_equal(scancode_utf16_join(&pending, 0xd83d), 0);
	assert_int_equal(scancode_utf16_join(&pending, 0x1f600), 0x1f600);
	assert_int_equal(pending, 0);
	assert_int_equal(scancode_utf16_join(&pending, 0x120041), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_range), cmocka_unit_test(test_extended_and_odd),
	    cmocka_unit_test(test_hostile),     cmocka_unit_test(test_keysyms),
	    cmocka_unit_test(test_utf16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
