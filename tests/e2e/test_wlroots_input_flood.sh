#!/bin/bash
# Input floods from an INTERACTIVE viewer on sway (found by an adversarial
# review): a burst of 20,000 motions does not end the session (libwayland
# 1.21 takes a request into a full socket as fatal: the back-end waits
# instead), and input still arrives afterwards; a viewer that leaves holding
# Shift and the left button behind a full input queue has both released;
# with the compositor stopped, a flood of characters the keymap lacks (each
# a keymap upload and a round trip) does not keep SIGTERM from ending the
# sharer within seconds.
. "$(dirname "$0")/lib.sh"
start_sway 800 600
stdbuf -oL wev >"$WORK/wev.log" 2>&1 &
track $!
wait_for 10 sh -c "swaymsg -t get_tree | grep -q '\"app_id\": \"wev\"'" || fail "wev did not map"
start_sharer --password pw5 --json </dev/null

# flood ID MODE N: an input_flood promoted as soon as it is admitted
flood() {
	local id=$1
	FLOOD_WAIT=4 "$BIN/tests/input_flood" "$PORT" pw5 "$2" "$3" >"$WORK/flood-$id.out" 2>&1 &
	FLOOD=$!
	track $FLOOD
	sharer_has '"event":"attendee_connected","id":'"$id" || fail "flood $id not admitted"
	ctl level "$id" interactive | grep -q '"ok":true' || fail "ctl level $id"
}

flood 1 motion 20000
wait "$FLOOD" || fail "the motion flood could not send: $(cat "$WORK/flood-1.out")"
sleep 1
grep -q '"event":"error"' "$WORK/sharer.out" && fail "a motion burst ended the session: $(grep error "$WORK/sharer.out")"
kill -0 "$SHARER_PID" || fail "the sharer died"
printf '%s\n' "0 request interactive" "1500 click right 400 300" "2500 quit" >"$WORK/click.script"
"$BIN/rdpview" --headless --seconds 20 --name after --password pw5 --input-script "$WORK/click.script" \
	"$CONNSTR" >"$WORK/after.log" 2>&1 &
AFTER=$!
track $AFTER
sharer_has '"event":"attendee_connected","id":2' || fail "viewer after the flood not admitted"
ctl level 2 interactive >/dev/null
wait "$AFTER"
wait_for 5 grep -q 'button: 273 (right), state: 1' "$WORK/wev.log" || fail "input after the flood did not arrive"
log "20,000 motions: the session lives on and input still arrives"

flood 3 holdflood 3000
wait "$FLOOD"
sharer_has '"event":"attendee_disconnected","id":3' 30 || fail "the flooding viewer was not seen leaving"
# the queue drains (every character is a keymap upload) before the releases
released() { grep 'button: 272 (left)' "$WORK/wev.log" | tail -n 1 | grep -q 'state: 0'; }
wait_for 90 released
sleep 1
last_button=$(grep 'button: 272 (left)' "$WORK/wev.log" | tail -n 1)
last_mods=$(grep 'depressed:' "$WORK/wev.log" | tail -n 1)
log "after the held flood: $last_button / $last_mods"
echo "$last_button" | grep -q 'state: 0 (released)' || fail "the left button stays pressed: $last_button"
echo "$last_mods" | grep -q 'depressed: 00000000' || fail "Shift stays pressed: $last_mods"

kill -STOP "$SWAY_PID"
flood 4 unicode 300
sleep 3
t0=$(date +%s%N)
kill -TERM "$SHARER_PID"
wait_for 10 sh -c "! kill -0 $SHARER_PID" || { kill -CONT "$SWAY_PID"; fail "SIGTERM did not end the sharer within 10 s while sway was stopped"; }
t1=$(date +%s%N)
log "SIGTERM with sway stopped under a flood: gone in $(((t1 - t0) / 1000000)) ms"
kill -CONT "$SWAY_PID"
wait "$SHARER_PID"
rc=$?
SHARER_PID=""
[ "$rc" = 0 ] || fail "exit status $rc on SIGTERM"
grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/sharer.err" &&
	fail "sanitizer report: $(grep -A20 -E 'Sanitizer|runtime error' "$WORK/sharer.err" | head -n 40)"
log "ok"
