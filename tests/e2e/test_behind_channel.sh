#!/bin/bash
# A viewer that is behind (reads nothing) still has what it sends on a
# dynamic channel taken and bounded: while the sharer holds back its writes
# to such a viewer, FreeRDP would otherwise queue every message it receives
# until the viewer catches up (found by an adversarial review: 1.6 GB in
# 50 s). The viewer stops reading, the sharer falls behind on it, then it
# sends 64 MiB as small whole messages on an application channel; the
# sharer's RSS stops growing (the second half of the attack adds under
# 8 MiB to the peak of the first).
# Under ASan the quarantine of freed memory would count as growth: keep it small.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=16"
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
# the sharer's RSS (kB) every 0.25 s while the attack runs
( while kill -0 "$SHARER_PID" 2>/dev/null; do mem VmRSS; sleep 0.25; done ) >"$WORK/rss" &
SAMPLER=$!
track $SAMPLER
FLOOD_BEHIND=6 WLOG_LEVEL=ERROR timeout 240 "$BIN/tests/chan_flood" "$PORT" pw dvc chat 64 \
	>"$WORK/flood.out" 2>"$WORK/flood.err" || fail "chan_flood: $(cat "$WORK/flood.err")"
kill "$SAMPLER"
sent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' "$WORK/flood.out")
[ "${sent:-0}" -ge $((64 << 20)) ] || fail "the attack was cut short: sent ${sent:-0}"
# Flat: what is taken is freed, so the RSS of the attack's second half
# stays where its first half got (an allocator, or ASan's quarantine, keeps
# a plateau of its own; what piles up grows with every message, by the
# size of what was sent).
read -r first second < <(awk '{ v[NR] = $1 } END {
	h = int(NR / 2); a = 0; b = 0
	for (i = 1; i <= h; i++) if (v[i] > a) a = v[i]
	for (i = h + 1; i <= NR; i++) if (v[i] > b) b = v[i]
	print a, b }' "$WORK/rss")
grow=$((second - first))
log "$(cat "$WORK/flood.out"); $(wc -l <"$WORK/rss") samples; peak RSS first half ${first} kB, second half ${second} kB (+${grow} kB)"
[ "$grow" -lt $((8 * 1024)) ] || fail "the sharer's RSS kept growing: +${grow} kB in the second half"
log "ok"
