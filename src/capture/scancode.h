/* Keyboard input as RDP sends it, made ready for a desktop: PC/AT set 1
 * scancodes to Linux input key codes, UTF-16 code units to code points.
 * Pure: no display, no state beyond what the caller keeps. */
#ifndef RDPSHARE_CAPTURE_SCANCODE_H
#define RDPSHARE_CAPTURE_SCANCODE_H

/* The Linux key code (linux/input-event-codes.h, the evdev code Wayland
 * compositors take) of set 1 scancode code, 0x100 set for an E0-prefixed
 * one; -1 when it has none. An X server's key code is this plus 8. */
int scancode_to_evdev(int code);

/* Join UTF-16 code units into code points. *high keeps the first half of a
 * surrogate pair between calls (start at 0). Returns the code point unit
 * completes, or 0 when it completes none: a first half (kept) or a second
 * half without its first (dropped). */
int scancode_utf16_join(int *high, int unit);

#endif
