#!/bin/bash
# Sharing GNOME: headless Mutter 43 on a private session bus with PipeWire,
# found by --backend auto from Mutter's RemoteDesktop on the bus. The viewer's
# picture equals the known pattern a Wayland client draws (bars, exact
# colours), and follows its change; a VIEW viewer's clicks and keys reach
# nobody; promoted to INTERACTIVE they arrive (the client's input log); --app
# is refused with the reason; killing Mutter ends the session with an error
# event and the viewers are told.
. "$(dirname "$0")/lib.sh"
unset DISPLAY
start_mutter 800 600
start_wlpattern
# the application filter cannot work here: said so, nothing shared
timeout 30 "$BIN/rdpshare" --listen 127.0.0.1:0 --ctl-socket "$WORK/ctl-app.sock" --app foo \
	>"$WORK/app.out" 2>"$WORK/app.err" </dev/null
rc=$?
[ "$rc" = 1 ] || fail "--app on GNOME: exit $rc, wanted 1"
grep -q "gnome-shell is not running, and Mutter alone tells no application where its windows are" "$WORK/app.err" ||
	fail "--app on GNOME not explained: $(cat "$WORK/app.err")"
start_sharer --password pw3 --level view --json </dev/null
grep -q '"event":"desktop","backend":"gnome"' "$WORK/sharer.out" ||
	fail "auto did not choose gnome: $(head -n 2 "$WORK/sharer.out") $(tail -n 5 "$WORK/sharer.err")"
pattern_png 800 600 "$WORK/p1.png"
pattern_png 800 600 "$WORK/p2.png" box

start_xvfb VD 1024 768
viewer V "$VD" /v:127.0.0.1:$PORT /u:gina /p:pw3 /size:800x600
sharer_has '"event":"attendee_connected"' || fail "viewer not admitted"
wait_for 20 sh -c "DISPLAY=$VD xdotool search --class xfreerdp | grep -q ." || fail "no viewer window"
W=$(DISPLAY=$VD xdotool search --class xfreerdp | head -n1)
vx() { DISPLAY=$VD xdotool "$@"; }
wait_same_picture "$VD" 800x600 "$WORK/p1.png" 0.004 20 || fail "viewer picture differs from the pattern"

# VIEW: nothing arrives
lines0=$(wc -l <"$WORK/wlpattern.log")
vx windowfocus --sync "$W"
vx mousemove --window "$W" 150 120 click 1
vx type --delay 60 no
sleep 1.5
tail -n +"$((lines0 + 1))" "$WORK/wlpattern.log" | grep -E '^(button|key) ' &&
	fail "view-only input reached the desktop"
dropped=$(ctl attendees | json_field input_dropped)
[ "${dropped:-0}" -gt 0 ] || fail "dropped input not counted"

# INTERACTIVE: clicks and keys arrive
ctl level 1 interactive | grep -q '"ok":true' || fail "ctl level interactive"
vx mousemove --window "$W" 150 120 click 1
vx type --delay 80 hi
wait_for 10 grep -q '^key .* 0 i$' "$WORK/wlpattern.log" ||
	fail "keys did not arrive: $(tail -n 15 "$WORK/wlpattern.log")"
grep -q '^button 272 1' "$WORK/wlpattern.log" || fail "the click did not arrive"
grep -q '^key .* 1 h$' "$WORK/wlpattern.log" || fail "h did not arrive"
grep -E '^motion 1[45][0-9] 1[12][0-9]$' "$WORK/wlpattern.log" | tail -n 1 | grep -q . ||
	fail "the pointer did not go to 150,120: $(grep '^motion' "$WORK/wlpattern.log" | tail -n 3)"
log "interactive input arrived"

# the picture follows the change
kill -USR1 "$WLPATTERN"
wait_for 10 grep -q '^drawn2' "$WORK/wlpattern.log" || fail "the second picture was not drawn"
wait_same_picture "$VD" 800x600 "$WORK/p2.png" 0.004 20 || fail "viewer did not follow the change"

# Mutter dies: error event, the viewers are told, exit 1
desktop_dies "$MUTTER_PID" pw3
log "ok"
