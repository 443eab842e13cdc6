#!/bin/bash
# Churn: CYCLES viewers join and leave the demo desktop, alternately
# cleanly (rdpview leaves after its first picture) and abruptly (killed with
# -9 once it is in). Afterwards nobody is left, the sharer holds as many
# file descriptors as before, and under a SAN=1 build LeakSanitizer finds
# nothing at exit. One JSON line every 100 cycles and at the end.
#   tests/soak/churn.sh [BUILD_DIR] [CYCLES]      (make soak: build-asan 1000)
set -u
BIN=${BIN:-$(cd "${1:-build}" && pwd)}
CYCLES=${CYCLES:-${2:-1000}}
E2E_NAME=${E2E_NAME:-churn}
. "$(dirname "$0")/../e2e/lib.sh"
start_demo_sharer --level view
fds() { ls "/proc/$SHARER_PID/fd" | wc -l; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$SHARER_PID/status"; }
report() {
	printf '{"test":"churn","cycles":%d,"fds":%d,"rss_kb":%d,"seconds":%d}\n' \
		"$1" "$(fds)" "$(rss)" $(($(date +%s) - t0))
}
t0=$(date +%s)
# one viewer first, so one-time allocations (FreeRDP's tables, encoders)
# are not counted as growth
"$BIN/rdpview" --headless --frames 1 --seconds 30 --password "$PASSWORD" "$CONNSTR" \
	>/dev/null 2>&1 || fail "the first viewer failed"
sleep 1
fd0=$(fds)
rss0=$(rss)
report 0
for i in $(seq 1 "$CYCLES"); do
	if [ $((i % 2)) = 0 ]; then
		"$BIN/rdpview" --headless --frames 1 --seconds 30 --name "c$i" \
			--password "$PASSWORD" "$CONNSTR" >"$WORK/v.log" 2>&1 ||
			fail "clean cycle $i failed: $(cat "$WORK/v.log")"
	else
		"$BIN/rdpview" --headless --seconds 60 --name "a$i" --password "$PASSWORD" \
			"$CONNSTR" >"$WORK/v.log" 2>&1 &
		v=$!
		wait_for 30 grep -q "attendee-connected id=[0-9]* name=a$i " "$WORK/sharer.out" ||
			fail "abrupt cycle $i: viewer not admitted"
		kill -9 "$v"
		wait "$v" 2>/dev/null
	fi
	[ $((i % 100)) = 0 ] && report "$i"
done
# everyone leaves: the last abrupt one may take a moment to be noticed
no_attendees() { ctl attendees | grep -q '"attendees":\[\]'; }
wait_for 30 no_attendees || fail "attendees left behind: $(ctl attendees)"
sleep 1
report "$CYCLES"
fd1=$(fds)
rss1=$(rss)
log "fds $fd0 -> $fd1, rss ${rss0} -> ${rss1} kB over $CYCLES cycles"
[ "$fd1" -le "$fd0" ] || fail "file descriptors grew: $fd0 -> $fd1"
clean=$(grep -c "attendee-disconnected id=[0-9]* name=c[0-9]* reason=client" "$WORK/sharer.out")
abrupt=$(grep -c "attendee-disconnected id=[0-9]* name=a[0-9]* reason=" "$WORK/sharer.out")
log "disconnects seen: $clean clean, $abrupt abrupt"
[ "$clean" = $((CYCLES / 2)) ] || fail "clean leaves reported: $clean of $((CYCLES / 2))"
[ "$abrupt" = $(((CYCLES + 1) / 2)) ] || fail "abrupt leaves reported: $abrupt"
stop_sharer || fail "the sharer did not stop cleanly (see above)"
log "ok"
