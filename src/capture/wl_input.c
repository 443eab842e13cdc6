/* Remote input on wlroots: a virtual pointer and a virtual keyboard (see
 * wl_input.h for the rules they follow). */
#include "capture/wl_input.h"

#include <errno.h>
#include <linux/input-event-codes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "capture/scancode.h"
#include "capture/wl_sync.h"
#include "util/clock.h"
#include "virtual-keyboard-unstable-v1-client.h"
#include "wlr-virtual-pointer-unstable-v1-client.h"

#define N_SPARE 8
#define MAX_EVDEV 256   /* key codes above cannot reach X clients through XWayland */
#define SYNC_MS 1000    /* a compositor slower than this to answer is stuck */
#define WHEEL_STEP 15.0 /* libinput's scroll distance of one wheel notch */
#define STUCK_MS 5000   /* no keymap uploads this long after one went unanswered */

struct wl_input {
	struct wl_display *d;
	struct zwlr_virtual_pointer_v1 *ptr;
	struct zwp_virtual_keyboard_v1 *kbd;
	/* keyboard */
	struct xkb_context *ctx;
	struct xkb_keymap *map; /* what the compositor has now */
	struct xkb_state *state;
	char *base; /* the keymap from the environment, as text */
	xkb_keycode_t spare[N_SPARE], dummy;
	xkb_keysym_t spare_sym[N_SPARE];
	int n_spare, next_spare;
	uint8_t held[MAX_EVDEV / 8];
	uint32_t mods[4];    /* as last sent: depressed, latched, locked, group */
	int high[2];         /* pending first half of a UTF-16 pair, up and down */
	int64_t stuck_until; /* clock ms: the last upload's round trip timed out */
	/* pointer */
	unsigned buttons; /* bit per entry of button_codes */
	int wheel[2];
	bool moved;
	int px, py;
};

static const uint32_t button_codes[] = {BTN_LEFT, BTN_MIDDLE, BTN_RIGHT, BTN_SIDE, BTN_EXTRA};

static uint32_t now_ms(void)
{
	return (uint32_t)util_clock_ms();
}

/* ---- keymap ---- */

