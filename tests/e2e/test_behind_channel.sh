#!/bin/bash
# A viewer that is behind (reads nothing) still has what it sends on a
# dynamic channel taken and bounded: while the sharer holds back its writes
# to such a viewer, FreeRDP would otherwise queue every message it receives
# until the viewer catches up (found by an adversarial review: 1.6 GB in
# 50 s). The viewer stops reading, the sharer falls behind on it, then it
# sends 48 MiB as small whole messages on an application channel; the
# sharer's peak RSS stays within 16 MiB of what it was.
. "$(dirname "$0")/lib.sh"
start_xvfb DESK 800 600
DISPLAY=$DESK "$BIN/tests/xanim" 20 >"$WORK/xanim.log" 2>&1 &
track $!
# a send buffer (tests/preload/sockopt.c) far larger than one picture, so a
# write the sharer starts while it is not behind never blocks it (it would
# then read nothing, and nothing could pile up), and no TCP_USER_TIMEOUT so
# the kernel does not end the viewer first
SOCKOPT_SNDBUF_MAX=1048576 SOCKOPT_NO_USER_TIMEOUT=1 LD_PRELOAD="$BIN/tests/libsockopt.so" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	start_sharer --display "$DESK" --password pw --channel chat --level view </dev/null
mem() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$SHARER_PID/status"; }
# a first viewer, so one-time costs of a first connection are not counted
"$BIN/rdpview" --headless --name warmup --password pw --seconds 2 "$CONNSTR" \
	>/dev/null 2>"$WORK/warmup.err"
sharer_has 'attendee-disconnected id=1 name=warmup' || fail "the first viewer did not come and go"
echo 5 >"/proc/$SHARER_PID/clear_refs" || fail "cannot reset the peak RSS"
before=$(mem VmRSS)
FLOOD_BEHIND=6 WLOG_LEVEL=ERROR timeout 180 "$BIN/tests/chan_flood" "$PORT" pw dvc chat 48 \
	>"$WORK/flood.out" 2>"$WORK/flood.err" || fail "chan_flood: $(cat "$WORK/flood.err")"
after=$(mem VmHWM)
grow=$((after - before))
log "$(cat "$WORK/flood.out"); RSS ${before} kB, peak ${after} kB (+${grow} kB)"
sent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' "$WORK/flood.out")
[ "${sent:-0}" -ge $((48 << 20)) ] || fail "the attack was cut short: sent ${sent:-0}"
[ "$grow" -lt $((16 * 1024)) ] || fail "the sharer's peak RSS grew by ${grow} kB"
log "ok"
