#!/bin/bash
# Viewers over sockets the sharer did not accept. Reverse connect: rdpview
# --listen prints a connection string, `rdpshare --connect-to` dials it and
# the viewer logs on with the password as usual (a wrong one is refused,
# nobody listening raises connection-failed). Transport stream: a program
# hands its own socket to rdpshare_session_connect_using_transport.
. "$(dirname "$0")/lib.sh"
listen_viewer() { # NAME PASSWORD: rdpview --listen in the background, its string in LCS
	"$BIN/rdpview" --listen 127.0.0.1:0 --headless --name "$1" --password "$2" --frames 1 \
		--seconds 30 --stats >"$WORK/$1.out" 2>"$WORK/$1.err" &
	eval "PID_$1=$!"
	track $!
	wait_for 10 grep -q '^connection-string: ' "$WORK/$1.out" || fail "rdpview --listen printed nothing"
	LCS=$(sed -n 's/^connection-string: //p' "$WORK/$1.out")
}
listen_viewer rev pw
case "$LCS" in '<E><A/><C>'*) ;; *) fail "not a reverse-connect string: $LCS" ;; esac
start_demo_sharer --demo --password pw --connect-to "$LCS"
sharer_has 'attendee-connected id=1 name=rev' || fail "reverse viewer not admitted"
wait "$PID_rev" || fail "reverse viewer exit $?: $(cat "$WORK/rev.err")"
grep -q '"frames":[1-9]' "$WORK/rev.out" || fail "no picture over the reverse connection"
stop_sharer || fail "sharer did not stop"

listen_viewer bad wrong
start_demo_sharer --demo --password pw --connect-to "$LCS"
sharer_has 'attendee-refused reason=bad-password name=bad' || fail "wrong password not refused"
wait "$PID_bad"
[ $? = 4 ] || fail "reverse viewer with a wrong password did not exit 4"
stop_sharer || fail "sharer did not stop"

dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_demo_sharer --demo --password pw --connect-to "<E><A/><C><T ID=\"1\" SID=\"0\"><L P=\"$dead\" N=\"127.0.0.1\"/></T></C></E>"
sharer_has "connection-failed could not reach the viewer: 127.0.0.1:$dead" || fail "no connection-failed"
stop_sharer || fail "sharer did not stop"
"$BIN/rdpshare" --demo --listen 127.0.0.1:0 --ctl-socket "$WORK/c2.sock" --connect-to garbage \
	</dev/null >/dev/null 2>"$WORK/garbage.err"
[ $? != 0 ] && grep -q 'not a connection string' "$WORK/garbage.err" || fail "garbage --connect-to accepted"

# transport stream: the program's own socket
"$BIN/tests/transport_relay" s3cret >"$WORK/relay.out" 2>"$WORK/relay.err" &
RELAY=$!
track $RELAY
wait_for 10 grep -q '^port: ' "$WORK/relay.out" || fail "relay not ready: $(cat "$WORK/relay.err")"
RPORT=$(sed -n 's/^port: //p' "$WORK/relay.out")
"$BIN/rdpview" --headless --name piped --password s3cret --frames 1 --seconds 20 --stats \
	127.0.0.1:$RPORT >"$WORK/piped.json" 2>"$WORK/piped.err" || fail "transport viewer failed"
grep -q '"frames":[1-9]' "$WORK/piped.json" || fail "no picture over the transport"
wait $RELAY || fail "relay exit $?"
grep -q '^connected piped' "$WORK/relay.out" || fail "relay saw no attendee"
log "ok"
