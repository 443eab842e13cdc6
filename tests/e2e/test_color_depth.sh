#!/bin/bash
# Colour depths are honoured on the wire: each viewer negotiates the
# sharer's depth and sees the picture (within the depth's precision).
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_xvfb VIEW 800 600
DISPLAY=$SHARED "$BIN/tests/xpattern" >"$WORK/pattern.log" 2>&1 &
track $!
wait_for 10 grep -q drawn "$WORK/pattern.log" || fail "pattern did not draw"
start_sharer --display "$SHARED" --color-depth 16
screenshot "$SHARED" "$WORK/shared.png"
for depth in 16 24 8 15 32; do
	ctl color-depth $depth >/dev/null || fail "ctl color-depth $depth"
	viewer V "$VIEW" /v:127.0.0.1:$PORT /u:d$depth /p:"$PASSWORD"
	sharer_has "attendee-connected id=[0-9]* name=d$depth" || fail "depth $depth: not admitted"
	max=0.02
	[ $depth = 8 ] && max=0.06
	wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" $max 20 || fail "depth $depth differs"
	got=$(ctl attendees | json_field color_depth)
	log "depth $depth: negotiated $got, codec $(ctl attendees | json_field codec)"
	[ "$got" = $depth ] || fail "negotiated $got instead of $depth"
	kill "$V"
	sharer_has "attendee-disconnected id=[0-9]* name=d$depth" || fail "depth $depth: no leave"
done
log "ok"
