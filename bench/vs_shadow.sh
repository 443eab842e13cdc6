#!/bin/bash
# rdpshare against FreeRDP's own desktop sharer (freerdp-shadow-cli3, Debian's
# freerdp3-shadow-x11) on the same 1920x1080 Xvfb desktop with the same
# headless viewers (rdpview --headless --stats, graphics pipeline offered).
#
# Workloads (tests/helpers): still (xpattern), typing (xwork typing: an
# 800x600 terminal typing 8 characters a second on its bottom line, scrolling
# up a line at each line's end, about every 16 s), drag
# (xwork drag: a 480x360 window moved 30 times a second), motion (xanim:
# every pixel changes 30 times a second). N viewers per cell.
#
# Per cell: sharer CPU (% of one core), frames a second each viewer got,
# bytes a second each viewer got, sharer RSS; for typing also the time from
# a character drawn to the picture arriving at viewer 1 (p50/p95, ms: what a
# user sees, measurable for both sharers) and, for rdpshare, its own
# damage-to-socket time (p50/p95, ms, from ctl attendees). One JSON line per
# cell, then a table with rdpshare/shadow ratios and the RSS each viewer past
# the first costs.
#   bench/vs_shadow.sh [BUILD_DIR] [SECONDS] [N...]   (default: build 15 1 4 16)
#   WORKLOADS="still typing" VIEWER_ARGS="--gfx" DESKTOPS="x11 sway" bench/vs_shadow.sh ...
# DESKTOPS (default x11): x11 is the Xvfb desktop above; sway is a headless
# sway (pixman) of the same size shared through the wlroots back-end, with the
# same X workload clients running in its XWayland (xwork's window is tiled to
# the whole output there); gnome is a headless Mutter of the same size with
# Wayland workload clients (tests/helpers/wlpattern: still, typing at 8
# characters a second, anim at 30 fps; no drag). FreeRDP's shadow server
# cannot share Wayland, so those rows are rdpshare's alone.
# Installs freerdp3-shadow-x11 if missing (root, scripts/deps.sh --test). Not a test: it measures.
# Everything runs on this machine: viewers decoding compete with the sharers
# for the same cores, equally for both.
set -u
BIN=$(cd "${1:-build}" && pwd)
SECS=${2:-15}
shift 2 2>/dev/null || shift $#
COUNTS=${*:-1 4 16}
WORKLOADS=${WORKLOADS:-still typing drag motion}
VIEWER_ARGS=${VIEWER_ARGS:---gfx}
export E2E_OUT=/dev/null
. "$(dirname "$0")/../tests/e2e/lib.sh"
command -v freerdp-shadow-cli3 >/dev/null ||
	"$(dirname "$0")/../scripts/deps.sh" --test || fail "cannot install freerdp3-shadow-x11"
hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DESKTOPS=${DESKTOPS:-x11}
RESULTS=$WORK/results.jsonl

