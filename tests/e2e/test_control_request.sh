#!/bin/bash
# Asking for control: `xfreerdp FILE /assistance:PW /auto-request-control`
# asks on the multiparty channel; the sharer (--on-request ask) shows the
# request and waits; `ctl grant` makes the viewer INTERACTIVE and its input
# arrives; `ctl deny` leaves another viewer at VIEW, its input dropped. A
# request keeps the level it was shown with: a newer one for another level
# withdraws it, and granting the withdrawn one is refused.
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
ctl requests | grep -q '{"id":1,"level":"interactive"[,}]' || fail "request not pending"
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

# A request never changes: ann (rdpview, id 3) asks for VIEW, then for
# INTERACTIVE. The second is a new request shown anew; the first is
# withdrawn, and granting it is refused rather than granting INTERACTIVE.
# Then asking VIEW again and having it granted gives exactly VIEW.
printf '%s\n' "2000 request view" "8000 request interactive" "20000 request view" \
	"60000 quit" >"$WORK/ann.script"
"$BIN/rdpview" --headless --seconds 90 --name ann --password "$PASSWORD" \
	--input-script "$WORK/ann.script" "$CONNSTR" >"$WORK/ann.out" 2>&1 &
track $!
sharer_has 'attendee-connected id=3 name=ann' || fail "ann not admitted"
# the request id of ann's LEVEL request (an old sharer printed none: its
# grant took the attendee id)
req_of() {
	local r
	r=$(sed -n "s/^control-request id=3 name=ann level=$1 .*request=\([0-9]*\).*/\1/p" \
		"$WORK/sharer.out" | sed -n "${2:-1}p")
	echo "${r:-3}"
}
level_of_ann() { ctl attendees | grep -o '"id":3,[^}]*' | json_field level; }
sharer_has 'control-request id=3 name=ann level=view' || fail "no VIEW request from ann"
R1=$(req_of view)
ctl requests | grep -q "{\"id\":$R1,\"level\":\"view\"" || fail "the VIEW request not listed"
# (its script runs from its first picture on, so only now may ann drop to NONE)
ctl level 3 none | grep -q '"ok":true' || fail "ctl level 3 none"
sharer_has 'control-request id=3 name=ann level=interactive' || fail "no INTERACTIVE request"
R2=$(req_of interactive)
reply=$(ctl grant "$R1")
log "grant of the withdrawn VIEW request $R1: $reply"
[ "$(level_of_ann)" = none ] ||
	fail "granting the VIEW request $R1 made ann $(level_of_ann)"
echo "$reply" | grep -q "withdrawn.*interactive.*request $R2" ||
	fail "no clear refusal for the withdrawn request: $reply"
[ "$R2" != "$R1" ] || fail "the INTERACTIVE request has the VIEW request's id $R1"
sharer_has "control-request-withdrawn request=$R1 id=3 by=$R2" || fail "request $R1 not withdrawn"
ctl requests | grep -q "{\"id\":$R2,\"level\":\"interactive\"" || fail "request $R2 not listed"
ctl requests | grep -q "{\"id\":$R1," && fail "the withdrawn request $R1 is still listed"
ctl deny "$R2" | grep -q '"ok":true' || fail "ctl deny $R2"
wait_for 15 sh -c "[ \$(grep -c '^control-request id=3 name=ann level=view' \
	'$WORK/sharer.out') -ge 2 ]" || fail "no second VIEW request"
R3=$(req_of view 2)
ctl grant "$R3" | grep -q '"ok":true' || fail "ctl grant $R3"
[ "$(level_of_ann)" = view ] || fail "granting the VIEW request $R3 made ann $(level_of_ann)"
log "ok"
