#!/bin/bash
# Privacy: an attendee at level NONE gets no picture at all until promoted;
# a chosen password appears nowhere (sharer output and FreeRDP's own logs even
# at WLOG_LEVEL=TRACE, JSON events, every ctl reply, the viewers' output),
# neither does a wrong guess; and every file the sharer writes is 0600 in
# 0700 directories.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_pattern "$SHARED"
PW='Sekr1t-Pw-42'
GUESS='Wr0ng-Guess-17'
CFG=$WORK/certs # created by the sharer
WLOG_LEVEL=TRACE start_sharer --display "$SHARED" --password "$PW" --level none --json \
	--config-dir "$CFG" --invitation-file "$WORK/inv.msrcIncident" </dev/null

# a wrong guess, then a viewer at NONE: no pixel for 4 seconds
RDPVIEW_PASSWORD=$GUESS "$BIN/rdpview" --headless --frames 1 --seconds 10 "$CONNSTR" \
	>"$WORK/guess.out" 2>&1
[ $? = 4 ] || fail "a wrong password was not refused"
"$BIN/rdpview" --headless --stats --seconds 4 --name nobody --password "$PW" \
	--screenshot "$WORK/none.png" "$CONNSTR" >"$WORK/none.out" 2>&1 || fail "viewer failed"
frames=$(grep '"event":"stats"' "$WORK/none.out" | json_field frames)
log "frames a NONE attendee got: $frames"
[ "$frames" = 0 ] || fail "an attendee at NONE got $frames pictures"
if [ -e "$WORK/none.png" ]; then
	mean=$(convert "$WORK/none.png" -format '%[fx:mean]' info:)
	log "NONE screenshot mean: $mean"
	awk -v m="$mean" 'BEGIN { exit !(m < 0.001) }' || fail "the NONE viewer shows something"
fi

# promoted to VIEW, the same viewer sees the desktop
"$BIN/rdpview" --headless --stats --seconds 30 --frames 1 --name later --password "$PW" \
	"$CONNSTR" >"$WORK/later.out" 2>&1 &
LATER=$!
track $LATER
sharer_has '"event":"attendee_connected","id":2' || fail "second viewer not announced"
ctl level 2 view | grep -q '"ok":true' || fail "ctl level view"
wait $LATER || fail "the promoted viewer got no picture"
frames=$(grep '"event":"stats"' "$WORK/later.out" | json_field frames)
[ "$frames" -ge 1 ] || fail "promoted viewer got no frame"

# the password and the guess appear nowhere
for c in attendees invitations properties apps requests; do
	ctl "$c" >"$WORK/ctl-$c.out" 2>&1
done
ctl snapshot "$WORK/snap.png" >/dev/null || fail "snapshot"
for f in "$WORK"/sharer.out "$WORK"/sharer.err "$WORK"/ctl-*.out "$WORK"/*.out \
	"$WORK/inv.msrcIncident"; do
	if grep -q -e "$PW" -e "$GUESS" "$f"; then
		fail "a password leaked into $(basename "$f")"
	fi
done
lines=$(cat "$WORK/sharer.out" "$WORK/sharer.err" | wc -l)
log "checked $lines lines of sharer output at WLOG_LEVEL=TRACE"

# files 0600, directories 0700
mode() { stat -c %a "$1"; }
[ "$(mode "$WORK/inv.msrcIncident")" = 600 ] || fail "invitation file is $(mode "$WORK/inv.msrcIncident")"
[ "$(mode "$WORK/snap.png")" = 600 ] || fail "snapshot is $(mode "$WORK/snap.png")"
[ "$(mode "$CTL")" = 600 ] || fail "control socket is $(mode "$CTL")"
[ "$(mode "$CFG")" = 700 ] || fail "config dir is $(mode "$CFG")"
n=0
for f in "$CFG"/*; do
	[ "$(mode "$f")" = 600 ] || fail "$(basename "$f") is $(mode "$f")"
	n=$((n + 1))
done
[ $n -ge 2 ] || fail "no certificate and key in the config dir"
log "ok"
