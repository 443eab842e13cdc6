#!/bin/bash
# The "join:" lines the sharer prints work as printed: each one, run as it
# stands with the stock FreeRDP 3 client (xfreerdp3, /cert:tofu on a first
# connection, the invitation file as the first argument), is admitted and
# shows the shared screen. Pins what changed between FreeRDP 2 and 3.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
start_pattern "$SHARED"
start_sharer --display "$SHARED"
screenshot "$SHARED" "$WORK/shared.png"
mapfile -t joins < <(sed -n 's/^join: //p' "$WORK/sharer.out")
[ "${#joins[@]}" = 2 ] || fail "expected two join lines, got ${#joins[@]}"
case "${joins[0]}" in xfreerdp3\ /v:*) ;; *) fail "first join line: ${joins[0]}" ;; esac
case "${joins[1]}" in xfreerdp3\ *.msrcIncident\ /assistance:*) ;; *) fail "second join line: ${joins[1]}" ;; esac
id=0
for line in "${joins[@]}"; do
	id=$((id + 1))
	line=${line//YOUR_NAME/joiner$id}
	log "running: $line"
	# word splitting is what a user's shell does with the printed line
	# shellcheck disable=SC2086
	DISPLAY=$VIEW $line /log-level:WARN >>"$WORK/join$id.log" 2>&1 &
	pid=$!
	track $pid
	sharer_has "attendee-connected id=$id name=joiner$id " 30 || {
		cat "$WORK/join$id.log" >&2
		fail "join line $id was not admitted"
	}
	wait_same_picture "$VIEW" 800x600 "$WORK/shared.png" 0.02 20 || fail "join line $id: picture differs"
	kill $pid
	sharer_has "attendee-disconnected id=$id " || fail "join line $id did not leave"
done
log "ok"
