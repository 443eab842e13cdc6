#!/bin/bash
# rdpview end to end: the window shows the sharer's picture with the level
# in its title; an invitation file and HOST:PORT work as targets; addresses
# are tried in order (a dead first one is skipped); a certificate that does
# not match the invitation's KH is refused (exit 3) and a wrong password
# reported as refused (exit 4); --stats and --screenshot report what arrived.
# HOST:PORT is trust on first use: the key is recorded in the known-hosts
# file, and another sharer (another key) later at the same HOST:PORT is
# refused (exit 3) before the password is sent, unless --insecure.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_xvfb VIEW 800 600
start_pattern "$SHARED"
start_sharer --display "$SHARED" --invitation-file "$WORK/inv.msrcIncident" </dev/null
screenshot "$SHARED" "$WORK/shared.png"

# window mode
DISPLAY=$VIEW "$BIN/rdpview" --name win --password "$PASSWORD" "$CONNSTR" \
	>"$WORK/win.out" 2>&1 &
track $!
sharer_has 'attendee-connected id=1 name=win' || fail "window viewer not admitted"
wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" 0.02 20 || fail "window picture differs"
title=$(DISPLAY=$VIEW xdotool search --class rdpview getwindowname 2>/dev/null | head -n1)
log "window title: $title"
case "$title" in *view*) ;; *) fail "title does not show the level: $title" ;; esac

# headless: invitation file, stats, screenshot
"$BIN/rdpview" --headless --name file --password "$PASSWORD" --frames 1 --seconds 20 --stats \
	--screenshot "$WORK/shot.png" "$WORK/inv.msrcIncident" >"$WORK/stats.json" 2>"$WORK/file.err" ||
	fail "invitation file target failed: $(cat "$WORK/file.err")"
grep -q '"frames":[1-9]' "$WORK/stats.json" || fail "no frames in stats: $(cat "$WORK/stats.json")"
grep -q '"width":640,"height":480' "$WORK/stats.json" || fail "wrong size in stats"
same_picture "$WORK/shot.png" "$WORK/shared.png" 0.02 || fail "screenshot differs from the sharer"

# HOST:PORT with no pin: accepted on first use, the KH recorded; then again
KH=$(echo "$CONNSTR" | sed -n 's/.*KH="\([^"]*\)".*/\1/p')
KNOWN="$XDG_CONFIG_HOME/rdpview/known_hosts"
for n in plain again; do
	"$BIN/rdpview" --headless --name $n --password "$PASSWORD" --frames 1 --seconds 20 \
		127.0.0.1:$PORT >/dev/null 2>"$WORK/$n.err" || fail "HOST:PORT target failed: $(cat "$WORK/$n.err")"
done
grep -qxF "127.0.0.1:$PORT $KH" "$KNOWN" 2>/dev/null || fail "HOST:PORT's KH $KH not recorded in $KNOWN"
[ "$(wc -l <"$KNOWN")" = 1 ] || fail "recorded more than once: $(cat "$KNOWN")"
grep -q 'first use: recorded' "$WORK/plain.err" || fail "first use not reported"

# a dead first address is skipped
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
two="${CONNSTR/<L P=/<L P=\"$dead\" N=\"127.0.0.1\"/><L P=}"
"$BIN/rdpview" --headless --name second --password "$PASSWORD" --frames 1 --seconds 20 "$two" \
	>/dev/null 2>"$WORK/second.err" || fail "second address not tried: $(cat "$WORK/second.err")"

# a certificate that is not the invitation's
bad=$(echo "$CONNSTR" | sed 's/KH="[^"]*"/KH="AAAAAAAAAAAAAAAAAAAAAAAAAAA="/')
"$BIN/rdpview" --headless --name pin --password "$PASSWORD" --seconds 10 "$bad" \
	>/dev/null 2>"$WORK/pin.err"
rc=$?
[ $rc = 3 ] || fail "KH mismatch exit $rc, not 3: $(cat "$WORK/pin.err")"
grep -q 'not the sharer of this invitation' "$WORK/pin.err" || fail "KH mismatch not explained"
grep -q 'name=pin' "$WORK/sharer.out" && fail "a viewer with the wrong KH got as far as logging on"

# wrong password
"$BIN/rdpview" --headless --name eve --password nope --seconds 10 "$CONNSTR" \
	>/dev/null 2>"$WORK/eve.err"
rc=$?
[ $rc = 4 ] || fail "wrong password exit $rc, not 4"
sharer_has 'attendee-refused reason=bad-password name=eve' || fail "no refusal event"

# another sharer, with another key, at the same HOST:PORT: refused in the
# TLS handshake with the right password (the sharer sees no logon at all);
# --insecure connects and records nothing
stop_sharer || fail "sharer did not stop"
(
	unset DISPLAY
	exec "$BIN/rdpshare" --demo --listen 127.0.0.1:$PORT --config-dir "$WORK/other-key" \
		--password "$PASSWORD" --ctl-socket "$WORK/ctl2.sock"
) >"$WORK/sharer.out" 2>"$WORK/sharer.err" </dev/null &
SHARER_PID=$!
track $SHARER_PID
wait_for 20 grep -q '^ready' "$WORK/sharer.out" || fail "second sharer not ready on port $PORT"
grep -q "KH=\"$KH\"" "$WORK/sharer.out" && fail "the second sharer has the same key"
"$BIN/rdpview" --headless --name impostor --password "$PASSWORD" --seconds 10 127.0.0.1:$PORT \
	>/dev/null 2>"$WORK/changed.err"
rc=$?
[ $rc = 3 ] || fail "changed key exit $rc, not 3: $(cat "$WORK/changed.err")"
grep -q "another key than the one recorded in $KNOWN line 1" "$WORK/changed.err" ||
	fail "changed key not explained: $(cat "$WORK/changed.err")"
"$BIN/rdpview" --headless --insecure --name insecure --password "$PASSWORD" --frames 1 --seconds 20 \
	127.0.0.1:$PORT >/dev/null 2>"$WORK/insecure.err" || fail "--insecure failed: $(cat "$WORK/insecure.err")"
sharer_has 'attendee-connected id=1 name=insecure' || fail "--insecure viewer not admitted"
grep -q 'name=impostor' "$WORK/sharer.out" && fail "the password went to a sharer with a changed key"
[ "$(cat "$KNOWN")" = "127.0.0.1:$PORT $KH" ] || fail "known_hosts changed: $(cat "$KNOWN")"

# bad targets
"$BIN/rdpview" --password x --headless 'not a target' 2>/dev/null
[ $? = 2 ] || fail "a bad target was not a usage error"
"$BIN/rdpview" --password x --headless '<E><A ID="x"/></E>' 2>/dev/null
[ $? = 2 ] || fail "a malformed connection string was not a usage error"
log "ok"
