#!/bin/bash
# Virtual channels end to end (rdpshare --channel, rdpview --channel): data
# goes only to attendees with access and only theirs reaches the sharer;
# revoking access stops both ways at once; a message of the maximum size
# goes through (binary mode), names and sizes over the limits are errors;
# join and leave are events.
. "$(dirname "$0")/lib.sh"
start_demo_sharer --demo --password pw --channel chat
ch_viewer() { # NAME [ARGS]: rdpview on the channel, stdin from a fifo
	local name=$1
	shift
	mkfifo "$WORK/$name.in"
	"$BIN/rdpview" --headless --seconds 60 --name "$name" --password pw --channel chat "$@" \
		"$CONNSTR" <"$WORK/$name.in" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	track $!
	eval "exec {FD_$name}>\"$WORK/$name.in\""
}
ch_viewer ann # ids follow the order of joining: ann 1, bob 2, cat 3
sharer_has 'channel-joined channel=chat id=1' || fail "ann did not join the channel"
ch_viewer bob
sharer_has 'channel-joined channel=chat id=2' || fail "bob did not join the channel"

# access: only ann
ctl channel-access chat 1 sendreceive | grep -q '"ok":true' || fail "channel-access"
ctl channel-send chat all "to-all-1" | grep -q '"ok":true' || fail "channel-send all"
wait_for 10 grep -q '^to-all-1$' "$WORK/ann.out" || fail "ann did not get the message"
ctl channel-send chat 2 "to-bob" | grep -q '"ok":false' || fail "a send to bob (no access) was accepted"
echo "from-ann" >&$FD_ann
echo "from-bob" >&$FD_bob
sharer_has 'channel-data channel=chat id=1 data=from-ann' || fail "ann's message did not arrive"
sleep 1
grep -q 'channel-data channel=chat id=2' "$WORK/sharer.out" && fail "bob's message passed without access"
[ -s "$WORK/bob.out" ] && fail "bob got data without access: $(cat "$WORK/bob.out")"
ctl attendees | grep -o '"id":2,[^}]*' | grep -q '"channel_dropped":1' || fail "bob's message not counted as dropped"

# revoke ann: nothing either way any more
ctl channel-access chat 1 none >/dev/null || fail "revoke"
ctl channel-send chat all "after-revoke" >/dev/null
echo "ann-after-revoke" >&$FD_ann
sleep 1.5
grep -q 'after-revoke' "$WORK/ann.out" && fail "data reached ann after the revoke"
grep -q 'ann-after-revoke' "$WORK/sharer.out" && fail "ann's data passed after the revoke"

# maximum size, binary framing, and one byte over
ch_viewer cat --binary
sharer_has 'channel-joined channel=chat id=3' || fail "cat did not join"
ctl channel-access chat 3 sendreceive >/dev/null
big=$(head -c 1024 /dev/zero | tr '\0' 'x')
ctl channel-send chat 3 "$big" | grep -q '"ok":true' || fail "a 1024-byte message was refused"
ctl channel-send chat 3 "${big}y" | grep -q '"ok":false' || fail "a 1025-byte message was accepted"
wait_for 10 sh -c "[ \$(stat -c %s '$WORK/cat.out') -ge 1028 ]" || fail "binary message not received"
head -c 4 "$WORK/cat.out" | od -An -tx1 | grep -q '00 00 04 00' || fail "bad length prefix"

# leaving is an event
exec {FD_bob}>&-
pkill -f -- "--name bob --password pw --channel chat" || true
sharer_has 'channel-left channel=chat id=2' || fail "no channel-left for bob"

# examples/echo_channel: the API example echoes what a viewer sends
mkdir -m 700 "$WORK/run4"
XDG_RUNTIME_DIR="$WORK/run4" "$BIN/examples/echo_channel" echopw --demo 127.0.0.1:0 \
	>"$WORK/echo.out" 2>&1 &
track $!
wait_for 20 grep -q '^connection-string: ' "$WORK/echo.out" || fail "echo_channel did not start"
ECS=$(sed -n 's/^connection-string: //p' "$WORK/echo.out")
# the echo is awaited up to 20 s (a loaded CI machine), then the viewer is stopped
echo ping-echo | "$BIN/rdpview" --headless --seconds 20 --name echoer --password echopw \
	--channel echo "$ECS" >"$WORK/echoer.out" 2>"$WORK/echoer.err" &
ECHOER=$!
track $ECHOER
wait_for 20 grep -q '^ping-echo$' "$WORK/echoer.out" ||
	fail "echo_channel did not echo: $(cat "$WORK/echoer.err"); it printed: $(cat "$WORK/echo.out")"
kill $ECHOER 2>/dev/null
grep -q 'echoer says ping-echo' "$WORK/echo.out" || fail "echo_channel did not see the message"

# names over the limit are errors
mkdir -m 700 "$WORK/run3"
XDG_RUNTIME_DIR="$WORK/run3" "$BIN/rdpshare" --demo --listen 127.0.0.1:0 --channel eightchr \
	</dev/null >/dev/null 2>"$WORK/long.err"
[ $? != 0 ] && grep -q -- '--channel' "$WORK/long.err" || fail "an 8-character channel name was accepted"
"$BIN/rdpview" --password pw --channel eightchr 127.0.0.1:1 2>/dev/null
[ $? = 2 ] || fail "rdpview accepted an 8-character channel name"
log "ok"
