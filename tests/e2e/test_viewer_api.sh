#!/bin/bash
# The viewer API from a program of its users: examples/view_window (public
# API and Xlib only) joins an X11 sharer with the invitation file and shows
# exactly the shared desktop (lossless bitmaps: no RemoteFX asked). Its keys
# are refused by the library while it is only VIEW (the sharer sees no input
# at all); F8 asks for control, `ctl grant` answers, the title says
# interactive and its keys and clicks reach the shared desktop. Then rdpview
# (built on the same API) against FreeRDP's own sharer, freerdp-shadow-cli3:
# a plain logon to HOST:PORT, its key recorded on first use, and the picture.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_xvfb VIEW 800 600
start_pattern "$SHARED"
DISPLAY=$SHARED "$BIN/tests/xinputlog" >"$WORK/input.log" 2>&1 &
track $!
wait_for 10 grep -q ready "$WORK/input.log" || fail "input logger did not start"
start_sharer --display "$SHARED" --invitation-file "$WORK/inv.msrcIncident" </dev/null
screenshot "$SHARED" "$WORK/shared.png"

DISPLAY=$VIEW "$BIN/examples/view_window" "$PASSWORD" "$WORK/inv.msrcIncident" \
	>"$WORK/vw.out" 2>&1 &
VW=$!
track $VW
sharer_has 'attendee-connected id=1 name=' || fail "view_window not admitted"
# exact: the frame buffer is the sharer's picture, pixel for pixel
wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" 0.0000001 20 ||
	fail "view_window's picture is not exactly the shared desktop"
W=$(DISPLAY=$VIEW xdotool search --name view_window | head -n1)
[ -n "$W" ] || fail "no view_window window"
DISPLAY=$VIEW xdotool getwindowname "$W" | grep -q '^view_window: view ' ||
	fail "title: $(DISPLAY=$VIEW xdotool getwindowname "$W")"

# VIEW: typed keys are refused before they leave the viewer
before=$(wc -l <"$WORK/input.log")
DISPLAY=$VIEW xdotool windowfocus --sync "$W" type --delay 50 no
sleep 1.5
[ "$(wc -l <"$WORK/input.log")" = "$before" ] || fail "a VIEW viewer's keys arrived"
[ "$(ctl attendees | json_field input_dropped)" = 0 ] ||
	fail "the library sent input below INTERACTIVE: $(ctl attendees)"

# F8 asks; granted, keys and a click arrive
DISPLAY=$VIEW xdotool windowfocus --sync "$W" key F8
sharer_has 'control-request id=1 .*level=interactive' || fail "F8 did not ask for control"
req=$(sed -n 's/^control-request id=1 .*request=\([0-9]*\).*/\1/p' "$WORK/sharer.out" | head -n1)
ctl grant "${req:-1}" | grep -q '"ok":true' || fail "ctl grant"
wait_for 10 sh -c "DISPLAY=$VIEW xdotool getwindowname $W | grep -q '^view_window: interactive '" ||
	fail "the title does not show the granted level"
DISPLAY=$VIEW xdotool windowfocus --sync "$W" type --delay 50 ok
wait_for 10 grep -q '^key-press k$' "$WORK/input.log" || fail "the granted viewer's keys did not arrive"
DISPLAY=$VIEW xdotool mousemove --window "$W" 100 50 click 1
wait_for 10 grep -q '^button-press 1 ' "$WORK/input.log" ||
	fail "the click did not arrive: $(tail -n 3 "$WORK/input.log")"
kill "$VW"
stop_sharer || fail "sharer did not stop"

# rdpview against freerdp-shadow-cli3 (plain logon, no invitation)
p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DISPLAY=$SHARED freerdp-shadow-cli3 /port:"$p" -auth /sec:tls >"$WORK/shadow.log" 2>&1 &
track $!
wait_for 20 sh -c "ss -ltn | grep -q ':$p '" || fail "shadow did not listen"
"$BIN/rdpview" --headless --name plain --password any --seconds 3 --stats \
	--screenshot "$WORK/shadow.png" 127.0.0.1:"$p" >"$WORK/shadow.json" 2>"$WORK/shadow.err" ||
	fail "rdpview against freerdp-shadow-cli3 failed: $(cat "$WORK/shadow.err")"
grep -q 'first use: recorded' "$WORK/shadow.err" || fail "shadow's key was not recorded"
grep -q '"width":640,"height":480' "$WORK/shadow.json" || fail "size: $(cat "$WORK/shadow.json")"
screenshot "$SHARED" "$WORK/shared2.png"
same_picture "$WORK/shadow.png" "$WORK/shared2.png" 0.02 || fail "the picture from shadow differs"
log "ok"
