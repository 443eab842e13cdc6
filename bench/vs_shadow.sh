#!/bin/bash
# rdpshare against FreeRDP's own desktop sharer (freerdp-shadow-cli, Debian's
# freerdp2-shadow-x11) on the same 1920x1080 Xvfb desktop, same headless
# viewers (rdpview --headless --stats): sharer CPU (% of one core), frames a
# second each viewer got, bytes a second each viewer got, sharer RSS, for a
# still screen and full-screen motion (tests/helpers/xanim, 30 fps), with N
# viewers. One JSON line per cell, then a table with rdpshare/shadow ratios.
#   bench/vs_shadow.sh [BUILD_DIR] [SECONDS] [N...]     (default: build 15 1 4)
# Installs freerdp2-shadow-x11 if missing (root). Not a test: it measures.
set -u
BIN=$(cd "${1:-build}" && pwd)
SECS=${2:-15}
shift 2 2>/dev/null || shift $#
COUNTS=${*:-1 4}
export E2E_OUT=/dev/null
. "$(dirname "$0")/../tests/e2e/lib.sh"
command -v freerdp-shadow-cli >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		freerdp2-shadow-x11 >/dev/null || fail "cannot install freerdp2-shadow-x11"
hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_xvfb SHARED 1920 1080
RESULTS=$WORK/results.jsonl

start_server() { # rdpshare|shadow: sets SRV_PID, TARGET, PW
	if [ "$1" = rdpshare ]; then
		start_sharer --display "$SHARED" --password benchpw --limit 64
		SRV_PID=$SHARER_PID
		TARGET=127.0.0.1:$PORT
	else
		local p
		p=$(free_port)
		DISPLAY=$SHARED freerdp-shadow-cli /port:"$p" -auth /sec:tls >"$WORK/shadow.log" 2>&1 &
		SRV_PID=$!
		track $SRV_PID
		wait_for 20 sh -c "ss -ltn | grep -q ':$p '" || fail "shadow did not listen"
		TARGET=127.0.0.1:$p
	fi
	PW=benchpw
}

stop_server() {
	if [ "$1" = rdpshare ]; then
		stop_sharer
	else
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
}

cell() { # SERVER WORKLOAD N
	local server=$1 workload=$2 n=$3 i pids=""
	start_server "$server"
	for i in $(seq 1 "$n"); do
		"$BIN/rdpview" --headless --stats --seconds $((SECS + 8)) --name "b$i" --password "$PW" \
			"$TARGET" >"$WORK/v$i.out" 2>&1 &
		pids="$pids $!"
	done
	sleep 6 # everyone connected and past the first full picture
	local t0 t1
	t0=$(ticks "$SRV_PID")
	sleep "$SECS"
	t1=$(ticks "$SRV_PID")
	local mem
	mem=$(rss "$SRV_PID")
	for p in $pids; do wait "$p"; done
	local fps bytes
	fps=$(cat "$WORK"/v*.out | sed -n 's/.*"updates_per_second":\([0-9.]*\).*/\1/p' |
		awk '{ s += $1; n++ } END { printf "%.2f", n ? s / n : 0 }')
	bytes=$(cat "$WORK"/v*.out | sed -n 's/.*"bytes":\([0-9]*\),"seconds":\([0-9.]*\).*/\1 \2/p' |
		awk '{ s += $1 / $2; n++ } END { printf "%.0f", n ? s / n : 0 }')
	rm -f "$WORK"/v*.out
	stop_server "$server"
	awk -v s="$server" -v w="$workload" -v n="$n" -v d=$((t1 - t0)) -v hz="$hz" -v secs="$SECS" \
		-v fps="$fps" -v b="$bytes" -v m="$mem" \
		'BEGIN { printf "{\"server\":\"%s\",\"workload\":\"%s\",\"viewers\":%d,\"cpu_percent\":%.2f,\"fps_per_viewer\":%s,\"bytes_per_second_per_viewer\":%s,\"rss_kb\":%d}\n", s, w, n, 100 * d / hz / secs, fps, b, m }' |
		tee -a "$RESULTS"
}

for workload in still motion; do
	if [ "$workload" = motion ]; then
		DISPLAY=$SHARED "$BIN/tests/xanim" 30 >"$WORK/anim.log" 2>&1 &
		ANIM=$!
		track $ANIM
		wait_for 10 grep -q drawing "$WORK/anim.log" || fail "xanim did not start"
	else
		start_pattern "$SHARED"
	fi
	for n in $COUNTS; do
		cell rdpshare "$workload" "$n"
		cell shadow "$workload" "$n"
	done
	[ "$workload" = still ] && kill "$PATTERN"
	[ "$workload" = motion ] && kill "$ANIM"
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cells = {}
for r in rows:
    cells.setdefault((r["workload"], r["viewers"]), {})[r["server"]] = r
print("\n| workload | viewers | metric | rdpshare | shadow | ratio |")
print("|---|---|---|---|---|---|")
for (w, n), c in sorted(cells.items()):
    for m in ("cpu_percent", "fps_per_viewer", "bytes_per_second_per_viewer", "rss_kb"):
        a, b = c.get("rdpshare", {}).get(m), c.get("shadow", {}).get(m)
        ratio = "%.2f" % (a / b) if a is not None and b else "-"
        print(f"| {w} | {n} | {m} | {a} | {b} | {ratio} |")
PY