static int upload(struct wl_input *in, const char *text)
{
	size_t size = strlen(text) + 1;
	int fd = memfd_create("rdpshare-keymap", MFD_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	ssize_t n = write(fd, text, size);
	if (n < 0 || (size_t)n != size) {
		close(fd);
		return -EIO;
	}
	zwp_virtual_keyboard_v1_keymap(in->kbd, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, fd,
	                               (uint32_t)size);
	close(fd);
	return 0;
}

static void send_mods(struct wl_input *in, bool force)
{
	uint32_t m[4] = {
	    xkb_state_serialize_mods(in->state, XKB_STATE_MODS_DEPRESSED),
	    xkb_state_serialize_mods(in->state, XKB_STATE_MODS_LATCHED),
	    xkb_state_serialize_mods(in->state, XKB_STATE_MODS_LOCKED),
	    xkb_state_serialize_layout(in->state, XKB_STATE_LAYOUT_EFFECTIVE),
	};
	if (force || memcmp(m, in->mods, sizeof(m)) != 0) {
		memcpy(in->mods, m, sizeof(m));
		zwp_virtual_keyboard_v1_modifiers(in->kbd, m[0], m[1], m[2], m[3]);
	}
}

static bool is_held(const struct wl_input *in, int key)
{
	return key >= 0 && key < MAX_EVDEV && (in->held[key / 8] & (1u << (key % 8)));
}

static void set_held(struct wl_input *in, int key, bool down)
{
	if (down) {
		in->held[key / 8] |= (uint8_t)(1u << (key % 8));
	} else {
		in->held[key / 8] &= (uint8_t) ~(1u << (key % 8));
	}
}

/* The base keymap with the spare keys bound as they are now. Ownership:
 * malloc'd. The text is xkbcommon's own serialisation, whose symbols section
 * opens with `xkb_symbols "NAME" {`: our keys go right after that brace. */
static char *keymap_text(struct wl_input *in)
{
	char *sym = strstr(in->base, "xkb_symbols");
	char *brace = sym ? strchr(sym, '{') : NULL;
	if (!brace) {
		return NULL;
	}
	size_t head = (size_t)(brace + 1 - in->base);
	char extra[N_SPARE * 96] = "";
	size_t used = 0;
	for (int i = 0; i < in->n_spare; i++) {
		char name[64];
		if (!in->spare_sym[i] ||
		    xkb_keysym_get_name(in->spare_sym[i], name, sizeof(name)) < 0) {
			continue;
		}
		const char *key = xkb_keymap_key_get_name(in->map, in->spare[i]);
		int n = snprintf(extra + used, sizeof(extra) - used, "\n\tkey <%s> { [ %s ] };",
		                 key ? key : "", name);
		if (n > 0 && (size_t)n < sizeof(extra) - used) {
			used += (size_t)n;
		}
	}
	size_t len = strlen(in->base);
	char *out = malloc(len + used + 1);
	if (!out) {
		return NULL;
	}
	memcpy(out, in->base, head);
	memcpy(out + head, extra, used);
	memcpy(out + head + used, in->base + head, len - head + 1);
	return out;
}

/* Compile text, make it the compositor's keymap and ours, keep held keys
 * held in the new state, and absorb sway 1.7's lost first key. Returns 1
 * (a round trip was made), or a negative errno. */
static int install(struct wl_input *in, const char *text)
{
	struct xkb_keymap *map =
	    xkb_keymap_new_from_string(in->ctx, text, XKB_KEYMAP_FORMAT_TEXT_V1, 0);
	struct xkb_state *st = map ? xkb_state_new(map) : NULL;
	if (!st) {
		xkb_keymap_unref(map);
		return -EINVAL;
	}
	int r = upload(in, text);
	if (r < 0) {
		xkb_state_unref(st);
		xkb_keymap_unref(map);
		return r;
	}
	xkb_state_unref(in->state);
	xkb_keymap_unref(in->map);
	in->map = map;
	in->state = st;
	for (int k = 0; k < MAX_EVDEV; k++) {
		if (is_held(in, k)) {
			xkb_state_update_key(st, (xkb_keycode_t)k + 8, XKB_KEY_DOWN);
		}
	}
	r = wl_sync_bounded(in->d, NULL, SYNC_MS);
	if (r < 0) {
		if (r == -ETIMEDOUT) {
			/* a stopped compositor: no more uploads (each would wait as
			 * long again) until it has had time to come back */
			in->stuck_until = util_clock_ms() + STUCK_MS;
		}
		return r;
	}
	if (in->dummy) {
		uint32_t t = now_ms();
		zwp_virtual_keyboard_v1_key(in->kbd, t, in->dummy - 8,
		                            WL_KEYBOARD_KEY_STATE_PRESSED);
		zwp_virtual_keyboard_v1_key(in->kbd, t, in->dummy - 8,
		                            WL_KEYBOARD_KEY_STATE_RELEASED);
	}
	send_mods(in, true);
	return 1;
}

/* Key codes bound to nothing, from the top of the X range where no layout
 * looks: N_SPARE for characters the layout lacks, one as the throw-away. */
static void find_spares(struct wl_input *in)
{
	xkb_keycode_t lo = xkb_keymap_min_keycode(in->map);
	for (xkb_keycode_t kc = MAX_EVDEV + 8 - 1; kc >= lo && kc > 8; kc--) {
		if (!xkb_keymap_key_get_name(in->map, kc) ||
		    xkb_keymap_num_layouts_for_key(in->map, kc) != 0) {
			continue;
		}
		if (!in->dummy) {
			in->dummy = kc;
		} else if (in->n_spare < N_SPARE) {
			in->spare[in->n_spare++] = kc;
		} else {
			break;
		}
	}
}

static int keyboard_init(struct wl_input *in)
{
	in->ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!in->ctx) {
		return -ENOMEM;
	}
	/* NULL names: XKB_DEFAULT_RULES/MODEL/LAYOUT/VARIANT/OPTIONS, else us */
	in->map = xkb_keymap_new_from_names(in->ctx, NULL, XKB_KEYMAP_COMPILE_NO_FLAGS);
	if (!in->map) {
		return -EINVAL;
	}
	in->base = xkb_keymap_get_as_string(in->map, XKB_KEYMAP_FORMAT_TEXT_V1);
	if (!in->base) {
		return -ENOMEM;
	}
	find_spares(in);
	int r = install(in, in->base);
	return r < 0 ? r : 0;
}

/* ---- keys ---- */

static void key(struct wl_input *in, int evdev, bool down)
{
	if (evdev < 0 || evdev >= MAX_EVDEV || is_held(in, evdev) == down) {
		/* a viewer's auto-repeat: Wayland clients repeat on their own */
		return;
	}
	set_held(in, evdev, down);
	zwp_virtual_keyboard_v1_key(in->kbd, now_ms(), (uint32_t)evdev,
	                            down ? WL_KEYBOARD_KEY_STATE_PRESSED
	                                 : WL_KEYBOARD_KEY_STATE_RELEASED);
	xkb_state_update_key(in->state, (xkb_keycode_t)evdev + 8, down ? XKB_KEY_DOWN : XKB_KEY_UP);
	send_mods(in, false);
}

/* A key of the current keymap typing ks in the active layout, and the
 * modifiers its level needs. */
