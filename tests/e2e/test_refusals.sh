#!/bin/bash
# Who may not join: a wrong password, a full invitation, a revoked one — each
# refused before any picture, with an event saying why; the sharer keeps
# serving the viewer already connected.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_xvfb VIEW1 800 600
start_xvfb VIEW2 800 600
start_sharer --display "$SHARED" --password s3cret --limit 1
grep -q s3cret "$WORK/sharer.out" "$WORK/sharer.err" && fail "given password was echoed"

# wrong password: refused, the client gives up with an error
DISPLAY=$VIEW1 timeout 30 xfreerdp3 /cert:ignore /log-level:ERROR /v:127.0.0.1:$PORT /u:mallory \
	/p:guess >"$WORK/mallory.log" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "xfreerdp with a wrong password exited $rc"
# the client is told why (Set Error Info PDU), not just cut off
grep -q ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES "$WORK/mallory.log" ||
	fail "wrong password: client not told why"
sharer_has 'attendee-refused reason=bad-password name=mallory' || fail "no bad-password event"
grep -q 'attendee-connected' "$WORK/sharer.out" && fail "wrong password was admitted"

# the first viewer fills the limit of 1
viewer V1 "$VIEW1" /v:127.0.0.1:$PORT /u:one /p:s3cret
sharer_has 'attendee-connected id=[0-9]* name=one' || fail "first viewer not admitted"
DISPLAY=$VIEW2 timeout 30 xfreerdp3 /cert:ignore /log-level:ERROR /v:127.0.0.1:$PORT /u:two \
	/p:s3cret >"$WORK/two.log" 2>&1
sharer_has 'attendee-refused reason=limit name=two' || fail "no limit refusal"
grep -q ERRINFO_SERVER_DENIED_CONNECTION "$WORK/two.log" || fail "limit: client not told why"

# raise the limit, revoke: still refused (revoked), the first stays
ctl limit 0 2 >/dev/null || fail "ctl limit"
ctl revoke 0 >/dev/null || fail "ctl revoke"
DISPLAY=$VIEW2 timeout 30 xfreerdp3 /cert:ignore /log-level:OFF /v:127.0.0.1:$PORT /u:three \
	/p:s3cret >/dev/null 2>&1
sharer_has 'attendee-refused reason=revoked name=three' || fail "no revoked refusal"
kill -0 "$V1" 2>/dev/null || fail "the connected viewer was dropped"
n=$(ctl attendees | grep -o '"id":' | wc -l)
[ "$n" = 1 ] || fail "expected 1 attendee, got $n"

# a new invitation lets the next one in
ctl invite --password other --limit 1 >"$WORK/inv.json" || fail "ctl invite"
grep -q '"password"' "$WORK/inv.json" && fail "ctl invite echoed a chosen password"
viewer V2 "$VIEW2" /v:127.0.0.1:$PORT /u:four /p:other
sharer_has 'attendee-connected id=[0-9]* name=four' || fail "new invitation did not admit"

# the sharer removes someone: reason sharer
ctl kick 1 >/dev/null || fail "ctl kick"
sharer_has 'attendee-disconnected id=1 name=one reason=sharer' || fail "no kick event"
wait_for 10 grep -q ERRINFO_RPC_INITIATED_DISCONNECT "$WORK/viewer-$VIEW1.log" ||
	fail "kicked viewer not told the sharer disconnected it"
log "ok"
