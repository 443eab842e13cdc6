#!/bin/bash
# Sharer CPU (% of one core) on a still X screen and on the animated demo
# desktop with 0, 1 and 4 xfreerdp viewers. Prints one JSON object per cell.
#   bench/cpu_still.sh [BUILD_DIR] [SECONDS]
set -u
BIN=$(cd "${1:-build}" && pwd)
SECS=${2:-10}
export E2E_OUT=/dev/null
. "$(dirname "$0")/../tests/e2e/lib.sh"
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

measure() { # LABEL VIEWERS
	local t0 t1
	t0=$(cpu_ticks "$SHARER_PID")
	sleep "$SECS"
	t1=$(cpu_ticks "$SHARER_PID")
	local rss
	rss=$(awk '/VmRSS/ { print $2 }' "/proc/$SHARER_PID/status")
	awk -v l="$1" -v n="$2" -v d=$((t1 - t0)) -v hz="$hz" -v s="$SECS" -v rss="$rss" \
		'BEGIN { printf "{\"workload\":\"%s\",\"viewers\":%d,\"cpu_percent\":%.2f,\"rss_kb\":%d}\n", l, n, 100 * d / hz / s, rss }'
}

run() { # LABEL SHARER_ARGS...
	local label=$1 v
	shift
	start_sharer "$@"
	sleep 2
	measure "$label" 0
	local pids=""
	for i in 1 2 3 4; do
		start_xvfb VD 1280 1024
		viewer v "$VD" /v:127.0.0.1:$PORT /u:b$i /p:"$PASSWORD"
		sharer_has "attendee-connected id=[0-9]* name=b$i" 30 || fail "viewer $i not admitted"
		pids="$pids $v"
		if [ $i = 1 ] || [ $i = 4 ]; then
			sleep 3
			measure "$label" $i
		fi
	done
	for v in $pids; do kill "$v"; done
	stop_sharer || fail "sharer did not stop cleanly"
}

start_xvfb SHARED 1280 1024
DISPLAY=$SHARED "$BIN/tests/xpattern" >"$WORK/pattern.log" 2>&1 &
track $!
wait_for 10 grep -q drawn "$WORK/pattern.log" || fail "pattern did not draw"
run still --display "$SHARED"
run demo --demo
