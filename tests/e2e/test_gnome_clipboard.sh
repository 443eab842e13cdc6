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
clipboard_rules gnome
log "ok"
