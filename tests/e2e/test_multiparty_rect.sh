#!/bin/bash
# Viewers on the multiparty channel learn only the windows they can see:
# with the filter off and a shared rect (--rect), an attendee at VIEW is told
# the mapped window inside the rect and its application, never the one
# outside it nor an unmapped one (nor their process names). A window moved
# into the rect is told; moved out again, it is withdrawn; mapped again, the
# hidden one is told.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480

# start_app VAR NAME GEOMETRY: VAR_WIN gets the window id (hex)
start_app() {
	DISPLAY=$SHARED "$BIN/tests/xapp" "$2" 808080 "$3" >"$WORK/$2.log" 2>&1 &
	track $!
	wait_for 10 grep -q '^window 0x' "$WORK/$2.log" || fail "$2 did not map"
	eval "$1_WIN=$(sed -n 's/^window //p' "$WORK/$2.log" | head -n1)"
}
start_app IN inwin 20,20,100,80      # inside 0,0 320x240
start_app OUT outwin 400,300,100,80  # outside it
start_app HID hidwin 40,40,100,80    # inside, unmapped once the sharer has listed it

start_sharer --display "$SHARED" --rect 0,0,320,240 </dev/null
for t in inwin outwin hidwin; do
	sharer_has "window-open .*title=\"$t main\"" || fail "the sharer did not list $t"
done
DISPLAY=$SHARED xdotool windowunmap --sync "$HID_WIN" || fail "xdotool windowunmap"
wait_for 10 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json apps | grep -q '\"visible\":false'" ||
	fail "the sharer did not see hidwin unmap"

"$BIN/rdpview" --headless --events --seconds 120 --name watcher --password "$PASSWORD" \
	"$CONNSTR" >"$WORK/watcher.events" 2>"$WORK/watcher.err" &
track $!
told() { wait_for "${2:-15}" grep -q -- "$1" "$WORK/watcher.events"; }
told '"level":"view","self":true' || fail "viewer not at view"
told '"name":"inwin main"' || fail "viewer not told of the window inside the rect"
told '"name":"inwin"}' || fail "viewer not told of the inside window's application"
# the whole list goes out in one write: what is not there now was withheld
sleep 1
for leak in outwin hidwin; do
	grep -q "$leak" "$WORK/watcher.events" &&
		fail "a VIEW attendee learned of $leak: $(grep "$leak" "$WORK/watcher.events")"
done
log "told only the window inside the rect"

DISPLAY=$SHARED xdotool windowmove "$OUT_WIN" 150 100
told '"name":"outwin main"' || fail "the window moved into the rect was not told"
told '"name":"outwin"}' || fail "its application was not told"
DISPLAY=$SHARED xdotool windowmove "$OUT_WIN" 500 380
told '"event":"window_removed","id":'$((OUT_WIN)) || fail "the window moved out was not withdrawn"
told '"event":"app_removed","id":' || fail "its application was not withdrawn"
DISPLAY=$SHARED xdotool windowmap "$HID_WIN"
told '"name":"hidwin main"' || fail "the window mapped again was not told"
log "ok"
