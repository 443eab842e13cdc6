#!/bin/bash
# Slow and vanished viewers on the animated demo desktop: a reference viewer's
# frame rate alone, then again while a SIGSTOPped viewer, one behind a
# 64 KB/s link and one killed with -9 mid-stream share the session; the
# sharer's RSS every 5 seconds; how the killed one was removed. JSON lines.
#   tests/soak/slow_viewers.sh [BUILD_DIR] [SECONDS]   (make soak: build 60)
# With CHECK=1 (the CI test) it fails unless the killed viewer is removed
# with reason "client", the stopped one is still listed, the reference
# viewer kept >= 90% of its frame rate (CHECK_FPS=1 only: timing on a
# loaded 2-core CI machine is not a test) and the RSS stayed bounded.
set -u
BIN=${BIN:-$(cd "${1:-build}" && pwd)}
SECS=${SECS:-${2:-60}}
HELPERS=$(cd "$(dirname "$0")/../helpers" && pwd)
. "$(dirname "$0")/../e2e/lib.sh"
start_demo_sharer --level view
rss() { awk '/VmRSS/ { print $2 }' "/proc/$SHARER_PID/status"; }
fps_of() { sed -n 's/.*"updates_per_second":\([0-9.]*\).*/\1/p' "$1" | tail -n1; }
reference() { # LABEL SECONDS
	"$BIN/rdpview" --headless --stats --seconds "$2" --name "$1" --password "$PASSWORD" \
		"$CONNSTR" >"$WORK/$1.out" 2>&1 || fail "reference viewer $1 failed"
}

reference alone 10
alone=$(fps_of "$WORK/alone.out")
rss0=$(rss)
printf '{"test":"slow_viewers","phase":"alone","fps":%s,"rss_kb":%d}\n' "$alone" "$rss0"

# the stopped one
"$BIN/rdpview" --headless --seconds 600 --name stopped --password "$PASSWORD" "$CONNSTR" \
	>"$WORK/stopped.out" 2>&1 &
STOPPED=$!
track $STOPPED
sharer_has "name=stopped " 30 || fail "stopped viewer not admitted"
sleep 1
kill -STOP "$STOPPED"
# the thin line
python3 "$HELPERS/slowlink.py" "$PORT" 65536 >"$WORK/link.out" 2>&1 &
track $!
wait_for 10 grep -q '^port ' "$WORK/link.out" || fail "slow link did not start"
LPORT=$(sed -n 's/^port //p' "$WORK/link.out")
"$BIN/rdpview" --headless --stats --seconds 600 --name thin --password "$PASSWORD" \
	"127.0.0.1:$LPORT" >"$WORK/thin.out" 2>&1 &
THIN=$!
track $THIN
# the one that dies mid-stream
"$BIN/rdpview" --headless --seconds 600 --name doomed --password "$PASSWORD" "$CONNSTR" \
	>"$WORK/doomed.out" 2>&1 &
DOOMED=$!
track $DOOMED
sharer_has "name=doomed " 30 || fail "doomed viewer not admitted"
sharer_has "name=thin " 60 || fail "thin viewer not admitted"
sleep 2
kill -9 "$DOOMED"
sharer_has "attendee-disconnected id=[0-9]* name=doomed " 20 || fail "killed viewer not removed"
reason=$(sed -n 's/.*attendee-disconnected id=[0-9]* name=doomed reason=\([a-z]*\) code=\(-*[0-9]*\).*/\1 \2/p' \
	"$WORK/sharer.out")
printf '{"test":"slow_viewers","phase":"killed","reason":"%s","code":%s}\n' ${reason}

# the reference again, while the stopped and thin viewers hang on
reference busy "$SECS" &
REF=$!
peak=$rss0
for _ in $(seq 1 $((SECS / 5))); do
	sleep 5
	r=$(rss)
	[ "$r" -gt "$peak" ] && peak=$r
	printf '{"test":"slow_viewers","phase":"busy","rss_kb":%d}\n' "$r"
done
wait $REF || fail "reference viewer failed"
busy=$(fps_of "$WORK/busy.out")
stats=$(ctl attendees)
printf '{"test":"slow_viewers","phase":"result","fps_alone":%s,"fps_busy":%s,"ratio":%s,"rss_start_kb":%d,"rss_peak_kb":%d}\n' \
	"$alone" "$busy" "$(awk -v a="$alone" -v b="$busy" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')" \
	"$rss0" "$peak"
log "attendees: $stats"
if [ "${CHECK:-0}" = 1 ]; then
	[ "${reason% *}" = client ] || fail "the killed viewer was removed with reason '$reason'"
	echo "$stats" | grep -q '"name":"stopped"' || fail "the stopped viewer was dropped"
	[ $((peak - rss0)) -lt 131072 ] || fail "RSS grew by $(((peak - rss0) / 1024)) MB"
	if [ "${CHECK_FPS:-0}" = 1 ]; then
		awk -v a="$alone" -v b="$busy" 'BEGIN { exit !(b >= 0.9 * a) }' ||
			fail "the reference viewer fell to $busy fps from $alone"
	fi
fi
kill -CONT "$STOPPED"
log "ok"
