#!/bin/bash
# Viewers that stop reading (SIGSTOPped xfreerdp3 that acknowledge no
# frames: their receive window goes to zero) while the desktop keeps
# changing: `ctl kick` removes one within 2 s, the viewer that still reads
# keeps >= 90 % of its frame rate, and `ctl quit` with a stalled viewer ends
# the sharer within 2 s. The sharer's send buffer is small and the kernel's
# own give-up (TCP_USER_TIMEOUT) is off: tests/preload/sockopt.c.
. "$(dirname "$0")/lib.sh"
STALLED=""
# a stopped viewer holds its signals: let it go before lib.sh's cleanup
trap 'st=$?; for p in $STALLED; do kill -CONT "$p" 2>/dev/null; done; (exit $st); cleanup' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# attendee NAME FIELD: a field of the named attendee in `ctl attendees`
attendee() {
	ctl attendees | python3 -c '
import json, sys
for a in json.load(sys.stdin)["attendees"]:
    if a["name"] == sys.argv[1]:
        print(a[sys.argv[2]])' "$1" "$2"
}
# frames_per_s NAME SECONDS: frames sent to the named attendee per second
frames_per_s() {
	local a b
	a=$(attendee "$1" frames_sent)
	sleep "$2"
	b=$(attendee "$1" frames_sent)
	awk -v a="$a" -v b="$b" -v s="$2" 'BEGIN { printf "%.1f", (b - a) / s }'
}
# stop PID: the viewer reads nothing from now on
stop() {
	kill -STOP "$1"
	STALLED="$STALLED $1"
}
# stuck NAME: wait until the sharer's Send-Q to that viewer is stuck (its
# window is zero)
stuck() {
	local name=$1 port q last=-1 same=0 t0
	port=$(attendee "$name" address | sed 's/.*://')
	[ -n "$port" ] || fail "no address for $name"
	t0=$(now_ms)
	for _ in $(seq 1 300); do
		q=$(ss -tnH state established "( sport = :$PORT and dport = :$port )" |
			awk '{ print $2 }' | head -n1)
		if [ -n "$q" ] && [ "$q" -gt 0 ] && [ "$q" = "$last" ]; then
			same=$((same + 1))
			[ $same -ge 5 ] && {
				log "$name stalled: Send-Q $q stuck after $(($(now_ms) - t0)) ms"
				return 0
			}
		else
			same=0
		fi
		last=$q
		sleep 0.2
	done
	fail "the sharer's Send-Q to $name never got stuck (last $q)"
}

start_xvfb DESK 480 360
start_xvfb VIEW 1024 768
DISPLAY=$DESK "$BIN/tests/xanim" 20 >"$WORK/xanim.log" 2>&1 &
track $!
# tests/preload/sockopt.c: a send buffer smaller than one picture (as a
# stock machine's, capped by net.core.wmem_max, is for a larger desktop), so
# a write to a stalled viewer blocks inside FreeRDP; and no TCP_USER_TIMEOUT
# (FreeRDP asks 9 s), so the kernel never ends a stalled viewer for us
SOCKOPT_SNDBUF_MAX=16384 SOCKOPT_NO_USER_TIMEOUT=1 LD_PRELOAD="$BIN/tests/libsockopt.so" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	start_sharer --display "$DESK"
# the stalled ones do not acknowledge frames (else pacing would stop at the
# in-flight limit and never fill their window)
viewer KEEP "$VIEW" /v:127.0.0.1:$PORT /u:keep /p:"$PASSWORD"
sharer_has "attendee-connected id=[0-9]* name=keep " 30 || fail "viewer keep not admitted"
sleep 1
# its frame rate alone: a viewer that is served adds frames of its own (the
# pictures it asks for), one that is stalled should take nothing away
before=$(frames_per_s keep 4)
log "keep: $before frames/s alone"
viewer S1 "$VIEW" /v:127.0.0.1:$PORT /u:stall1 /p:"$PASSWORD" /gfx:frame-ack:off
viewer S2 "$VIEW" /v:127.0.0.1:$PORT /u:stall2 /p:"$PASSWORD" /gfx:frame-ack:off
for n in stall1 stall2; do
	sharer_has "attendee-connected id=[0-9]* name=$n " 30 || fail "viewer $n not admitted"
done
sleep 1

# both stop reading
stop "$S1"
stop "$S2"
stuck stall1
stuck stall2

# 1. kick
id=$(attendee stall1 id)
t0=$(now_ms)
ctl kick "$id" >/dev/null || fail "ctl kick failed"
sharer_has "attendee-disconnected id=$id " 10
kick_ms=$(($(now_ms) - t0))
log "kick of the stalled viewer took $kick_ms ms: $(grep "attendee-disconnected id=$id " "$WORK/sharer.out")"
[ $kick_ms -le 2000 ] || fail "kick of a stalled viewer took $kick_ms ms (max 2000)"
grep -q "attendee-disconnected id=$id .*reason=sharer" "$WORK/sharer.out" ||
	fail "the kicked viewer's reason is not sharer"

# 2. the other viewer's frame rate while one is stalled; the machine is
# shared (its load alone moves the rate by a fifth): more looks before
# calling it a drop
for _ in 1 2 3; do
	during=$(frames_per_s keep 3)
	log "keep: $during frames/s while stall2 is stalled"
	awk -v a="$before" -v b="$during" 'BEGIN { exit !(b >= 0.9 * a) }' && break
done
awk -v a="$before" -v b="$during" 'BEGIN { exit !(b >= 0.9 * a) }' ||
	fail "keep fell to $during frames/s from $before while a viewer was stalled"
ctl attendees | grep -q '"name":"stall2"' || fail "stall2 was dropped before the quit"

# 3. quit with a stalled viewer
t0=$(now_ms)
ctl quit >/dev/null || fail "ctl quit failed"
for _ in $(seq 1 100); do
	kill -0 "$SHARER_PID" 2>/dev/null || break
	sleep 0.1
done
quit_ms=$(($(now_ms) - t0))
log "quit with a stalled viewer took $quit_ms ms"
[ $quit_ms -le 2000 ] || fail "quit with a stalled viewer took $quit_ms ms (max 2000)"
stop_sharer || fail "the sharer did not end cleanly"
log "ok"
