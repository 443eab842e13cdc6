#!/bin/bash
# The application filter: two applications with distinct colours, only one
# shared (rdpshare --app). xfreerdp shows it and the background colour
# elsewhere; a non-shared window moved over it hides that part; moving the
# non-shared one about elsewhere sends nothing; a new window of the shared
# application appears; one window shared on its own appears; filter off
# shows the whole desktop. The events come in the original's order, viewers
# on the multiparty channel (rdpview) are told only what they can see, and
# unknown ids are clear errors.
. "$(dirname "$0")/lib.sh"
BG='#303030'
start_xvfb SHARED 640 480
start_xvfb VIEW 800 600

# start_app VAR NAME RRGGBB GEOMETRY [GEOMETRY2]: VAR gets the pid, VAR_WIN
# the first window's id.
start_app() {
	local var=$1
	shift
	DISPLAY=$SHARED "$BIN/tests/xapp" "$@" >"$WORK/$1.log" 2>&1 &
	track $!
	eval "$var=$!"
	wait_for 10 grep -q '^window 0x' "$WORK/$1.log" || fail "$1 did not map"
	eval "${var}_WIN=$(sed -n 's/^window //p' "$WORK/$1.log" | head -n1)"
}
start_app RED red ff0000 20,20,200,150 360,300,150,100
start_app BLUE blue 0000ff 300,200,200,150
start_sharer --display "$SHARED" --app red --json --on-request grant </dev/null
sharer_has '"event":"filter_updated","enabled":true' || fail "no filter event"
sharer_has '"event":"application_open","id":'"$RED"',"name":"red","shared":true' ||
	fail "red did not open shared"
sharer_has '"event":"application_open","id":'"$BLUE"',"name":"blue","shared":false' ||
	fail "blue did not open (not shared)"
# an application's open is followed at once by its first window's
for app in "$RED" "$BLUE"; do
	grep -A1 '"event":"application_open","id":'"$app"',' "$WORK/sharer.out" | tail -n1 |
		grep -q '"event":"window_open",.*"app":'"$app"',' ||
		fail "application $app: its window did not open right after it"
done

"$BIN/rdpview" --headless --events --seconds 120 --name watcher --password "$PASSWORD" \
	"$CONNSTR" >"$WORK/watcher.events" 2>"$WORK/watcher.err" &
track $!
told() { wait_for 15 grep -q -- "$1" "$WORK/watcher.events"; }
told '"event":"filter","enabled":true' || fail "viewer not told the filter is on"
told '"event":"app","id":'"$RED"',"shared":true,"name":"red"' || fail "viewer not told of red"
told '"name":"red main"' || fail "viewer not told of red's window"
grep -q blue "$WORK/watcher.events" && fail "viewer was told of the hidden application"

viewer V1 "$VIEW" /v:127.0.0.1:$PORT /u:ann /p:"$PASSWORD"
convert -size 640x480 xc:"$BG" -fill '#ff0000' -draw 'rectangle 20,20 219,169' "$WORK/ref1.png"
wait_same_picture "$VIEW" 640x480 "$WORK/ref1.png" 0.005 30 || fail "red alone not shown"
[ -n "${E2E_OUT:-}" ] && cp "$WORK/last.png" "$E2E_OUT/appfilter-red-only.png"

# damage where nothing is shown costs nothing
sleep 1
before=$(ctl attendees | json_field frames_sent)
for x in 330 360 390 420 380 300; do
	DISPLAY=$SHARED xdotool windowmove "$BLUE_WIN" $x 220
	sleep 0.1
done
DISPLAY=$SHARED xdotool windowmove "$BLUE_WIN" 300 200
sleep 1
after=$(ctl attendees | json_field frames_sent)
log "frames sent while the hidden window moved: $before -> $after"
[ "$before" = "$after" ] || fail "frames were sent for damage nobody may see"

# an interactive viewer cannot click or type into what it cannot see
DISPLAY=$SHARED xdotool windowfocus "$BLUE_WIN"
drive "2000 click left 400 275" "2300 click left 100 100" "2600 type ab"
grep -q 'button-press 1' "$WORK/red.log" || fail "a click on the shown window did not arrive"
grep -q -e 'button-press' -e 'key-press' "$WORK/blue.log" &&
	fail "input reached the hidden window: $(cat "$WORK/blue.log")"
