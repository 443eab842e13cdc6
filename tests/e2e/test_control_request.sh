#!/bin/bash
# Asking for control: `xfreerdp FILE /assistance:PW /auto-request-control`
# asks on the multiparty channel; the sharer (--on-request ask) shows the
# request and waits; `ctl grant` makes the viewer INTERACTIVE and its input
# arrives; `ctl deny` leaves another viewer at VIEW, its input dropped.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW1 1024 768
start_xvfb VIEW2 1024 768
DISPLAY=$SHARED "$BIN/tests/xinputlog" >"$WORK/input.log" 2>&1 &
track $!
wait_for 10 grep -q ready "$WORK/input.log" || fail "input logger did not start"
start_sharer --display "$SHARED" --invitation-file "$WORK/inv.msrcIncident" </dev/null
FILE="$WORK/inv.msrcIncident"

viewer V1 "$VIEW1" "$FILE" /assistance:"$PASSWORD" /auto-request-control /u:asker
sharer_has 'attendee-connected id=1 name=asker .*level=view' || fail "first viewer not admitted"
sharer_has 'control-request id=1 name=asker level=interactive policy=ask' ||
	fail "no control request from xfreerdp /auto-request-control"
ctl attendees | grep -q '"level":"view"' || fail "a request changed the level by itself"
ctl requests | grep -q '{"id":1,"level":"interactive"}' || fail "request not pending"
ctl grant 1 | grep -q '"ok":true' || fail "ctl grant"
sharer_has 'attendee-update id=1 level=interactive' || fail "grant did not raise the level"
ctl requests | grep -q '"requests":\[\]' || fail "granted request still pending"
sleep 1
kill -0 "$V1" 2>/dev/null || fail "the granted viewer was disconnected"
W1=$(DISPLAY=$VIEW1 xdotool search --class xfreerdp | head -n1)
DISPLAY=$VIEW1 xdotool windowfocus --sync "$W1" type --delay 50 ok
wait_for 10 grep -q '^key-press k$' "$WORK/input.log" || fail "granted viewer's keys did not arrive"

viewer V2 "$VIEW2" "$FILE" /assistance:"$PASSWORD" /auto-request-control /u:other
sharer_has 'control-request id=2 name=other level=interactive' || fail "no second request"
ctl deny 2 | grep -q '"ok":true' || fail "ctl deny"
sleep 1
kill -0 "$V2" 2>/dev/null || fail "the denied viewer was disconnected"
ctl attendees | grep -o '"id":2,[^}]*' | grep -q '"level":"view"' || fail "denied viewer not at view"
before=$(wc -l <"$WORK/input.log")
W2=$(DISPLAY=$VIEW2 xdotool search --class xfreerdp | head -n1)
DISPLAY=$VIEW2 xdotool windowfocus --sync "$W2" type --delay 50 no
sleep 1.5
[ "$(wc -l <"$WORK/input.log")" = "$before" ] || fail "denied viewer's input arrived"
ctl grant 2 | grep -q 'no pending request' || fail "a denied request could be granted later"
log "ok"
