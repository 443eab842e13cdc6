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
ctl grant 4 >/dev/null || fail "ctl grant"
has cat '"event":"control_response","level":"interactive","reason":0' || fail "no grant response"
has cat '"id":4,"name":"cat","level":"interactive","self":true' || fail "cat not raised"

# deny: a response, the level stays
"$BIN/rdpview" --headless --events --seconds 120 --name dan --password "$PASSWORD" \
	--request-control interactive "$CONNSTR" >"$WORK/dan.events" 2>&1 &
track $!
sharer_has 'control-request id=5 name=dan' || fail "no request from dan"
ctl deny 5 >/dev/null || fail "ctl deny"
has dan '"event":"control_response","level":"interactive","reason":1' || fail "no deny response"
sleep 1
grep -q '"id":5,"name":"dan","level":"interactive"' "$WORK/dan.events" && fail "deny raised the level"

# the sharer removes bob: others are told it was the sharer (type 0)
ctl kick 2 >/dev/null || fail "ctl kick"
has ann '"event":"participant_removed","id":2,"type":0' || fail "bob's removal not told as app"
wait "$PID_bob"
[ $? = 5 ] || fail "rdpview did not exit 5 when removed by the sharer"
log "ok"
