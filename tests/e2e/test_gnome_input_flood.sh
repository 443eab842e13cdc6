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

input_flood 1 motion 20000 pw6
wait "$FLOOD" || fail "the motion flood could not send: $(cat "$WORK/flood-1.out")"
sleep 1
grep -q '"event":"error"' "$WORK/sharer.out" && fail "a motion burst ended the session"
kill -0 "$SHARER_PID" || fail "the sharer died"
lines=$(wc -l <"$WORK/wlpattern.log")
click_viewer 2 pw6
wait_for 5 sh -c "tail -n +$((lines + 1)) '$WORK/wlpattern.log' | grep -q '^button 273 1'" ||
	fail "input after the flood did not arrive"
log "20,000 motions: the session lives on and input still arrives"

input_flood 3 holdflood 3000 pw6
wait "$FLOOD"
sharer_has '"event":"attendee_disconnected","id":3' 30 || fail "the flooding viewer was not seen leaving"
wait_for 60 sh -c "grep '^button 272' '$WORK/wlpattern.log' | tail -n 1 | grep -q ' 0$'" ||
	fail "the left button stays pressed: $(grep '^button 272' "$WORK/wlpattern.log" | tail -n 1)"
log "the held button was released"

term_under_flood "$MUTTER_PID" Mutter 15 4 pw6
log "ok"