static bool find_sym(struct wl_input *in, xkb_keysym_t ks, xkb_keycode_t *kc, xkb_mod_mask_t *mods)
{
	xkb_layout_index_t layout =
	    xkb_state_serialize_layout(in->state, XKB_STATE_LAYOUT_EFFECTIVE);
	xkb_keycode_t hi = xkb_keymap_max_keycode(in->map);
	for (xkb_keycode_t k = xkb_keymap_min_keycode(in->map); k <= hi && k < MAX_EVDEV + 8; k++) {
		if (xkb_keymap_num_layouts_for_key(in->map, k) <= layout) {
			continue;
		}
		xkb_level_index_t levels = xkb_keymap_num_levels_for_key(in->map, k, layout);
		for (xkb_level_index_t l = 0; l < levels; l++) {
			const xkb_keysym_t *syms;
			if (xkb_keymap_key_get_syms_by_level(in->map, k, layout, l, &syms) != 1 ||
			    syms[0] != ks) {
				continue;
			}
			xkb_mod_mask_t masks[4];
			size_t n =
			    xkb_keymap_key_get_mods_for_level(in->map, k, layout, l, masks, 4);
			if (n > 0 || l == 0) {
				*kc = k;
				*mods = n > 0 ? masks[0] : 0;
				return true;
			}
		}
	}
	return false;
}

/* Types the character at once on "down" (press and release with exactly the
 * modifiers its level needs, then the real ones again); "up" is ignored,
 * since the key that produced it may since have been rebound. */
static int unicode(struct wl_input *in, const struct cap_input *ev, int *synced)
{
	int cp = scancode_utf16_join(&in->high[ev->down ? 1 : 0], ev->code);
	xkb_keysym_t ks = cp && ev->down ? (xkb_keysym_t)scancode_keysym_for(cp) : 0;
	if (!ks) {
		return 0;
	}
	xkb_keycode_t kc;
	xkb_mod_mask_t mods;
	if (!find_sym(in, ks, &kc, &mods)) {
		if (in->n_spare == 0) {
			return -ENOTSUP;
		}
		if (util_clock_ms() < in->stuck_until) {
			return -ETIMEDOUT; /* dropped: the compositor did not answer lately */
		}
		int i = in->next_spare;
		in->next_spare = (in->next_spare + 1) % in->n_spare;
		in->spare_sym[i] = ks;
		char *text = keymap_text(in);
		int r = text ? install(in, text) : -ENOMEM;
		free(text);
		if (r < 0) {
			return r;
		}
		*synced = 1;
		kc = in->spare[i];
		mods = 0;
	}
	uint32_t t = now_ms();
	zwp_virtual_keyboard_v1_modifiers(in->kbd, mods, 0, 0, in->mods[3]);
	zwp_virtual_keyboard_v1_key(in->kbd, t, kc - 8, WL_KEYBOARD_KEY_STATE_PRESSED);
	zwp_virtual_keyboard_v1_key(in->kbd, t, kc - 8, WL_KEYBOARD_KEY_STATE_RELEASED);
	send_mods(in, true);
	return 0;
}

/* ---- pointer ---- */

static void move_to(struct wl_input *in, int x, int y, int w, int h)
{
	in->px = x < 0 ? 0 : (x >= w ? w - 1 : x);
	in->py = y < 0 ? 0 : (y >= h ? h - 1 : y);
	in->moved = true;
	zwlr_virtual_pointer_v1_motion_absolute(in->ptr, now_ms(), (uint32_t)in->px,
	                                        (uint32_t)in->py, (uint32_t)w, (uint32_t)h);
	zwlr_virtual_pointer_v1_frame(in->ptr);
}

static int button(struct wl_input *in, const struct cap_input *ev, int w, int h)
{
	int i;
	switch (ev->code) {
	case 1:
		i = 0;
		break;
	case 2:
		i = 1;
		break;
	case 3:
		i = 2;
		break;
	case 8:
		i = 3;
		break;
	case 9:
		i = 4;
		break;
	default:
		return -EINVAL;
	}
	move_to(in, ev->x, ev->y, w, h);
	if (((in->buttons >> i) & 1u) == (ev->down ? 1u : 0u)) {
		return 0;
	}
	in->buttons ^= 1u << i;
	zwlr_virtual_pointer_v1_button(in->ptr, now_ms(), button_codes[i],
	                               ev->down ? WL_POINTER_BUTTON_STATE_PRESSED
	                                        : WL_POINTER_BUTTON_STATE_RELEASED);
	zwlr_virtual_pointer_v1_frame(in->ptr);
	return 0;
}

