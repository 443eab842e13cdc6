#!/bin/bash
# Input floods from an INTERACTIVE viewer on GNOME, as on sway
# (test_wlroots_input_flood.sh): a burst of 20,000 motions neither ends the
# session nor stops input afterwards; a viewer that leaves holding the left
# button behind a full queue has it released; with Mutter stopped, a flood of
# characters does not keep SIGTERM from ending the sharer within seconds.
. "$(dirname "$0")/lib.sh"
unset DISPLAY
start_mutter 800 600
start_wlpattern
start_sharer --password pw6 --json </dev/null
grep -q '"event":"desktop","backend":"gnome"' "$WORK/sharer.out" || fail "not sharing gnome"

flood() { # ID MODE N: an input_flood promoted as soon as it is admitted
	local id=$1
	FLOOD_WAIT=4 "$BIN/tests/input_flood" "$PORT" pw6 "$2" "$3" >"$WORK/flood-$id.out" 2>&1 &
	FLOOD=$!
	track $FLOOD
	sharer_has '"event":"attendee_connected","id":'"$id" || fail "flood $id not admitted"
	ctl level "$id" interactive | grep -q '"ok":true' || fail "ctl level $id"
}

flood 1 motion 20000
wait "$FLOOD" || fail "the motion flood could not send: $(cat "$WORK/flood-1.out")"
sleep 1
grep -q '"event":"error"' "$WORK/sharer.out" && fail "a motion burst ended the session"
kill -0 "$SHARER_PID" || fail "the sharer died"
lines=$(wc -l <"$WORK/wlpattern.log")
printf '%s\n' "0 request interactive" "1500 click right 400 300" "2500 quit" >"$WORK/click.script"
"$BIN/rdpview" --headless --seconds 20 --name after --password pw6 --input-script "$WORK/click.script" \
	"$CONNSTR" >"$WORK/after.log" 2>&1 &
AFTER=$!
track $AFTER
sharer_has '"event":"attendee_connected","id":2' || fail "viewer after the flood not admitted"
ctl level 2 interactive >/dev/null
wait "$AFTER"
wait_for 5 sh -c "tail -n +$((lines + 1)) '$WORK/wlpattern.log' | grep -q '^button 273 1'" ||
	fail "input after the flood did not arrive"
log "20,000 motions: the session lives on and input still arrives"

flood 3 holdflood 3000
wait "$FLOOD"
sharer_has '"event":"attendee_disconnected","id":3' 30 || fail "the flooding viewer was not seen leaving"
wait_for 60 sh -c "grep '^button 272' '$WORK/wlpattern.log' | tail -n 1 | grep -q ' 0$'" ||
	fail "the left button stays pressed: $(grep '^button 272' "$WORK/wlpattern.log" | tail -n 1)"
log "the held button was released"

kill -STOP "$MUTTER_PID"
flood 4 unicode 300
sleep 3
t0=$(date +%s%N)
kill -TERM "$SHARER_PID"
wait_for 15 sh -c "! kill -0 $SHARER_PID" ||
	{ kill -CONT "$MUTTER_PID"; fail "SIGTERM did not end the sharer within 15 s while Mutter was stopped"; }
t1=$(date +%s%N)
log "SIGTERM with Mutter stopped under a flood: gone in $(((t1 - t0) / 1000000)) ms"
kill -CONT "$MUTTER_PID"
wait "$SHARER_PID"
rc=$?
SHARER_PID=""
[ "$rc" = 0 ] || fail "exit status $rc on SIGTERM"
grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/sharer.err" &&
	fail "sanitizer report: $(grep -A20 -E 'Sanitizer|runtime error' "$WORK/sharer.err" | head -n 40)"
log "ok"
