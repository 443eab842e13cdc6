#!/bin/bash
# The clipboard on sway (wlr-data-control), with the same rules as on X11:
# with EnableClipboardRedirect on, text goes both ways between the
# compositor's clipboard (wl-copy / wl-paste) and the INTERACTIVE attendee
# (xfreerdp's clipboard), never to or from a view-only one; nothing with the
# property off.
. "$(dirname "$0")/lib.sh"
start_sway 640 480
start_sharer --password pw </dev/null
grep -q '^desktop: wlroots$' "$WORK/sharer.out" || fail "not sharing wlroots"
start_xvfb VIEW 800 600
wl_set() { printf '%s' "$1" | wl-copy; }
wl_get() { timeout 5 wl-paste --no-newline 2>/dev/null; }
wl_is() { [ "$(wl_get)" = "$1" ]; }
xsel_set() { # TEXT: own the viewer's X clipboard (xclip keeps serving it)
	printf '%s' "$1" | DISPLAY=$VIEW xclip -selection clipboard -loops 0 -quiet >/dev/null 2>&1 &
	track $!
}
xsel_get() { DISPLAY=$VIEW timeout 5 xclip -selection clipboard -o 2>/dev/null; }
x_is() { [ "$(xsel_get)" = "$1" ]; }

ctl set EnableClipboardRedirect true | grep -q '"ok":true' || fail "cannot enable the clipboard"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:clara /p:pw +clipboard
sharer_has 'attendee-connected id=1 name=clara' || fail "viewer not admitted"
sleep 2

# view-only: nothing crosses either way
wl_set "from-sway-1"
xsel_set "from-viewer-1"
sleep 3
x_is "from-sway-1" && fail "a view-only attendee got the compositor's clipboard"
wl_is "from-viewer-1" && fail "a view-only attendee set the compositor's clipboard"

# interactive: both ways
ctl level 1 interactive >/dev/null || fail "ctl level"
sleep 1
wl_set "from-sway-2 ✓"
wait_for 15 x_is "from-sway-2 ✓" || fail "sway's text did not reach the viewer (got '$(xsel_get)')"
xsel_set "from-viewer-2 ünï"
wait_for 15 wl_is "from-viewer-2 ünï" || fail "viewer's text did not reach sway (got '$(wl_get)')"

# the property off: nothing crosses
ctl set EnableClipboardRedirect false >/dev/null || fail "cannot disable the clipboard"
sleep 1
wl_set "from-sway-3"
xsel_set "from-viewer-3"
sleep 3
x_is "from-sway-3" && fail "clipboard crossed with the property off"
wl_is "from-viewer-3" && fail "clipboard crossed with the property off"
log "ok"
