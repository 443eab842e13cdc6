#!/bin/bash
# A stock xfreerdp joins with any user name and the invitation password and
# sees the sharer's screen; the sharer reports the attendee by that name.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
start_pattern "$SHARED"
start_sharer --display "$SHARED"
[ -n "$PASSWORD" ] || fail "no generated password printed"
screenshot "$SHARED" "$WORK/shared.png"
viewer V1 "$VIEW" /v:127.0.0.1:$PORT /u:alice /p:"$PASSWORD"
sharer_has 'attendee-connected id=1 name=alice address=127.0.0.1:[0-9]* level=view' ||
	fail "no attendee-connected line"
wait_same_picture "$VIEW" 800x600 "$WORK/shared.png" 0.02 20 || fail "viewer picture differs"
ctl attendees >"$WORK/att.json" || fail "ctl attendees failed"
grep -q '"name":"alice"' "$WORK/att.json" || fail "attendee missing in ctl: $(cat "$WORK/att.json")"
grep -q '"password"' "$WORK/att.json" && fail "ctl output shows a password"
grep -q "$PASSWORD" "$WORK/sharer.err" && fail "password leaked to stderr"
kill "$V1"
sharer_has 'attendee-disconnected id=1 name=alice reason=client' || fail "no disconnect line"
log "ok"
