#include "rdp/input.h"

#include <freerdp/input.h>
#include <string.h>

#include "capture/capture.h"
#include "engine.h"
#include "session_internal.h"

static bool interactive(struct input_sink *k)
{
	if (atomic_load(&k->att->level) == RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return true;
	}
	/* Demoted between wake-ups: let go of what it held before dropping. */
	input_release_all(k);
	atomic_fetch_add(&k->att->input_dropped, 1);
	return false;
}

static void inject(struct input_sink *k, const struct cap_input *in)
{
	if (engine_inject(k->engine, in) == 0) {
		atomic_fetch_add(&k->att->input_injected, 1);
	}
}

static void set_bit(uint64_t *bits, int n, bool on)
{
	if (on) {
		bits[n / 64] |= 1ull << (n % 64);
	} else {
		bits[n / 64] &= ~(1ull << (n % 64));
	}
}

void input_key(struct input_sink *k, uint16_t flags, uint16_t code)
{
	if (!interactive(k)) {
		return;
	}
	/* The Pause key arrives as an EXTENDED1 Ctrl+NumLock pair; its
	 * EXTENDED1 half has no key of its own. */
	if (flags & KBD_FLAGS_EXTENDED1) {
		return;
	}
	int sc = (code & 0xFF) | ((flags & KBD_FLAGS_EXTENDED) ? 0x100 : 0);
	bool down = !(flags & KBD_FLAGS_RELEASE);
	struct cap_input in = {.kind = CAP_INPUT_KEY_SCANCODE, .code = sc, .down = down};
	set_bit(k->keys, sc, down);
	inject(k, &in);
}

void input_unicode(struct input_sink *k, uint16_t flags, uint16_t code)
{
	if (!interactive(k)) {
		return;
	}
	struct cap_input in = {
	    .kind = CAP_INPUT_KEY_UNICODE, .code = code, .down = !(flags & KBD_FLAGS_RELEASE)};
	inject(k, &in);
}

static void button(struct input_sink *k, int code, bool down)
{
	if (code < 0 || code > 31) {
		return;
	}
	bool held = k->buttons & (1u << code);
	if (held == down) {
		return; /* repeated press or release of nothing */
	}
	k->buttons ^= 1u << code;
	struct cap_input in = {
	    .kind = CAP_INPUT_BUTTON, .code = code, .x = k->x, .y = k->y, .down = down};
	inject(k, &in);
}

static void move(struct input_sink *k, uint16_t x, uint16_t y)
{
	k->x = x;
	k->y = y;
	struct cap_input in = {.kind = CAP_INPUT_MOTION, .x = x, .y = y};
	inject(k, &in);
}

void input_mouse(struct input_sink *k, uint16_t flags, uint16_t x, uint16_t y)
{
	if (!interactive(k)) {
		return;
	}
	if (flags & (PTR_FLAGS_WHEEL | PTR_FLAGS_HWHEEL)) {
		/* rotation: 9-bit two's complement, positive = up / right */
		int r = flags & WheelRotationMask;
		if (flags & PTR_FLAGS_WHEEL_NEGATIVE) {
			r -= 0x200;
		}
		struct cap_input in = {.kind = CAP_INPUT_WHEEL,
		                       .code = (flags & PTR_FLAGS_HWHEEL) ? 1 : 0,
		                       .x = k->x,
		                       .y = k->y,
		                       .amount = r};
		inject(k, &in);
		return;
	}
	if (flags & PTR_FLAGS_MOVE || x != k->x || y != k->y) {
		move(k, x, y);
	}
	bool down = flags & PTR_FLAGS_DOWN;
	if (flags & PTR_FLAGS_BUTTON1) {
		button(k, 1, down);
	}
	if (flags & PTR_FLAGS_BUTTON3) {
		button(k, 2, down); /* RDP's BUTTON3 is the middle one */
	}
	if (flags & PTR_FLAGS_BUTTON2) {
		button(k, 3, down);
	}
}

void input_extended_mouse(struct input_sink *k, uint16_t flags, uint16_t x, uint16_t y)
{
	if (!interactive(k)) {
		return;
	}
	if (flags & PTR_FLAGS_MOVE || x != k->x || y != k->y) {
		move(k, x, y);
	}
	bool down = flags & PTR_XFLAGS_DOWN;
	if (flags & PTR_XFLAGS_BUTTON1) {
		button(k, 8, down);
	}
	if (flags & PTR_XFLAGS_BUTTON2) {
		button(k, 9, down);
	}
}

void input_release_all(struct input_sink *k)
{
	for (int sc = 0; sc < 512; sc++) {
		if (k->keys[sc / 64] & (1ull << (sc % 64))) {
			struct cap_input in = {.kind = CAP_INPUT_KEY_SCANCODE, .code = sc};
			inject(k, &in);
		}
	}
	memset(k->keys, 0, sizeof(k->keys));
	for (int b = 0; b < 32; b++) {
		if (k->buttons & (1u << b)) {
			struct cap_input in = {
			    .kind = CAP_INPUT_BUTTON, .code = b, .x = k->x, .y = k->y};
			inject(k, &in);
		}
	}
	k->buttons = 0;
}
