#!/bin/bash
# `xfreerdp3 FILE /assistance:PASSWORD /p:` with the invitation file joins in
# Remote Assistance mode (ticket + password in the Client Info PDU).
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
start_pattern "$SHARED"
start_sharer --display "$SHARED" --invitation-file "$WORK/invite.msrcIncident"
[ "$(stat -c %a "$WORK/invite.msrcIncident")" = 600 ] || fail "invitation file not 0600"
grep -q "$PASSWORD" "$WORK/invite.msrcIncident" && fail "password inside the invitation file"
screenshot "$SHARED" "$WORK/shared.png"
viewer V1 "$VIEW" "$WORK/invite.msrcIncident" /assistance:"$PASSWORD"
sharer_has 'attendee-connected id=1' || fail "assistance viewer not admitted"
wait_same_picture "$VIEW" 800x600 "$WORK/shared.png" 0.02 20 || fail "viewer picture differs"
kill "$V1"
# the wrong assistance password is refused
DISPLAY=$VIEW timeout 30 xfreerdp3 "$WORK/invite.msrcIncident" /cert:ignore /log-level:OFF /assistance:wrong /p: \
	>/dev/null 2>&1
sharer_has 'attendee-refused reason=bad-password' || fail "wrong assistance password admitted"
log "ok"
