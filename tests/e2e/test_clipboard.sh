#!/bin/bash
# Clipboard with EnableClipboardRedirect on: text goes both ways between the
# sharer's X clipboard and the INTERACTIVE attendee (xfreerdp's clipboard),
# never to or from a view-only one; only the attendee that most recently
# became INTERACTIVE shares it; nothing at all with the property off.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_xvfb VIEW 800 600
start_sharer --display "$SHARED" --password pw </dev/null
xsel_set() { # DISPLAY TEXT: own the clipboard there (xclip keeps serving it)
	printf '%s' "$2" | DISPLAY=$1 xclip -selection clipboard -loops 0 -quiet >/dev/null 2>&1 &
	track $!
}
xsel_get() { DISPLAY=$1 timeout 5 xclip -selection clipboard -o 2>/dev/null; }
clip_is() { [ "$(xsel_get "$1")" = "$2" ]; }

ctl set EnableClipboardRedirect true | grep -q '"ok":true' || fail "cannot enable the clipboard"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:clara /p:pw +clipboard
sharer_has 'attendee-connected id=1 name=clara' || fail "viewer not admitted"
sleep 2

# view-only: nothing crosses either way
xsel_set "$SHARED" "from-sharer-1"
xsel_set "$VIEW" "from-viewer-1"
sleep 3
clip_is "$VIEW" "from-sharer-1" && fail "a view-only attendee got the sharer's clipboard"
clip_is "$SHARED" "from-viewer-1" && fail "a view-only attendee set the sharer's clipboard"

# interactive: both ways
ctl level 1 interactive >/dev/null || fail "ctl level"
sleep 1
xsel_set "$SHARED" "from-sharer-2 ✓"
wait_for 15 clip_is "$VIEW" "from-sharer-2 ✓" || fail "sharer's text did not reach the viewer (got '$(xsel_get "$VIEW")')"
xsel_set "$VIEW" "from-viewer-2 ünï"
wait_for 15 clip_is "$SHARED" "from-viewer-2 ünï" || fail "viewer's text did not reach the sharer (got '$(xsel_get "$SHARED")')"

# a second attendee becomes INTERACTIVE: the clipboard goes with it
start_xvfb VIEW2 800 600
viewer V2 "$VIEW2" /v:127.0.0.1:$PORT /u:otto /p:pw +clipboard
sharer_has 'attendee-connected id=2 name=otto' || fail "second viewer not admitted"
sleep 2
ctl level 2 interactive >/dev/null || fail "ctl level 2"
sleep 1
xsel_set "$SHARED" "for-the-latest"
wait_for 15 clip_is "$VIEW2" "for-the-latest" || fail "the latest interactive attendee did not get it"
sleep 1
clip_is "$VIEW" "for-the-latest" && fail "the earlier interactive attendee still shares the clipboard"

# the property off: nothing crosses, even for the interactive attendee
ctl set EnableClipboardRedirect false >/dev/null || fail "cannot disable the clipboard"
sleep 1
xsel_set "$SHARED" "from-sharer-3"
xsel_set "$VIEW" "from-viewer-3"
sleep 3
clip_is "$VIEW" "from-sharer-3" && fail "clipboard crossed with the property off"
clip_is "$SHARED" "from-viewer-3" && fail "clipboard crossed with the property off"
log "ok"
