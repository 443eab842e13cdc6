#!/bin/bash
# rdpview end to end: the window shows the sharer's picture with the level
# in its title; an invitation file and HOST:PORT work as targets; addresses
# are tried in order (a dead first one is skipped); a certificate that does
# not match the invitation's KH is refused (exit 3) and a wrong password
# reported as refused (exit 4); --stats and --screenshot report what arrived.
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

# HOST:PORT (no KH: accepted, the KH printed)
"$BIN/rdpview" --headless --name plain --password "$PASSWORD" --frames 1 --seconds 20 \
	127.0.0.1:$PORT >/dev/null 2>"$WORK/plain.err" || fail "HOST:PORT target failed"
grep -q 'KH=' "$WORK/plain.err" || fail "HOST:PORT did not print the certificate's KH"

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

# bad targets
"$BIN/rdpview" --password x --headless 'not a target' 2>/dev/null
[ $? = 2 ] || fail "a bad target was not a usage error"
"$BIN/rdpview" --password x --headless '<E><A ID="x"/></E>' 2>/dev/null
[ $? = 2 ] || fail "a malformed connection string was not a usage error"
log "ok"
