#!/bin/bash
# The multiparty channel with two rdpview viewers: each sees both
# participants (itself marked), level changes, pause and resume, and the
# other one leaving with the right disconnection type. A viewer asks for
# control (ask -> grant -> response; ask -> deny -> response, level kept);
# hostile PDUs change nothing: a level request about another attendee raises
# nothing, one about itself is only a request, malformed bytes are dropped
# and the viewer stays connected.
. "$(dirname "$0")/lib.sh"
start_sharer --demo </dev/null
watch_viewer() { # NAME: headless rdpview printing multiparty events, in the background
	"$BIN/rdpview" --headless --events --seconds 120 --name "$1" --password "$PASSWORD" \
		"$CONNSTR" >"$WORK/$1.events" 2>"$WORK/$1.err" &
	track $!
	eval "PID_$1=$!"
}
has() { wait_for "${3:-15}" grep -q -- "$2" "$WORK/$1.events"; }

watch_viewer ann
has ann '"id":1,"name":"ann","level":"view","self":true' || fail "ann does not see herself"
watch_viewer bob
has bob '"id":2,"name":"bob","level":"view","self":true' || fail "bob does not see himself"
has bob '"id":1,"name":"ann","level":"view","self":false' || fail "bob does not see ann"
has ann '"id":2,"name":"bob","level":"view","self":false' || fail "ann does not see bob"

ctl level 2 interactive >/dev/null || fail "ctl level"
has ann '"id":2,"name":"bob","level":"interactive","self":false' || fail "ann not told of bob's level"
has bob '"id":2,"name":"bob","level":"interactive","self":true' || fail "bob not told of his level"
ctl pause >/dev/null && has ann '"event":"paused"' && has bob '"event":"paused"' ||
	fail "pause not told"
ctl resume >/dev/null && has ann '"event":"resumed"' || fail "resume not told"

# hostile: ann asks to make bob (id 2) view-only, then sends garbage
"$BIN/rdpview" --headless --seconds 3 --name mallory --password "$PASSWORD" \
	--encomsp-send 09000a000100020000000900ffff "$CONNSTR" >/dev/null 2>"$WORK/mallory.err"
rc=$?
[ $rc = 0 ] || fail "a viewer sending hostile PDUs was dropped (exit $rc)"
sleep 1
grep -q 'control-request id=3' "$WORK/sharer.out" && fail "a request about another attendee raised an event"
ctl attendees | grep -o '"id":2,[^}]*' | grep -q '"level":"interactive"' ||
	fail "a viewer changed another attendee's level"
has ann '"id":3,"name":"mallory"' || fail "ann did not see mallory"
has ann '"event":"participant_removed","id":3,"type":2' || fail "mallory's leaving not told as client"

# asking for control: the sharer asks, grant -> response and level
"$BIN/rdpview" --headless --events --seconds 120 --name cat --password "$PASSWORD" \
	--request-control interactive "$CONNSTR" >"$WORK/cat.events" 2>&1 &
track $!
sharer_has 'control-request id=4 name=cat level=interactive policy=ask' || fail "no request from cat"
has cat '"id":4,"name":"cat","level":"view","self":true' || fail "cat not at view"
# ctl grant and deny take the request id the control-request line shows
req_of() { sed -n "s/^control-request id=$1 .*request=\([0-9]*\).*/\1/p" "$WORK/sharer.out" | tail -n1; }
ctl grant "$(req_of 4)" | grep -q '"ok":true' || fail "ctl grant"
has cat '"event":"control_response","level":"interactive","reason":0' || fail "no grant response"
has cat '"id":4,"name":"cat","level":"interactive","self":true' || fail "cat not raised"

# deny: a response, the level stays
"$BIN/rdpview" --headless --events --seconds 120 --name dan --password "$PASSWORD" \
	--request-control interactive "$CONNSTR" >"$WORK/dan.events" 2>&1 &
track $!
sharer_has 'control-request id=5 name=dan' || fail "no request from dan"
ctl deny "$(req_of 5)" | grep -q '"ok":true' || fail "ctl deny"
has dan '"event":"control_response","level":"interactive","reason":1' || fail "no deny response"
sleep 1
grep -q '"id":5,"name":"dan","level":"interactive"' "$WORK/dan.events" && fail "deny raised the level"

# a flood of requests (300 in one message, levels alternating) reaches the
# sharer only a few times a second, and the viewer stays
flood=$(python3 -c 'print("".join("09000a00%s00000000" % ("0100" if i % 2 else "0200") for i in range(300)))')
"$BIN/rdpview" --headless --seconds 3 --name eve --password "$PASSWORD" \
	--encomsp-send "$flood" "$CONNSTR" >/dev/null 2>"$WORK/eve.err" ||
	fail "a viewer flooding requests was dropped: $(cat "$WORK/eve.err")"
sharer_has 'attendee-disconnected id=6 name=eve' || fail "eve did not leave"
n=$(grep -c '^control-request id=6 ' "$WORK/sharer.out")
log "requests shown of a flood of 300: $n"
[ "$n" -ge 1 ] && [ "$n" -le 12 ] || fail "a flood of 300 requests showed $n"

# the sharer removes bob: others are told it was the sharer (type 0)
ctl kick 2 >/dev/null || fail "ctl kick"
has ann '"event":"participant_removed","id":2,"type":0' || fail "bob's removal not told as app"
wait "$PID_bob"
[ $? = 5 ] || fail "rdpview did not exit 5 when removed by the sharer"
log "ok"