start_server() { # rdpshare|shadow: sets SRV_PID, TARGET, PW
	if [ "$1" = rdpshare ]; then
		# shellcheck disable=SC2086
		start_sharer $SHARE_ARGS --password benchpw --limit 64
		SRV_PID=$SHARER_PID
		TARGET=127.0.0.1:$PORT
	else
		local p
		p=$(free_port)
		DISPLAY=$SHARED freerdp-shadow-cli3 /port:"$p" -auth /sec:tls >"$WORK/shadow.log" 2>&1 &
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

# typed-to-arrival latency at viewer 1: for each character drawn inside the
# window, the first picture that arrived after it and before the next one
latency() { # TYPED_LOG FRAMES_LOG T0_US T1_US
	python3 - "$@" <<'PY'
import json, re, sys
typed = [int(m.group(1)) for m in re.finditer(r"typed t_us=(\d+)", open(sys.argv[1]).read())]
frames = []
for line in open(sys.argv[2]):
    if '"event":"frame"' in line:
        frames.append(json.loads(line)["t_us"])
t0, t1 = int(sys.argv[3]), int(sys.argv[4])
typed = [t for t in typed if t0 <= t <= t1]
lat, j = [], 0
for i, t in enumerate(typed):
    nxt = typed[i + 1] if i + 1 < len(typed) else t + 10**6
    while j < len(frames) and frames[j] < t:
        j += 1
    if j < len(frames) and frames[j] < nxt:
        lat.append((frames[j] - t) / 1000.0)
lat.sort()
if lat:
    print("%.2f %.2f %d %d" % (lat[len(lat) // 2], lat[min(len(lat) - 1, len(lat) * 95 // 100)],
                               len(lat), len(typed)))
else:
    print("null null 0 %d" % len(typed))
PY
}

cell() { # SERVER WORKLOAD N
	local server=$1 workload=$2 n=$3 i pids=""
	start_server "$server"
	for i in $(seq 1 "$n"); do
		local extra=""
		[ "$i" = 1 ] && extra="--frame-times"
		# shellcheck disable=SC2086
		"$BIN/rdpview" --headless --stats $VIEWER_ARGS $extra --seconds $((SECS + 10)) \
			--name "b$i" --password "$PW" "$TARGET" >"$WORK/v$i.out" 2>"$WORK/v$i.err" &
		pids="$pids $!"
	done
	sleep 8 # everyone connected and past the first full picture
	local t0 t1 us0 us1 mem codec="" internal="null null"
	us0=$(python3 -c 'import time; print(int(time.monotonic() * 1e6))')
	t0=$(ticks "$SRV_PID")
	sleep "$SECS"
	t1=$(ticks "$SRV_PID")
	us1=$(python3 -c 'import time; print(int(time.monotonic() * 1e6))')
	mem=$(rss "$SRV_PID")
	if [ "$server" = rdpshare ]; then
		ctl attendees >"$WORK/att.json"
		codec=$(json_field codec <"$WORK/att.json")
		internal=$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["attendees"]
p50 = [x["latency_p50_us"] for x in a if x["latency_p50_us"]]
p95 = [x["latency_p95_us"] for x in a if x["latency_p95_us"]]
print("%.2f %.2f" % (sum(p50) / len(p50) / 1000, sum(p95) / len(p95) / 1000) if p50 else "null null")
' "$WORK/att.json")
	fi
	for p in $pids; do wait "$p"; done
	local fps bytes lat="null null 0 0"
	fps=$(cat "$WORK"/v*.out | sed -n 's/.*"updates_per_second":\([0-9.]*\).*/\1/p' |
		awk '{ s += $1; n++ } END { printf "%.2f", n ? s / n : 0 }')
	bytes=$(cat "$WORK"/v*.out | sed -n 's/.*"bytes":\([0-9]*\),"seconds":\([0-9.]*\).*/\1 \2/p' |
		awk '{ s += $1 / $2; n++ } END { printf "%.0f", n ? s / n : 0 }')
	[ "$workload" = typing ] && lat=$(latency "$WORK/work.log" "$WORK/v1.out" "$us0" "$us1")
	rm -f "$WORK"/v*.out "$WORK"/v*.err
	stop_server "$server"
	set -- $lat $internal
	python3 -c '
import json, sys
a = sys.argv[1:]
num = lambda v: None if v == "null" else float(v)
print(json.dumps({"desktop": a[16], "server": a[0], "workload": a[1], "viewers": int(a[2]),
    "cpu_percent": round(100.0 * int(a[3]) / int(a[4]) / float(a[5]), 2),
    "fps_per_viewer": float(a[6]), "bytes_per_second_per_viewer": int(a[7]),
    "rss_kb": int(a[8]), "codec": a[9] or None,
    "typed_to_viewer_p50_ms": num(a[10]), "typed_to_viewer_p95_ms": num(a[11]),
    "typed_matched": int(a[12]), "typed": int(a[13]),
    "damage_to_socket_p50_ms": num(a[14]), "damage_to_socket_p95_ms": num(a[15])}))
' "$server" "$workload" "$n" $((t1 - t0)) "$hz" "$SECS" "$fps" "$bytes" "$mem" "$codec" \
		"$1" "$2" "$3" "$4" "$5" "$6" "$DESKTOP" | tee -a "$RESULTS"
}

run_desktop() { # x11|sway
	DESKTOP=$1
	if [ "$DESKTOP" = gnome ]; then
		unset DISPLAY
		start_mutter 1920 1080
		SHARE_ARGS="--backend gnome"
		SERVERS=rdpshare
	elif [ "$DESKTOP" = sway ]; then
		start_sway 1920 1080 xwayland
		SHARED=$SWAY_XDISPLAY
		SHARE_ARGS="--backend wlroots"
		SERVERS=rdpshare
	else
		start_xvfb SHARED 1920 1080
		SHARE_ARGS="--display $SHARED"
		SERVERS="rdpshare shadow"
	fi
for workload in $WORKLOADS; do
	if [ "$DESKTOP" = gnome ]; then
		# Wayland clients: Mutter runs no XWayland here
		case $workload in
		still) start_wlpattern && PATTERN=$WLPATTERN ;;
		typing | motion)
			local mode=typing rate=8
			[ "$workload" = motion ] && mode=anim rate=30
			WAYLAND_DISPLAY=$MUTTER_WAYLAND "$BIN/tests/wlpattern" $mode $rate \
				>"$WORK/work.log" 2>&1 &
			WORK_PID=$!
			track $WORK_PID
			wait_for 10 grep -q '^drawn' "$WORK/work.log" || fail "wlpattern $mode did not start"
			;;
		*)
			log "no $workload workload on GNOME (no window to drag without a window manager's help)"
			continue
			;;
		esac
		for n in $COUNTS; do
			cell rdpshare "$workload" "$n"
		done
		case $workload in
		still) kill "$PATTERN" ;;
		*) kill "$WORK_PID" ;;
		esac
		sleep 0.5
		continue
	fi
	case $workload in
	still) start_pattern "$SHARED" ;;
	typing | drag)
		start_pattern "$SHARED" # the desktop behind the window
		DISPLAY=$SHARED "$BIN/tests/xwork" "$workload" >"$WORK/work.log" 2>&1 &
		WORK_PID=$!
		track $WORK_PID
		wait_for 10 grep -q -e typing -e dragging "$WORK/work.log" || fail "xwork did not start"
		;;
	motion)
		DISPLAY=$SHARED "$BIN/tests/xanim" 30 >"$WORK/anim.log" 2>&1 &
		WORK_PID=$!
		track $WORK_PID
		wait_for 10 grep -q drawing "$WORK/anim.log" || fail "xanim did not start"
		;;
	*) fail "unknown workload $workload" ;;
	esac
	for n in $COUNTS; do
		for server in $SERVERS; do
			cell "$server" "$workload" "$n"
		done
	done
	case $workload in
	still) kill "$PATTERN" ;;
	typing | drag) kill "$WORK_PID" "$PATTERN" ;;
	motion) kill "$WORK_PID" ;;
	esac
	sleep 0.5
