#!/bin/bash
# The viewer API from a program of its users: examples/view_window (public
# API and Xlib only) joins an X11 sharer with the invitation file and shows
# exactly the shared desktop (lossless bitmaps: no RemoteFX asked). Its keys
# are refused by the library while it is only VIEW (the sharer sees no input
# at all); F8 asks for control, `ctl grant` answers, the title says
# interactive and its keys and clicks reach the shared desktop. A window of
# the sharer's list is brought to the front only by an INTERACTIVE viewer
# (rdpview's "show" step; refused by the library at VIEW). Then rdpview
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

# Show (a window of the sharer's list to the front): refused by the library
# at VIEW, honoured at INTERACTIVE. blue overlaps red and is on top.
DISPLAY=$SHARED "$BIN/tests/xapp" red ff0000 20,20,200,150 >"$WORK/red.log" 2>&1 &
track $!
wait_for 10 grep -q '^window 0x' "$WORK/red.log" || fail "red did not map"
DISPLAY=$SHARED "$BIN/tests/xapp" blue 0000ff 120,100,200,150 >"$WORK/blue.log" 2>&1 &
track $!
wait_for 10 grep -q '^window 0x' "$WORK/blue.log" || fail "blue did not map"
RED_WIN=$(sed -n 's/^window //p' "$WORK/red.log" | head -n1)
overlap() { screenshot "$SHARED" "$WORK/ov.png" && convert "$WORK/ov.png" -crop 1x1+170+140 -format '%[hex:p{0,0}]' info:; }
[ "$(overlap)" = 0000FF ] || fail "blue is not on top to begin with: $(overlap)"
start_sharer --display "$SHARED" --on-request grant </dev/null
printf '%s\n' "3000 show $((RED_WIN))" "5000 quit" >"$WORK/show.script"
"$BIN/rdpview" --headless --events --seconds 20 --name looker --password "$PASSWORD" \
	--input-script "$WORK/show.script" "$CONNSTR" >"$WORK/looker.out" 2>"$WORK/looker.err"
grep -q "\"event\":\"window\",\"id\":$((RED_WIN))," "$WORK/looker.out" ||
	fail "the viewer was not told of red's window: $(cat "$WORK/looker.out")"
grep -q "show $((RED_WIN)): not allowed at this control level" "$WORK/looker.err" ||
	fail "show at VIEW was not refused: $(cat "$WORK/looker.err")"
[ "$(overlap)" = 0000FF ] || fail "a VIEW viewer raised a window"
"$BIN/rdpview" --headless --seconds 20 --name shower --password "$PASSWORD" \
	--request-control interactive --input-script "$WORK/show.script" "$CONNSTR" \
	>/dev/null 2>"$WORK/shower.err" || fail "the interactive viewer failed: $(cat "$WORK/shower.err")"
grep -q 'show' "$WORK/shower.err" && fail "show at INTERACTIVE was refused: $(cat "$WORK/shower.err")"
for _ in $(seq 20); do [ "$(overlap)" = FF0000 ] && break; sleep 0.5; done
[ "$(overlap)" = FF0000 ] || fail "show did not bring red to the front: $(overlap)"
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
