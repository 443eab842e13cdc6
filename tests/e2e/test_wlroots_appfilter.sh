#!/bin/bash
# The application filter on sway, from sway's IPC: two foot windows of
# distinct colours side by side, one application shared (--app PID). The
# viewer sees it and the background colour elsewhere; keys for the hidden,
# focused window are dropped while a click on the shown one and keys for it
# arrive; one window of the other application shared on its own appears;
# filter off shows the whole desktop (as grim sees it); an application that
# exits closes its window, then itself.
. "$(dirname "$0")/lib.sh"
BG='#303030'
start_sway 640 480

# start_foot VAR NAME RRGGBB: a foot window titled NAME in that colour that
# writes the line typed into it to $WORK/NAME.txt; VAR gets foot's pid
start_foot() {
	local pid
	pid=$(sway_client foot -T "$2" -o colors.background="$3" -o "cursor.color=$3 $3" \
		-e sh -c "read l; echo \"\$l\" > $WORK/$2.txt; sleep 600")
	wait_for 10 sh -c "swaymsg -t get_tree | grep -q '\"name\": \"$2\"'" || fail "$2 did not map"
	eval "$1=$pid"
}
start_foot RED red ff0000
start_foot BLUE blue 0000ff
sleep 1

start_sharer --app "$RED" --json --on-request grant </dev/null
grep -q '"backend":"wlroots"' "$WORK/sharer.out" || fail "not sharing wlroots"
filter_opened "$RED" "$BLUE" foot
BLUE_WIN=$HIDDEN_WIN

start_xvfb VD 800 600
viewer V "$VD" /v:127.0.0.1:$PORT /u:ann /p:"$PASSWORD"
convert -size 640x480 xc:"$BG" -fill '#ff0000' -draw 'rectangle 0,0 319,479' "$WORK/ref1.png"
wait_same_picture "$VD" 640x480 "$WORK/ref1.png" 0.005 30 || fail "red alone not shown"
[ -n "${E2E_OUT:-}" ] && cp "$WORK/last.png" "$E2E_OUT/wlroots-appfilter-red-only.png"

# input: the focused window (blue, the newest) is hidden, so keys are dropped;
# a click on red focuses it and its keys arrive
drive "2000 type ab" "2200 key enter"
sleep 1
[ ! -e "$WORK/blue.txt" ] || fail "keys reached the hidden window: $(cat "$WORK/blue.txt")"
drive "2000 click left 100 100" "2400 type xy" "2600 key enter"
wait_for 5 test -s "$WORK/red.txt" || fail "keys did not reach the shown window"
[ "$(cat "$WORK/red.txt")" = xy ] || fail "red got '$(cat "$WORK/red.txt")', not xy"

# one window of the other application, shared on its own
ctl share "window:$BLUE_WIN" on | grep -q '"ok":true' || fail "ctl share window"
sharer_has '"event":"window_update","id":'"$BLUE_WIN"',.*"shared":true' || fail "no window_update"
grim -c "$WORK/grim.png"
wait_same_picture "$VD" 640x480 "$WORK/grim.png" 0.005 20 || fail "shared window not shown"

# filter off: the whole desktop
ctl share "window:$BLUE_WIN" off >/dev/null
ctl filter off | grep -q '"ok":true' || fail "ctl filter off"
sharer_has '"event":"filter_updated","enabled":false' || fail "no filter off event"
wait_same_picture "$VD" 640x480 "$WORK/grim.png" 0.005 20 || fail "whole desktop not shown"

# an application that exits: its window closes, then it does
kill "$BLUE"
sharer_has '"event":"application_close","id":'"$BLUE"',' || fail "blue did not close"
grep -A1 '"event":"window_close","id":'"$BLUE_WIN"',' "$WORK/sharer.out" | tail -n1 |
	grep -q '"event":"application_close","id":'"$BLUE"',' ||
	fail "application_close did not follow its last window_close"
kill -0 "$SHARER_PID" || fail "the sharer died"
log "ok"