done
	[ "$DESKTOP" = sway ] && kill "$SWAY_PID" 2>/dev/null
	[ "$DESKTOP" = gnome ] && kill "$MUTTER_PID" 2>/dev/null
	return 0
}

for d in $DESKTOPS; do
	run_desktop "$d"
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cells = {}
for r in rows:
    w = r["workload"] if r.get("desktop", "x11") == "x11" else r["workload"] + "@" + r["desktop"]
    cells.setdefault((w, r["viewers"]), {})[r["server"]] = r
order = {"still": 0, "typing": 1, "drag": 2, "motion": 3}
metrics = ("cpu_percent", "fps_per_viewer", "bytes_per_second_per_viewer", "rss_kb",
           "typed_to_viewer_p50_ms", "typed_to_viewer_p95_ms",
           "damage_to_socket_p50_ms", "damage_to_socket_p95_ms")
print("\n| workload | viewers | metric | rdpshare | shadow | rdpshare/shadow |")
print("|---|---|---|---|---|---|")
key = lambda k: (k[0][0].partition("@")[2], order.get(k[0][0].partition("@")[0], 9), k[0][1])
for (w, n), c in sorted(cells.items(), key=key):
    for m in metrics:
        a, b = c.get("rdpshare", {}).get(m), c.get("shadow", {}).get(m)
        if a is None and b is None:
            continue
        ratio = "%.2f" % (a / b) if a is not None and b else "-"
        print(f"| {w} | {n} | {m} | {a} | {b} | {ratio} |")
# what a viewer past the first costs in memory, and CPU with N against 1
print("\n| workload | server | RSS per extra viewer (kB) | CPU(Nmax)/CPU(1) |")
print("|---|---|---|---|")
for w in sorted({k[0] for k in cells}, key=lambda x: (x.partition("@")[2], order.get(x.partition("@")[0], 9))):
    for s in ("rdpshare", "shadow"):
        rs = sorted((n, c[s]) for (ww, n), c in cells.items() if ww == w and s in c)
        if len(rs) < 2:
            continue
        (n1, r1), (nm, rm) = rs[0], rs[-1]
        per = (rm["rss_kb"] - r1["rss_kb"]) / (nm - n1)
        cpu = "%.2f" % (rm["cpu_percent"] / r1["cpu_percent"]) if r1["cpu_percent"] else "-"
        print(f"| {w} | {s} | {per:.0f} (N={n1}..{nm}) | {cpu} (N={nm}) |")
PY
