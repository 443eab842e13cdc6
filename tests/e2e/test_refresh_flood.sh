#!/bin/bash
# A viewer flooding Refresh Rect and Suppress Output (allow) PDUs, each of
# which asks for the whole picture again (tests/helpers/refresh_flood): on a
# still desktop every picture it gets is one it forced, and it gets at most
# about two a second. The sharer's CPU over the flood is logged, not judged.
. "$(dirname "$0")/lib.sh"
SECS=5
start_xvfb DESK 800 600
start_pattern "$DESK"
start_sharer --display "$DESK"
# ticks: the sharer's user + system CPU time so far (clock ticks)
ticks() { awk '{ print $14 + $15 }' "/proc/$SHARER_PID/stat"; }
# frames: pictures sent to the flooding viewer so far ("gone" once it left)
frames() {
	ctl attendees | python3 -c '
import json, sys
n = [a["frames_sent"] for a in json.load(sys.stdin)["attendees"] if a["name"] == "flood"]
print(n[0] if n else "gone")'
}
"$BIN/tests/refresh_flood" 127.0.0.1 "$PORT" flood "$PASSWORD" $((SECS + 30)) \
	>"$WORK/flood.out" 2>&1 &
FLOOD=$!
track $FLOOD
sharer_has 'attendee-connected id=[0-9]* name=flood ' 30 || fail "the flooding viewer was not admitted"
wait_for 10 grep -q '^active' "$WORK/flood.out" || fail "the flooding viewer never got active"
sleep 1
now_ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(now_ms)
f0=$(frames)
c0=$(ticks)
sleep $SECS
f1=$(frames)
c1=$(ticks)
t1=$(now_ms) # both samples took a while (ctl): the window is t0 .. t1
[ "$f1" != gone ] && kill -0 $FLOOD || fail "the flooding viewer lost its connection: $(cat "$WORK/flood.out")"
kill -INT $FLOOD
n=$((f1 - f0))
ms=$((t1 - t0))
cpu=$(awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v ms=$ms \
	'BEGIN { printf "%.1f", 100 * c / hz / (ms / 1000) }')
log "$n whole pictures in $ms ms; sharer CPU ${cpu} %"
# two a second, one more at a window's edge; a deferred ask is not lost
max=$((2 * ms / 1000 + 2))
[ $n -le $max ] || fail "$n whole pictures in $ms ms (at most $max)"
[ $n -ge $SECS ] || fail "only $n whole pictures in $ms ms: asks were lost"
log "ok"
