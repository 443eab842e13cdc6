#!/bin/bash
# Strangers cannot lock invited viewers out: wrong passwords from many /24s
# (tests/helpers/guess.py: 127.0.P.1, four guesses each, too few to lock a
# prefix) keep the global lock up, so a plain logon with the right password
# is refused as throttled before and after; meanwhile xfreerdp3 with the
# invitation file (its ticket) gets in, within 20 s.
. "$(dirname "$0")/lib.sh"
start_xvfb VIEW 640 480
start_demo_sharer --invitation-file "$WORK/invite.msrcIncident"

# the siege: three guessers that never stop, from a new /24 every four
# guesses (three, so that even a sanitizer build is guessed at 30 a minute)
for first in 1 20001 40001; do
	python3 "$(dirname "$0")/../helpers/guess.py" "$PORT" 4 wrong "$first" \
		>"$WORK/guess-$first.log" 2>&1 &
	track $!
done
sharer_has 'auth-throttled address=all seconds=30' 60 ||
	fail "the siege raised no global lock: $(tail -q -n 1 "$WORK"/guess-*.log)"
n=$(grep -c 'attendee-refused reason=bad-password name=guess' "$WORK/sharer.out")
log "global lock after $n wrong guesses, ${SECONDS} s"

plain() { # a plain logon with the right password, refused while the lock holds
	DISPLAY=$VIEW timeout 30 xfreerdp3 /v:127.0.0.1:"$PORT" /u:"$1" /p:"$PASSWORD" \
		/cert:ignore /log-level:OFF -clipboard </dev/null >/dev/null 2>&1
	sharer_has "attendee-refused reason=throttled name=$1 " 10 ||
		fail "$1: the right password was not held up by the lock"
}
plain plain1

# the invited viewer: the invitation file's ticket passes the strangers' lock
start=$(date +%s%N)
viewer V1 "$VIEW" "$WORK/invite.msrcIncident" /assistance:"$PASSWORD" /u:invited
sharer_has 'attendee-connected id=[0-9]* name=invited ' 20 ||
	fail "the invited viewer was kept out: $(grep 'name=invited' "$WORK/sharer.out")"
log "invited viewer admitted in $((($(date +%s%N) - start) / 1000000)) ms during the siege"
plain plain2
grep -q 'auth-throttled address=127' "$WORK/sharer.out" &&
	fail "a guesser's prefix was locked: $(grep 'auth-throttled' "$WORK/sharer.out")"
kill -0 "$SHARER_PID" || fail "the sharer died"
log "ok"
