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
start_xvfb VIEW 1024 768
wl_set() { printf '%s' "$1" | wl-copy; }
wl_get() { timeout 5 wl-paste --no-newline 2>/dev/null; }
clipboard_rules sway
log "ok"
