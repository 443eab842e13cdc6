#!/bin/bash
# The application filter on GNOME, from gnome-shell's windows (headless
# gnome-shell 43 in unsafe mode): two windows of distinct colours side by
# side, one application shared (--app PID). The viewer sees it and the
# background colour elsewhere; keys for the hidden, focused window are
# dropped while a click on the shown one and keys for it arrive; a window
# moved under the filter is followed; one window of the other application
# shared on its own appears; filter off shows the whole desktop (as
# gnome-shell's own screenshot has it); an application that exits closes its
# window, then itself; a hostile title is listed harmless. A gnome-shell out
# of unsafe mode gets --app refused with the reason.
. "$(dirname "$0")/lib.sh"
unset DISPLAY
BG='#303030'
start_gnome_shell 800 600

start_wlwindow 240 200 ff0000 red rdpshare.red
RED=$WLWINDOW
start_wlwindow 240 200 0000ff blue rdpshare.blue
BLUE=$WLWINDOW
gs_move red 60 150
gs_move blue 460 150
rect() { # NAME COLOUR: an ImageMagick draw argument for its frame
	local x y w h
	read -r x y w h <<<"$(gs_rect "$1")"
	echo "-fill '#$2' -draw 'rectangle $x,$y,$((x + w - 1)),$((y + h - 1))'"
}

start_sharer --app "$RED" --json --on-request grant </dev/null
grep -q '"backend":"gnome"' "$WORK/sharer.out" || fail "not sharing gnome"
filter_opened "$RED" "$BLUE" wlpattern
BLUE_WIN=$HIDDEN_WIN
grep '"event":"window_open"' "$WORK/sharer.out" | grep -q '"title":"red"' || fail "no title"

start_xvfb VD 1024 768
viewer V "$VD" /v:127.0.0.1:$PORT /u:ann /p:"$PASSWORD" /size:800x600
eval convert -size 800x600 xc:"'$BG'" "$(rect red ff0000)" "$WORK/ref1.png"
wait_same_picture "$VD" 800x600 "$WORK/ref1.png" 0.003 30 || fail "red alone not shown"
[ -n "${E2E_OUT:-}" ] && cp "$WORK/last.png" "$E2E_OUT/gnome-appfilter-red-only.png"

# input: the focused window (blue) is hidden, so keys are dropped; a click
# on red focuses it and its keys arrive
gs_raise blue
sleep 1 # the list follows the focus after the picture changed
drive "2000 type ab"
sleep 1
grep -q '^key ' "$WORK/wlwindow-blue.log" && fail "keys reached the hidden window: $(grep '^key' "$WORK/wlwindow-blue.log")"
read -r rx ry rw rh <<<"$(gs_rect red)"
drive "2000 click left $((rx + rw / 2)) $((ry + rh / 2))" "2400 type xy"
wait_for 5 grep -q '^button 272 1' "$WORK/wlwindow-red.log" || fail "the click did not reach the shown window"
wait_for 5 grep -q '^key .* x$' "$WORK/wlwindow-red.log" || fail "keys did not reach the shown window"
grep -q '^key ' "$WORK/wlwindow-blue.log" && fail "keys reached blue: $(grep '^key' "$WORK/wlwindow-blue.log")"

# a window moved under the filter is followed
gs_move red 100 250
eval convert -size 800x600 xc:"'$BG'" "$(rect red ff0000)" "$WORK/ref2.png"
wait_same_picture "$VD" 800x600 "$WORK/ref2.png" 0.003 20 || fail "the moved window was not followed"

# one window of the other application, shared on its own
ctl share "window:$BLUE_WIN" on | grep -q '"ok":true' || fail "ctl share window"
sharer_has '"event":"window_update","id":'"$BLUE_WIN"',.*"shared":true' || fail "no window_update"
eval convert -size 800x600 xc:"'$BG'" "$(rect red ff0000)" "$(rect blue 0000ff)" "$WORK/ref3.png"
wait_same_picture "$VD" 800x600 "$WORK/ref3.png" 0.003 20 || fail "shared window not shown"

# filter off: the whole desktop, as gnome-shell's own screenshot has it
ctl share "window:$BLUE_WIN" off >/dev/null
ctl filter off | grep -q '"ok":true' || fail "ctl filter off"
sharer_has '"event":"filter_updated","enabled":false' || fail "no filter off event"
gs_screenshot "$WORK/shell.png"
wait_same_picture "$VD" 800x600 "$WORK/shell.png" 0.01 20 || fail "whole desktop not shown"

# an application that exits: its window closes, then it does
kill "$BLUE"
sharer_has '"event":"application_close","id":'"$BLUE"',' || fail "blue did not close"
grep -A1 '"event":"window_close","id":'"$BLUE_WIN"',' "$WORK/sharer.out" | tail -n1 |
	grep -q '"event":"application_close","id":'"$BLUE"',' ||
	fail "application_close did not follow its last window_close"
kill -0 "$SHARER_PID" || fail "the sharer died"

# a hostile title (a terminal escape, and long: the log's file name is the
# title, so 200 characters) is listed made harmless and within its cap
EVIL="evil$(printf '\033]0;pwn\007')$(head -c 200 </dev/zero | tr '\0' x)"
start_wlwindow 100 100 00ff00 "$EVIL" rdpshare.evil
# (controls from a window list become spaces, as on sway)
sharer_has '"title":"evil \]0;pwn xxx' || fail "the hostile window was not listed"
ctl apps >"$WORK/apps.json"
LC_ALL=C grep -q "$(printf '\033')" "$WORK/apps.json" "$WORK/sharer.out" && fail "a raw escape in the output"
python3 -c 'import json,sys; t=[w["title"] for a in json.load(open(sys.argv[1]))["applications"] for w in a["windows"] if w["title"].startswith("evil")]; assert t and len(t[0].encode()) < 256, t' "$WORK/apps.json" ||
	fail "the hostile title is not within its cap"

# out of unsafe mode gnome-shell tells no windows: refused, and why (one
# sharer a login session: the first goes)
stop_sharer || fail "the sharer did not stop cleanly"
gs_eval "global.context.unsafe_mode = false" >/dev/null
timeout 30 "$BIN/rdpshare" --listen 127.0.0.1:0 --ctl-socket "$WORK/ctl-app.sock" --app foo \
	>"$WORK/app.out" 2>"$WORK/app.err" </dev/null
rc=$?
[ "$rc" = 1 ] || fail "--app without unsafe mode: exit $rc, wanted 1"
grep -q "gnome-shell tells only its own tools where windows are" "$WORK/app.err" ||
	fail "--app without unsafe mode not explained: $(cat "$WORK/app.err")"
log "ok"
