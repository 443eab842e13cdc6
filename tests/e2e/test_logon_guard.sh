#!/bin/bash
# The logon guard: connections that stall anywhere in the handshake (silent,
# after the X.224 request, halfway through the TLS hello) are dropped after
# rdpshare.HandshakeTimeoutMs; a flood of 300 such connections does not keep
# a real viewer out, nor grow the sharer without bound; failed passwords lock
# the address's /24 out (with an event) so that even the right password is
# refused until the lockout ends, after which it works again.
. "$(dirname "$0")/lib.sh"
start_demo_sharer
ctl set rdpshare.HandshakeTimeoutMs 3000 | grep -q '"ok":true' || fail "set the timeout"
threads() { ls "/proc/$SHARER_PID/task" | wc -l; }
base=$(threads)

# stalled handshakes are cut after the timeout
python3 "$(dirname "$0")/../helpers/stall.py" "$PORT" 3 >"$WORK/stall.log" 2>&1 &
track $!
wait_for 5 grep -q '^open 3' "$WORK/stall.log" || fail "stall helper did not connect"
wait_for 10 grep -q '^closed 3' "$WORK/stall.log" || fail "stalled connections were not dropped"
[ "$(grep -c 'attendee-refused reason=protocol' "$WORK/sharer.out")" -ge 3 ] ||
	fail "stalled connections not reported"

# a flood of stalled handshakes; a real viewer still gets in
ctl set rdpshare.HandshakeTimeoutMs 60000 >/dev/null
python3 "$(dirname "$0")/../helpers/stall.py" "$PORT" 300 >"$WORK/flood.log" 2>&1 &
FLOOD=$!
track $FLOOD
wait_for 30 grep -q '^open 300' "$WORK/flood.log" || fail "flood did not connect"
sleep 1
peak=$(threads)
log "threads: $base idle, $peak under the flood"
[ "$peak" -lt $((base + 160)) ] || fail "the sharer grew to $peak threads under the flood"
"$BIN/rdpview" --headless --frames 1 --seconds 30 --name real --password "$PASSWORD" \
	"$CONNSTR" >"$WORK/real.log" 2>&1 || fail "a real viewer could not join during the flood: $(cat "$WORK/real.log")"
sharer_has 'attendee-connected id=1 name=real' || fail "the real viewer was not announced"
kill "$FLOOD"
wait_for 10 sh -c "[ \$(ls /proc/$SHARER_PID/task | wc -l) -le $((base + 2)) ]" ||
	fail "threads left behind after the flood: $(threads)"

# failed passwords lock the address's prefix out, then it works again
try() { "$BIN/rdpview" --headless --frames 1 --seconds 20 --name guess --password "$1" \
	"$CONNSTR" >>"$WORK/guess.log" 2>&1; }
for i in 1 2 3 4 5; do
	try "wrong-$i"
	rc=$?
	[ $rc = 4 ] || fail "wrong password $i: exit $rc, not refused (4)"
done
# the lock is on the address's /24
sharer_has 'auth-throttled address=127.0.0.0/24 seconds=5' || fail "no throttle event"
try "$PASSWORD"
rc=$?
[ $rc = 4 ] || fail "the right password got in during the lockout (exit $rc)"
sharer_has 'attendee-refused reason=throttled' || fail "refusal not marked throttled"
sleep 5
try "$PASSWORD" || fail "the right password was refused after the lockout"
kill -0 "$SHARER_PID" || fail "the sharer died"
log "ok"
