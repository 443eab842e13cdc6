#!/bin/bash
# Viewers over sockets the sharer did not accept. Reverse connect: rdpview
# --listen prints a connection string, `rdpshare --connect-to` dials it and
# the viewer logs on with the password as usual (a wrong one is refused,
# nobody listening raises connection-failed). The caller must present the
# key rdpview was given (--kh or the sharer's invitation): without one
# rdpview will not listen, and a caller with another key is refused before
# the password is sent. Transport stream: a program hands its own socket to
# rdpshare_session_connect_using_transport.
. "$(dirname "$0")/lib.sh"
listen_viewer() { # NAME PASSWORD ARGS...: rdpview --listen in the background, its string in LCS
	local name=$1 pw=$2
	shift 2
	"$BIN/rdpview" --listen 127.0.0.1:0 --headless --name "$name" --password "$pw" --frames 1 \
		--seconds 30 --stats "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	eval "PID_$name=$!"
	track $!
	wait_for 10 grep -q '^connection-string: ' "$WORK/$name.out" || fail "rdpview --listen printed nothing"
	LCS=$(sed -n 's/^connection-string: //p' "$WORK/$name.out")
}
# no key to check the caller against: no listening at all
"$BIN/rdpview" --listen 127.0.0.1:0 --headless --password pw --seconds 5 \
	>"$WORK/nopin.out" 2>"$WORK/nopin.err"
rc=$?
[ $rc = 2 ] || fail "--listen without a pin exit $rc, not 2"
grep -q '^connection-string' "$WORK/nopin.out" && fail "--listen without a pin listened"
# the sharer's key and invitation, from a first run
start_demo_sharer --demo --password pw
SHARER_CS=$CONNSTR
KH=$(echo "$CONNSTR" | sed -n 's/.*KH="\([^"]*\)".*/\1/p')
stop_sharer || fail "sharer did not stop"

listen_viewer rev pw --kh "$KH"
case "$LCS" in '<E><A/><C>'*) ;; *) fail "not a reverse-connect string: $LCS" ;; esac
start_demo_sharer --demo --password pw --connect-to "$LCS"
sharer_has 'attendee-connected id=1 name=rev' || fail "reverse viewer not admitted"
wait "$PID_rev" || fail "reverse viewer exit $?: $(cat "$WORK/rev.err")"
grep -q '"frames":[1-9]' "$WORK/rev.out" || fail "no picture over the reverse connection"
stop_sharer || fail "sharer did not stop"

listen_viewer bad wrong "$SHARER_CS"
start_demo_sharer --demo --password pw --connect-to "$LCS"
sharer_has 'attendee-refused reason=bad-password name=bad' || fail "wrong password not refused"
wait "$PID_bad"
[ $? = 4 ] || fail "reverse viewer with a wrong password did not exit 4"
stop_sharer || fail "sharer did not stop"

# a caller with another key: refused in the TLS handshake (exit 3), the
# sharer sees no logon
listen_viewer imp pw --kh AAAAAAAAAAAAAAAAAAAAAAAAAAA=
start_demo_sharer --demo --password pw --connect-to "$LCS"
wait "$PID_imp"
rc=$?
[ $rc = 3 ] || fail "a caller with another key: exit $rc, not 3: $(cat "$WORK/imp.err")"
grep -q 'is not the sharer pinned by --kh' "$WORK/imp.err" || fail "mismatch not explained"
grep -q 'name=imp' "$WORK/sharer.out" && fail "the password went to a caller with another key"
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