DISPLAY=$SHARED xdotool windowfocus "$RED_WIN"
drive "2000 type xy"
wait_for 5 grep -q 'key-press' "$WORK/red.log" || fail "keys did not reach the shown window"

# the hidden window on top of the shown one: the overlap is background
DISPLAY=$SHARED xdotool windowmove "$BLUE_WIN" 100 60 windowraise "$BLUE_WIN"
convert "$WORK/ref1.png" -fill "$BG" -draw 'rectangle 100,60 299,209' "$WORK/ref2.png"
wait_same_picture "$VIEW" 640x480 "$WORK/ref2.png" 0.005 20 || fail "the overlap leaked"
[ -n "${E2E_OUT:-}" ] && cp "$WORK/last.png" "$E2E_OUT/appfilter-overlap.png"

# a new window of the shared application appears by itself
kill -USR1 "$RED"
sharer_has '"event":"window_open",.*"app":'"$RED"',"title":"red second"' ||
	fail "no window_open for red's second window"
convert "$WORK/ref2.png" -fill '#ff0000' -draw 'rectangle 360,300 509,399' "$WORK/ref3.png"
wait_same_picture "$VIEW" 640x480 "$WORK/ref3.png" 0.005 20 || fail "new window not shown"
told '"name":"red second"' || fail "viewer not told of the new window"

# one window of the other application, shared on its own
ctl share "$BLUE_WIN" on | grep -q '"ok":true' || fail "ctl share window"
sharer_has '"event":"window_update","id":'"$((BLUE_WIN))"',.*"shared":true' ||
	fail "no window_update"
convert "$WORK/ref3.png" -fill '#0000ff' -draw 'rectangle 100,60 299,209' "$WORK/ref4.png"
wait_same_picture "$VIEW" 640x480 "$WORK/ref4.png" 0.005 20 || fail "shared window not shown"
told '"event":"window","id":'"$((BLUE_WIN))"',"app":'"$BLUE"',"shared":true' ||
	fail "viewer not told of the shared window"
ctl apps | python3 -c '
import json, sys
r = json.load(sys.stdin)
apps = {a["name"]: a for a in r["applications"]}
assert r["filter"] is True, r
assert apps["red"]["shared"] and not apps["blue"]["shared"], apps
assert [w["title"] for w in apps["red"]["windows"]] == ["red main", "red second"], apps
assert apps["blue"]["windows"][0]["shared"] is True, apps
' || fail "ctl apps does not list what is there"

# bad input: clear errors, nothing changes
ctl share 0x7ffffff on | grep -q 'no application or window with that id' ||
	fail "unknown id accepted"
ctl share "$RED" maybe | grep -q usage || fail "bad state accepted"
ctl show 12345 | grep -q 'no window with that id' || fail "show of an unknown window"
ctl filter sideways | grep -q usage || fail "bad filter state accepted"
ctl show "$RED_WIN" | grep -q '"ok":true' || fail "show"

# filter off: the whole desktop
ctl filter off | grep -q '"ok":true' || fail "ctl filter off"
sharer_has '"event":"filter_updated","enabled":false' || fail "no filter off event"
told '"event":"filter","enabled":false' || fail "viewer not told the filter is off"
screenshot "$SHARED" "$WORK/desk.png"
wait_same_picture "$VIEW" 640x480 "$WORK/desk.png" 0.005 20 || fail "whole desktop not shown"

# an application that vanishes: its window closes, then it does
kill -9 "$BLUE"
sharer_has '"event":"application_close","id":'"$BLUE"',' || fail "blue did not close"
grep -A1 '"event":"window_close","id":'"$((BLUE_WIN))"',' "$WORK/sharer.out" | tail -n1 |
	grep -q '"event":"application_close","id":'"$BLUE"',' ||
	fail "application_close did not follow its last window_close"
told '"event":"app_removed","id":'"$BLUE"'}' || fail "viewer not told blue went"
kill -0 "$SHARER_PID" || fail "the sharer died"
log "ok"
