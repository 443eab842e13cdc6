/* Remote input on a wlroots compositor: one virtual pointer
 * (zwlr_virtual_pointer_v1, absolute motion on the captured output, buttons,
 * wheel) and one virtual keyboard (zwp_virtual_keyboard_v1) with an XKB
 * keymap from the environment's XKB_DEFAULT_* (else us), for the life of the
 * back-end.
 *
 * wlroots does not track a virtual keyboard's modifiers (it passes
 * update_state = false), so we keep the xkb state and send the modifiers
 * ourselves. Unicode input types a key of the keymap that has the
 * character (with Shift or AltGr as needed); a character the keymap lacks is
 * bound to a spare key code and the keymap uploaded again. sway 1.7 drops
 * the first key after a keymap upload, so every upload is followed by a
 * round trip and a throw-away press of a key without symbols. */
#ifndef RDPSHARE_WL_INPUT_H
#define RDPSHARE_WL_INPUT_H

#include <stdbool.h>

#include "capture/capture.h"

struct wl_display;
struct wl_seat;
struct wl_output;
struct zwlr_virtual_pointer_manager_v1;
struct zwp_virtual_keyboard_manager_v1;

struct wl_input;

/* Either manager may be NULL (that half of input then returns -ENOTSUP).
 * Makes one round trip (the keymap). NULL and *err on failure. */
struct wl_input *wl_input_create(struct wl_display *d, struct wl_seat *seat,
                                 struct wl_output *output,
                                 struct zwlr_virtual_pointer_manager_v1 *pointers,
                                 struct zwp_virtual_keyboard_manager_v1 *keyboards, int *err);

/* Send one event; coordinates are output pixels of a w x h desktop. The
 * requests are queued on the display: the caller flushes. */
int wl_input_inject(struct wl_input *in, const struct cap_input *ev, int w, int h);

/* Where the pointer was last put (the compositor tells a client no cursor
 * position); false before the first motion. */
bool wl_input_pointer(const struct wl_input *in, int *x, int *y);

/* Releases held keys and buttons first, so nothing stays pressed. NULL ok. */
void wl_input_destroy(struct wl_input *in);

#endif