static void wheel(struct wl_input *in, const struct cap_input *ev)
{
	int axis = ev->code ? 1 : 0;
	long acc = (long)in->wheel[axis] + ev->amount;
	if (acc > 120 * 20) {
		acc = 120 * 20;
	} else if (acc < -120 * 20) {
		acc = -120 * 20;
	}
	/* RDP: + is up or right; Wayland: + is down or right */
	int notches = (int)(acc / 120);
	in->wheel[axis] = (int)(acc % 120);
	if (notches == 0) {
		return;
	}
	int steps = axis == 0 ? -notches : notches;
	uint32_t wl_axis =
	    axis == 0 ? WL_POINTER_AXIS_VERTICAL_SCROLL : WL_POINTER_AXIS_HORIZONTAL_SCROLL;
	zwlr_virtual_pointer_v1_axis_source(in->ptr, WL_POINTER_AXIS_SOURCE_WHEEL);
	zwlr_virtual_pointer_v1_axis_discrete(in->ptr, now_ms(), wl_axis,
	                                      wl_fixed_from_double(WHEEL_STEP * steps), steps);
	zwlr_virtual_pointer_v1_frame(in->ptr);
}

/* ---- the interface ---- */

int wl_input_inject(struct wl_input *in, const struct cap_input *ev, int w, int h)
{
	int synced = 0, r = 0;
	bool keyboard = ev->kind == CAP_INPUT_KEY_SCANCODE || ev->kind == CAP_INPUT_KEY_UNICODE;
	if ((keyboard && !in->kbd) || (!keyboard && !in->ptr)) {
		return -ENOTSUP;
	}
	if (w <= 0 || h <= 0) {
		return -EAGAIN;
	}
	switch (ev->kind) {
	case CAP_INPUT_KEY_SCANCODE: {
		int k = scancode_to_evdev(ev->code);
		if (k < 0) {
			return -EINVAL;
		}
		key(in, k, ev->down);
		break;
	}
	case CAP_INPUT_KEY_UNICODE:
		r = unicode(in, ev, &synced);
		break;
	case CAP_INPUT_MOTION:
		move_to(in, ev->x, ev->y, w, h);
		break;
	case CAP_INPUT_BUTTON:
		r = button(in, ev, w, h);
		break;
	case CAP_INPUT_WHEEL:
		wheel(in, ev);
		break;
	default:
		return -EINVAL;
	}
	return r < 0 ? r : synced;
}

bool wl_input_pointer(const struct wl_input *in, int *x, int *y)
{
	*x = in->px;
	*y = in->py;
	return in->moved;
}

struct wl_input *wl_input_create(struct wl_display *d, struct wl_seat *seat,
                                 struct wl_output *output,
                                 struct zwlr_virtual_pointer_manager_v1 *pointers,
                                 struct zwp_virtual_keyboard_manager_v1 *keyboards, int *err)
{
	struct wl_input *in = calloc(1, sizeof(*in));
	if (!in) {
		*err = -ENOMEM;
		return NULL;
	}
	in->d = d;
	int r = 0;
	if (pointers && seat) {
		/* v2 ties absolute motion to the output we capture */
		in->ptr =
		    zwlr_virtual_pointer_manager_v1_get_version(pointers) >= 2 && output
		        ? zwlr_virtual_pointer_manager_v1_create_virtual_pointer_with_output(
		              pointers, seat, output)
		        : zwlr_virtual_pointer_manager_v1_create_virtual_pointer(pointers, seat);
		r = in->ptr ? 0 : -ENOMEM;
	}
	if (r == 0 && keyboards && seat) {
		in->kbd = zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(keyboards, seat);
		r = in->kbd ? keyboard_init(in) : -ENOMEM;
	}
	if (r < 0) {
		wl_input_destroy(in);
		*err = r;
		return NULL;
	}
	return in;
}

void wl_input_destroy(struct wl_input *in)
{
	if (!in) {
		return;
	}
	if (in->kbd) {
		if (in->state) {
			for (int k = 0; k < MAX_EVDEV; k++) {
				if (is_held(in, k)) {
					key(in, k, false);
				}
			}
		}
		zwp_virtual_keyboard_v1_destroy(in->kbd);
	}
	if (in->ptr) {
		for (int i = 0; i < 5; i++) {
			if ((in->buttons >> i) & 1u) {
				zwlr_virtual_pointer_v1_button(in->ptr, now_ms(), button_codes[i],
				                               WL_POINTER_BUTTON_STATE_RELEASED);
				zwlr_virtual_pointer_v1_frame(in->ptr);
			}
		}
		zwlr_virtual_pointer_v1_destroy(in->ptr);
	}
	wl_display_flush(in->d);
	xkb_state_unref(in->state);
	xkb_keymap_unref(in->map);
	xkb_context_unref(in->ctx);
	free(in->base);
	free(in);
}
