/* RDP scancodes and Unicode input as Linux key codes and keysyms. */
#include "capture/scancode.h"

#include <linux/input-event-codes.h>
#include <stddef.h>
#include <stdint.h>

#include <xkbcommon/xkbcommon.h>

/* Extended (0xE0-prefixed) set 1 scancodes and the odd ones above 0x58. */
static const struct {
	uint16_t scancode;
	uint16_t key;
} keys[] = {
    {0x59, KEY_KPEQUAL},
    {0x64, KEY_F13},
    {0x65, KEY_F14},
    {0x66, KEY_F15},
    {0x67, KEY_F16},
    {0x68, KEY_F17},
    {0x69, KEY_F18},
    {0x6a, KEY_F19},
    {0x6b, KEY_F20},
    {0x6c, KEY_F21},
    {0x6d, KEY_F22},
    {0x6e, KEY_F23},
    {0x70, KEY_KATAKANAHIRAGANA},
    {0x73, KEY_RO},
    {0x76, KEY_F24},
    {0x79, KEY_HENKAN},
    {0x7b, KEY_MUHENKAN},
    {0x7d, KEY_YEN},
    {0x7e, KEY_KPCOMMA},
    {0x110, KEY_PREVIOUSSONG},
    {0x119, KEY_NEXTSONG},
    {0x11c, KEY_KPENTER},
    {0x11d, KEY_RIGHTCTRL},
    {0x120, KEY_MUTE},
    {0x121, KEY_CALC},
    {0x122, KEY_PLAYPAUSE},
    {0x124, KEY_STOPCD},
    {0x12e, KEY_VOLUMEDOWN},
    {0x130, KEY_VOLUMEUP},
    {0x132, KEY_HOMEPAGE},
    {0x135, KEY_KPSLASH},
    {0x137, KEY_SYSRQ},
    {0x138, KEY_RIGHTALT},
    {0x146, KEY_PAUSE},
    {0x147, KEY_HOME},
    {0x148, KEY_UP},
    {0x149, KEY_PAGEUP},
    {0x14b, KEY_LEFT},
    {0x14d, KEY_RIGHT},
    {0x14f, KEY_END},
    {0x150, KEY_DOWN},
    {0x151, KEY_PAGEDOWN},
    {0x152, KEY_INSERT},
    {0x153, KEY_DELETE},
    {0x15b, KEY_LEFTMETA},
    {0x15c, KEY_RIGHTMETA},
    {0x15d, KEY_COMPOSE},
    {0x15e, KEY_POWER},
    {0x15f, KEY_SLEEP},
    {0x163, KEY_WAKEUP},
    {0x165, KEY_SEARCH},
    {0x166, KEY_BOOKMARKS},
    {0x167, KEY_REFRESH},
    {0x168, KEY_STOP},
    {0x169, KEY_FORWARD},
    {0x16a, KEY_BACK},
};

int scancode_to_evdev(int scancode)
{
	if (scancode >= 0x01 && scancode <= 0x58) {
		return scancode;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i].scancode == scancode) {
			return keys[i].key;
		}
	}
	return -1;
}

unsigned long scancode_keysym_for(int cp)
{
	switch (cp) {
	case 0x08:
		return 0xff08; /* BackSpace */
	case 0x09:
		return 0xff09; /* Tab */
	case 0x0a:
	case 0x0d:
		return 0xff0d; /* Return */
	case 0x1b:
		return 0xff1b; /* Escape */
	case 0x7f:
		return 0xffff; /* Delete */
	default:
		break;
	}
	if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff) {
		return 0;
	}
	if ((cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) {
		return 0; /* noncharacters: nothing to type */
	}
	return xkb_utf32_to_keysym((uint32_t)cp);
}

int scancode_utf16_join(int *pending, int unit)
{
	if (unit > 0xffff) {
		*pending = 0;
		return unit <= 0x10ffff ? unit : 0; /* joined already */
	}
	int u = unit & 0xffff;
	if (u >= 0xd800 && u <= 0xdbff) {
		*pending = u;
		return 0;
	}
	int cp = u;
	if (u >= 0xdc00 && u <= 0xdfff) {
		if (!*pending) {
			return 0;
		}
		cp = 0x10000 + ((*pending - 0xd800) << 10) + (u - 0xdc00);
	}
	*pending = 0;
	return cp;
}
