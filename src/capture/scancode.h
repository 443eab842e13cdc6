/* RDP keyboard input as Linux key codes. RDP sends PC/AT set 1 scancodes
 * (0x100 set for the 0xE0-prefixed ones); Linux (evdev) key codes equal them
 * up to 0x58 and follow a table above. Every back-end injects evdev codes in
 * the end (X servers add 8, Wayland compositors take them as they are), so
 * the table lives once, here. Pure. */
#ifndef RDPSHARE_SCANCODE_H
#define RDPSHARE_SCANCODE_H

/* The Linux key code of an RDP scancode, or -1 for one no key has. */
int scancode_to_evdev(int scancode);

/* The keysym a UTF-32 code point types, or 0 where typing makes no sense
 * (controls other than backspace, tab, return and escape, surrogates,
 * noncharacters such as U+FFFF, beyond
 * U+10FFFF): xkbcommon's keysym for it (Latin-1 keysyms are the code
 * points, others keep their legacy names like EuroSign, which layouts use,
 * the rest are 0x01000000 + U), the same numbers in X11. */
unsigned long scancode_keysym_for(int codepoint);

/* Joins UTF-16 code units into code points: a high surrogate is kept in
 * *pending and 0 returned; a low one completes it; a lone low one is
 * dropped (0). A value above 0xFFFF is a code point already (the RDP layer
 * joins each viewer's pairs itself) and passes through (0 past U+10FFFF).
 * Returns the code point or 0. */
int scancode_utf16_join(int *pending, int unit);

#endif
