#include "rdp/input.h"

#include <freerdp/input.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/scancode.h"
#include "engine.h"
#include "rdp/host.h"
#include "rdp/peer_ctx.h"
#include "rdpshare.h"

static bool interactive(struct input_sink *k)
{
	struct member_info mi;
	k->host->ops->info(k->host->ctx, k->member, &mi);
	if (mi.level == RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return true;
	}
	/* Demoted between wake-ups: let go of what it held before dropping. */
	input_release_all(k);
	atomic_fetch_add(&k->stats->input_dropped, 1);
	return false;
}

static void inject(struct input_sink *k, const struct cap_input *in)
{
	if (engine_inject(k->engine, in) == 0) {
		atomic_fetch_add(&k->stats->input_injected, 1);
	} else {
		atomic_fetch_add(&k->stats->input_dropped, 1); /* the queue is full */
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
	/* Surrogate pairs are joined here, per viewer: halves of two viewers'
	 * pairs must never meet in the back-end. */
	bool down = !(flags & KBD_FLAGS_RELEASE);
	int cp = scancode_utf16_join(&k->high_surrogate[down ? 1 : 0], code);
	if (cp == 0) {
		return;
	}
	struct cap_input in = {.kind = CAP_INPUT_KEY_UNICODE, .code = cp, .down = down};
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

/* FreeRDP's input callbacks: to the connection's sink once it is admitted
 * (before that, nothing a viewer sends reaches the desktop). */
static struct input_sink *sink_of(rdpInput *input)
{
	return ((struct peer_ctx *)input->context)->input;
}

static BOOL on_sync(rdpInput *input, UINT32 flags)
{
	(void)input;
	(void)flags;
	return TRUE; /* lock-key state is not input anyone typed */
}

static BOOL on_key(rdpInput *input, UINT16 flags, UINT8 code)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_key(k, flags, code);
	}
	return TRUE;
}

static BOOL on_unicode(rdpInput *input, UINT16 flags, UINT16 code)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_unicode(k, flags, code);
	}
	return TRUE;
}

static BOOL on_mouse(rdpInput *input, UINT16 flags, UINT16 x, UINT16 y)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_mouse(k, flags, x, y);
	}
	return TRUE;
}

static BOOL on_extended_mouse(rdpInput *input, UINT16 flags, UINT16 x, UINT16 y)
{
	struct input_sink *k = sink_of(input);
	if (k) {
		input_extended_mouse(k, flags, x, y);
	}
	return TRUE;
}

void input_attach(rdpInput *input)
{
	input->SynchronizeEvent = on_sync;
	input->KeyboardEvent = on_key;
	input->UnicodeKeyboardEvent = on_unicode;
	input->MouseEvent = on_mouse;
	input->ExtendedMouseEvent = on_extended_mouse;
}
