#!/bin/bash
# Control levels decide whose input reaches the sharer's desktop: a VIEW
# attendee's mouse and keys are dropped and counted (the sharer's pointer
# and a focused window see nothing); promoted to INTERACTIVE the same input
# arrives (keys by scancode through the X keymap, buttons, wheel, pointer
# inside the shared rect); a demotion while a key is held releases it.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
DISPLAY=$SHARED "$BIN/tests/xinputlog" >"$WORK/input.log" 2>&1 &
track $!
wait_for 10 grep -q ready "$WORK/input.log" || fail "input logger did not start"
start_sharer --display "$SHARED"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:ivy /p:"$PASSWORD"
sharer_has 'attendee-connected id=1 name=ivy' || fail "viewer not admitted"
wait_for 20 sh -c "DISPLAY=$VIEW xdotool search --class xfreerdp | grep -q ." || fail "no viewer window"
W=$(DISPLAY=$VIEW xdotool search --class xfreerdp | head -n1)
sleep 2
vx() { DISPLAY=$VIEW xdotool "$@"; }
pointer() { DISPLAY=$SHARED xdotool getmouselocation | sed 's/^x:\([0-9]*\) y:\([0-9]*\).*/\1,\2/'; }
events() { grep -c -E '^(key|button)-' "$WORK/input.log"; }
stat() { ctl attendees | json_field "$1"; }

# VIEW: nothing arrives
p0=$(pointer)
vx windowfocus --sync "$W"
vx mousemove --window "$W" 100 120 click 1
vx type --delay 50 ab
sleep 1.5
[ "$(events)" = 0 ] || fail "view-only input reached the desktop: $(cat "$WORK/input.log")"
[ "$(pointer)" = "$p0" ] || fail "view-only mouse moved the sharer's pointer to $(pointer)"
dropped=$(stat input_dropped)
log "view only: dropped $dropped, injected $(stat input_injected), pointer $(pointer)"
[ "$dropped" -gt 0 ] || fail "dropped input not counted"
[ "$(stat input_injected)" = 0 ] || fail "view-only input counted as injected"

# INTERACTIVE: the same input arrives
ctl level 1 interactive | grep -q '"ok":true' || fail "ctl level interactive"
vx mousemove --window "$W" 150 160 click 1
vx click 4
vx type --delay 50 hi
wait_for 10 grep -q '^key-release i' "$WORK/input.log" || fail "typed keys did not arrive: $(cat "$WORK/input.log")"
grep -q '^button-press 1 150 160$' "$WORK/input.log" || fail "click not at 150,160: $(cat "$WORK/input.log")"
grep -q '^button-press 4 ' "$WORK/input.log" || fail "wheel did not arrive"
grep -q '^key-press h$' "$WORK/input.log" || fail "key h did not arrive"
[ "$(pointer)" = 150,160 ] || fail "pointer at $(pointer), not 150,160"
log "interactive: $(events) events arrived, injected $(stat input_injected)"

# demotion while a key is held releases it, once
vx keydown x
wait_for 10 grep -q '^key-press x$' "$WORK/input.log" || fail "held key did not arrive"
ctl level 1 view | grep -q '"ok":true' || fail "ctl level view"
wait_for 10 grep -q '^key-release x$' "$WORK/input.log" || fail "demotion did not release the held key"
vx keyup x
sleep 1
[ "$(grep -c '^key-release x$' "$WORK/input.log")" = 1 ] || fail "key x released twice"

# shared rect: viewer coordinates map into the rect
ctl rect 100,50,320,240 >/dev/null || fail "ctl rect"
ctl level 1 interactive >/dev/null || fail "ctl level interactive again"
wait_for 20 sh -c "DISPLAY=$VIEW xdotool getwindowgeometry $W | grep -q 'Geometry: 320x240'" ||
	fail "viewer did not resize to the rect"
sleep 1
vx mousemove --window "$W" 10 20 click 3
wait_for 10 grep -q '^button-press 3 110 70$' "$WORK/input.log" ||
	fail "rect click not mapped to 110,70: $(tail -n 3 "$WORK/input.log")"
log "ok"
