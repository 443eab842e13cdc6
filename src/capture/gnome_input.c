/* Input for Mutter's remote desktop session: RDP's scancodes as evdev key
 * codes, characters as keysyms, buttons as evdev buttons, wheel notches as
 * discrete axis steps, pointer positions relative to our stream. Each goes
 * out at once without waiting for Mutter (gnome_bus_notify). */
#include "capture/gnome.h"

#include <errno.h>
#include <linux/input-event-codes.h>
#include <stdint.h>

#include <xkbcommon/xkbcommon.h>

#include "capture/scancode.h"

#define WHEEL_MAX (120 * 20) /* notches kept back at most, as x11.c does */

static int move_to(struct gnome_bus *b, int x, int y, int w, int h)
{
	x = x < 0 ? 0 : (x >= w ? w - 1 : x);
	y = y < 0 ? 0 : (y >= h ? h - 1 : y);
	return gnome_bus_notify(b, "NotifyPointerMotionAbsolute", "sdd", gnome_bus_stream_path(b),
	                        (double)x, (double)y);
}

static int button_code(int code)
{
	switch (code) {
	case 1:
		return BTN_LEFT;
	case 2:
		return BTN_MIDDLE;
	case 3:
		return BTN_RIGHT;
	case 8:
		return BTN_SIDE;
	case 9:
		return BTN_EXTRA;
	default:
		return -1;
	}
}

/* Whole notches go out as discrete steps, fractions wait for more. RDP's
 * positive is up (or right); Mutter's vertical axis 0 counts down. */
static int inject_wheel(struct gnome_input *st, struct gnome_bus *b, const struct cap_input *in)
{
	int axis = in->code ? 1 : 0;
	long acc = (long)st->wheel[axis] + in->amount;
	acc = acc > WHEEL_MAX ? WHEEL_MAX : (acc < -WHEEL_MAX ? -WHEEL_MAX : acc);
	int notches = (int)(acc / 120);
	st->wheel[axis] = (int)(acc - (long)notches * 120);
	if (notches == 0) {
		return 0;
	}
	return gnome_bus_notify(b, "NotifyPointerAxisDiscrete", "ui", (uint32_t)axis,
	                        axis == 0 ? -notches : notches);
}

/* A character types at once on "down" (press and release); Mutter finds a
 * key for the keysym in its keymap and drops characters it has none for. */
static int inject_unicode(struct gnome_input *st, struct gnome_bus *b, const struct cap_input *in)
{
	int cp = scancode_utf16_join(&st->high_surrogate[in->down ? 1 : 0], in->code);
	if (cp == 0 || !in->down) {
		return 0;
	}
	uint32_t ks = (uint32_t)scancode_keysym_for(cp);
	if (ks == XKB_KEY_NoSymbol) {
		return 0;
	}
	int r = gnome_bus_notify(b, "NotifyKeyboardKeysym", "ub", ks, 1);
	if (r >= 0) {
		r = gnome_bus_notify(b, "NotifyKeyboardKeysym", "ub", ks, 0);
	}
	return r;
}

int gnome_input_inject(struct gnome_input *st, struct gnome_bus *b, const struct cap_input *in,
                       int w, int h)
{
	if (w <= 0 || h <= 0) {
		return -EAGAIN;
	}
	switch (in->kind) {
	case CAP_INPUT_KEY_SCANCODE: {
		int key = scancode_to_evdev(in->code);
		if (key < 0) {
			return -EINVAL;
		}
		return gnome_bus_notify(b, "NotifyKeyboardKeycode", "ub", (uint32_t)key,
		                        (int)in->down);
	}
	case CAP_INPUT_KEY_UNICODE:
		return inject_unicode(st, b, in);
	case CAP_INPUT_MOTION:
		return move_to(b, in->x, in->y, w, h);
	case CAP_INPUT_BUTTON: {
		int button = button_code(in->code);
		if (button < 0) {
			return -EINVAL;
		}
		int r = move_to(b, in->x, in->y, w, h);
		return r < 0 ? r
		             : gnome_bus_notify(b, "NotifyPointerButton", "ib", button,
		                                (int)in->down);
	}
	case CAP_INPUT_WHEEL:
		return inject_wheel(st, b, in);
	}
	return -EINVAL;
}
