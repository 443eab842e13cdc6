#!/bin/bash
# The clipboard on GNOME (headless Mutter 43, through the remote desktop
# session's selection calls), with the same rules as on X11 and sway: with
# EnableClipboardRedirect on, text goes both ways between Mutter's clipboard
# (wl-copy / wl-paste, Wayland clients of Mutter) and the INTERACTIVE
# attendee (xfreerdp's clipboard), never to or from a view-only one; nothing
# with the property off.
. "$(dirname "$0")/lib.sh"
unset DISPLAY
start_mutter 800 600
start_sharer --password pw </dev/null
grep -q '^desktop: gnome$' "$WORK/sharer.out" || fail "not sharing gnome"
start_xvfb VIEW 1024 768
# wl-copy serves its copy in the foreground until another client copies;
# the one before is stopped by its pid (Mutter keeps the text it served)
COPIER=""
wl_set() {
	[ -n "$COPIER" ] && kill "$COPIER" 2>/dev/null
	printf '%s' "$1" | WAYLAND_DISPLAY=$MUTTER_WAYLAND wl-copy --foreground >/dev/null 2>&1 &
	COPIER=$!
	track $COPIER
}
wl_get() { WAYLAND_DISPLAY=$MUTTER_WAYLAND timeout 5 wl-paste --no-newline 2>/dev/null; }
wl_is() { [ "$(wl_get)" = "$1" ]; }
xsel_set() { # TEXT: own the viewer's X clipboard (xclip keeps serving it)
	printf '%s' "$1" | DISPLAY=$VIEW xclip -selection clipboard -loops 0 -quiet >/dev/null 2>&1 &
	track $!
}
xsel_get() { DISPLAY=$VIEW timeout 5 xclip -selection clipboard -o 2>/dev/null; }
x_is() { [ "$(xsel_get)" = "$1" ]; }

ctl set EnableClipboardRedirect true | grep -q '"ok":true' || fail "cannot enable the clipboard"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:clara /p:pw /size:800x600 +clipboard
sharer_has 'attendee-connected id=1 name=clara' || fail "viewer not admitted"
sleep 2

# view-only: nothing crosses either way
wl_set "from-gnome-1"
xsel_set "from-viewer-1"
sleep 3
x_is "from-gnome-1" && fail "a view-only attendee got Mutter's clipboard"
wl_is "from-viewer-1" && fail "a view-only attendee set Mutter's clipboard"

# interactive: both ways
ctl level 1 interactive >/dev/null || fail "ctl level"
sleep 1
wl_set "from-gnome-2 ✓"
wait_for 15 x_is "from-gnome-2 ✓" || fail "Mutter's text did not reach the viewer (got '$(xsel_get)')"
xsel_set "from-viewer-2 ünï"
wait_for 15 wl_is "from-viewer-2 ünï" || fail "viewer's text did not reach Mutter (got '$(wl_get)')"

# the property off: nothing crosses
ctl set EnableClipboardRedirect false >/dev/null || fail "cannot disable the clipboard"
sleep 1
wl_set "from-gnome-3"
xsel_set "from-viewer-3"
sleep 3
x_is "from-gnome-3" && fail "clipboard crossed with the property off"
wl_is "from-viewer-3" && fail "clipboard crossed with the property off"
log "ok"
