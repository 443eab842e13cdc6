#!/bin/bash
# Sharing a wlroots desktop: headless sway (pixman) as an unprivileged user,
# found by --backend auto from WAYLAND_DISPLAY. The viewer's picture equals
# the compositor's own screenshot (grim), before and after a change; a VIEW
# viewer's keys and clicks reach nobody; promoted to INTERACTIVE, a click
# moves the keyboard focus to the window clicked (swaymsg get_tree) and
# typed keys, the very first one included, reach it (a client writes its
# line to a file); wev logs buttons, the wheel and a character the keymap
# lacks; a still screen costs (almost) nothing; killing the compositor ends
# the session with an error event and the viewer is told.
. "$(dirname "$0")/lib.sh"

start_sway 1024 768
# two windows side by side, each writing the line typed into it
sway_client foot -a left -e sh -c "printf '\\033[41m  red  \\033[42m  green  \\033[44m  blue  \\033[0m left\\n'; read l; echo \"\$l\" > $WORK/left.txt; sleep 600" >/dev/null
wait_for 10 sh -c "swaymsg -t get_tree | grep -q '\"app_id\": \"left\"'" || fail "left window did not map"
sway_client foot -a right -e sh -c "echo right; read l; echo \"\$l\" > $WORK/right.txt; sleep 600" >/dev/null
wait_for 10 sh -c "swaymsg -t get_tree | grep -q '\"app_id\": \"right\"'" || fail "right window did not map"
sleep 1

# focused app_id from sway's tree
focused() {
	swaymsg -t get_tree | python3 -c '
import json, sys
def walk(n):
    if n.get("focused") and n.get("app_id"):
        print(n["app_id"])
    for c in n.get("nodes", []) + n.get("floating_nodes", []):
        walk(c)
walk(json.load(sys.stdin))'
}
[ "$(focused)" = right ] || fail "the newest window should have the focus, not $(focused)"

start_sharer --password pw1 --level view --json </dev/null
grep -q '"event":"desktop","backend":"wlroots"' "$WORK/sharer.out" ||
	fail "auto did not choose wlroots: $(head -n 2 "$WORK/sharer.out")"

start_xvfb VD 1024 768
viewer V "$VD" /v:127.0.0.1:$PORT /u:wendy /p:pw1 /size:1024x768
sharer_has '"event":"attendee_connected"' || fail "viewer not admitted"
wait_for 20 sh -c "DISPLAY=$VD xdotool search --class xfreerdp | grep -q ." || fail "no viewer window"
W=$(DISPLAY=$VD xdotool search --class xfreerdp | head -n1)
vx() { DISPLAY=$VD xdotool "$@"; }

# the same picture as the compositor's own screenshot (the composited
# cursor is the only difference grim leaves out)
grim "$WORK/grim1.png"
wait_same_picture "$VD" 1024x768 "$WORK/grim1.png" 0.004 20 || fail "viewer picture differs from grim"

# VIEW: nothing arrives
vx windowfocus --sync "$W"
vx mousemove --window "$W" 200 300 click 1
vx type --delay 60 nope
vx key Return
sleep 1.5
[ "$(focused)" = right ] || fail "a view-only click moved the focus to $(focused)"
[ ! -e "$WORK/right.txt" ] || fail "view-only keys arrived: $(cat "$WORK/right.txt")"
dropped=$(ctl attendees | json_field input_dropped)
[ "${dropped:-0}" -gt 0 ] || fail "dropped input not counted"
log "view only: dropped $dropped"

# INTERACTIVE: a click on the left window focuses it; the keys reach it
ctl level 1 interactive | grep -q '"ok":true' || fail "ctl level interactive"
vx mousemove --window "$W" 200 300 click 1
wait_for 5 sh -c "[ \"\$(swaymsg -t get_tree | grep -c '\"focused\": true')\" -ge 1 ]"
wait_for 5 test "$(focused)" = left || true
[ "$(focused)" = left ] || fail "the click did not focus the left window (focus: $(focused))"
vx type --delay 60 'Hello, Sway!'
vx key Return
wait_for 10 test -s "$WORK/left.txt" || fail "typed keys did not reach the left window"
got=$(cat "$WORK/left.txt")
[ "$got" = 'Hello, Sway!' ] || fail "the left window got '$got', not 'Hello, Sway!' (first key lost?)"
[ ! -e "$WORK/right.txt" ] || fail "keys went to the right window too"
log "typed into the focused window: $got"

# the picture follows the change
sleep 1
grim "$WORK/grim2.png"
wait_same_picture "$VD" 1024x768 "$WORK/grim2.png" 0.004 20 || fail "viewer picture did not follow the change"
same_picture "$WORK/grim1.png" "$WORK/grim2.png" 0.0001 && fail "the screen did not change (test broken)"

# a still screen costs (almost) nothing: CPU of the sharer over 5 s
ticks() { awk '{ print $14 + $15 }' "/proc/$SHARER_PID/stat"; }
sleep 2
t0=$(ticks)
sleep 5
t1=$(ticks)
hz=$(getconf CLK_TCK)
pct=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) * 100 / hz / 5 }')
log "still screen: sharer used $pct % of a core"
awk -v p="$pct" 'BEGIN { exit !(p < 0.5) }' || fail "a still screen costs $pct % of a core"

# wev: buttons, the wheel, and a character the keymap lacks (a spare key
# bound by a second keymap upload)
stdbuf -oL wev >"$WORK/wev.log" 2>&1 &
track $!
wait_for 10 sh -c "swaymsg -t get_tree | grep -q '\"app_id\": \"wev\"'" || fail "wev did not map"
sleep 1
# the middle of wev's window, wherever sway tiled it
WEV_AT=$(swaymsg -t get_tree | python3 -c '
import json, sys
def walk(n):
    if n.get("app_id") == "wev":
        r = n["rect"]
        print(r["x"] + r["width"] // 2, r["y"] + r["height"] // 2)
    for c in n.get("nodes", []) + n.get("floating_nodes", []):
        walk(c)
walk(json.load(sys.stdin))')
[ -n "$WEV_AT" ] || fail "wev's window not in sway's tree"
# a second viewer (ours) drives: Unicode key events need a client that sends them
cat >"$WORK/uni.script" <<SCRIPT
2500 click right $WEV_AT
2800 wheel -1
3100 type €ä!
SCRIPT
"$BIN/rdpview" --headless --name uni --password pw1 --seconds 6 \
	--input-script "$WORK/uni.script" "$CONNSTR" >"$WORK/uni.log" 2>&1 &
UNI=$!
track $UNI
sharer_has '"event":"attendee_connected","id":2' || fail "second viewer not admitted"
ctl level 2 interactive | grep -q '"ok":true' || fail "ctl level 2 interactive"
wait "$UNI" || fail "rdpview failed: $(tail -n 5 "$WORK/uni.log")"
grep -q 'button: 273 (right), state: 1 (pressed)' "$WORK/wev.log" ||
	fail "right button did not reach wev: $(tail -n 20 "$WORK/wev.log")"
grep -q 'axis: 0 (vertical), value: 15.0' "$WORK/wev.log" || fail "the wheel (one notch down) did not reach wev"
grep -E 'sym:' "$WORK/wev.log" | tail -n 8 >&2
for ch in € ä '!'; do
	grep -q "utf8: '$ch'" "$WORK/wev.log" || fail "Unicode input: $ch did not arrive"
done
log "wev saw the right button, the wheel, and € ä ! as Unicode input"

# the compositor dies: error event, the viewers are told, exit 1
desktop_dies "$SWAY_PID" pw1
log "ok"
