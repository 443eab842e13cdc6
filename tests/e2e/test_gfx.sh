#!/bin/bash
# The graphics pipeline end to end, with xfreerdp and rdpview as viewers:
# both get H.264 (codec avc420); a newcomer's first picture is exact and
# nobody else's picture changes when it joins; the picture ends pixel-exact
# (the lossless pass), closer than H.264 alone gets, after a still screen, after typing
# (small updates sent lossless at once, a terminal scrolling through H.264)
# and after a window drag; a viewer stopped for a while during the drag
# drops out of the H.264 group and comes back at a key frame while the
# others keep going; with rdpshare.GraphicsPipeline 0 a viewer that offers
# the pipeline gets bitmap updates instead.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 1024 768
start_xvfb VIEW 1100 850
start_pattern "$SHARED"
start_sharer --display "$SHARED" </dev/null
# H.264 alone leaves this picture about 0.002 (MAE) from the original; the
# lossless pass leaves nothing
EXACT=0.0003

viewer XF "$VIEW" /v:127.0.0.1:$PORT /u:xf /p:"$PASSWORD" /gfx:avc420
sharer_has 'attendee-connected id=1 name=xf' || fail "xfreerdp not admitted"
screenshot "$SHARED" "$WORK/still.png"
wait_same_picture "$VIEW" 1024x768 "$WORK/still.png" $EXACT 20 || fail "still picture not exact"
codec=$(ctl attendees | json_field codec)
[ "$codec" = avc420 ] || fail "xfreerdp got codec '$codec', not avc420"

# a newcomer's very first picture is already exact (key frame for its
# decoder, the picture itself lossless)
"$BIN/rdpview" --headless --gfx --name first --password "$PASSWORD" --frames 1 --seconds 20 \
	--screenshot "$WORK/first.png" "$CONNSTR" >/dev/null 2>"$WORK/first.err" ||
	fail "rdpview --frames 1 failed: $(cat "$WORK/first.err")"
same_picture "$WORK/first.png" "$WORK/still.png" $EXACT || fail "a newcomer's first picture is not exact"

# two rdpview viewers through the pipeline too
for n in a b; do # (ids 3 and 4)
	"$BIN/rdpview" --headless --gfx --name "rv$n" --password "$PASSWORD" --seconds 40 --stats \
		--screenshot "$WORK/rv$n.png" "$CONNSTR" >"$WORK/rv$n.out" 2>"$WORK/rv$n.err" &
	eval "RV_$n=\$!"
	track $!
done
sharer_has 'name=rva' || fail "rdpview a not admitted"
sharer_has 'name=rvb' || fail "rdpview b not admitted"
wait_for 15 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json attendees | grep -o avc420 | wc -l | grep -q 3" ||
	fail "not every viewer on avc420: $(ctl attendees)"
# their key frames fed xfreerdp's decoder but drew nothing there: still exact
# (before the lossless pass could have repaired a blur)
screenshot "$VIEW" "$WORK/after-join.png" 1024x768
same_picture "$WORK/after-join.png" "$WORK/still.png" $EXACT || fail "a join blurred xfreerdp's picture"

# typing: small updates (lossless at once), a scroll at each line's end (H.264)
DISPLAY=$SHARED "$BIN/tests/xwork" typing 40 >"$WORK/typing.log" 2>&1 &
TYPING=$!
track $TYPING
sleep 6
kill -STOP $TYPING
sleep 0.5
screenshot "$SHARED" "$WORK/typed.png"
wait_same_picture "$VIEW" 1024x768 "$WORK/typed.png" $EXACT 15 || fail "typed text not exact"
kill -9 $TYPING

# a window dragged at 30 moves a second; viewer b stopped for 3 s of it
DISPLAY=$SHARED "$BIN/tests/xwork" drag 30 >"$WORK/drag.log" 2>&1 &
DRAG=$!
track $DRAG
sleep 2
before=$(ctl attendees)
kill -STOP "$RV_b"
sleep 3
kill -CONT "$RV_b"
sleep 3
kill -STOP $DRAG
sleep 0.5
screenshot "$SHARED" "$WORK/dragged.png"
wait_same_picture "$VIEW" 1024x768 "$WORK/dragged.png" $EXACT 15 || fail "dragged window not exact"
after=$(ctl attendees)
frames() { # JSON NAME -> frames_sent of that attendee
	echo "$1" | python3 -c 'import json,sys; print([a["frames_sent"] for a in json.load(sys.stdin)["attendees"] if a["name"] == sys.argv[1]][0])' "$2"
}
skipped() {
	echo "$1" | python3 -c 'import json,sys; print([a["frames_skipped"] for a in json.load(sys.stdin)["attendees"] if a["name"] == sys.argv[1]][0])' "$2"
}
got_a=$(($(frames "$after" rva) - $(frames "$before" rva)))
got_b=$(($(frames "$after" rvb) - $(frames "$before" rvb)))
log "during the drag: rva got $got_a frames, rvb (stopped 3 s of 6) $got_b, rvb skipped $(skipped "$after" rvb)"
[ "$got_a" -ge 60 ] || fail "the running viewer got only $got_a frames in 6 s of drag"
[ "$(skipped "$after" rvb)" -gt 0 ] || fail "the stopped viewer skipped nothing"
[ "$got_b" -gt 0 ] || fail "the stopped viewer got nothing after it came back"

# both rdpview pictures end exact too (they leave at 40 s and save them)
wait "$RV_a" || fail "rdpview a failed: $(cat "$WORK/rva.err")"
wait "$RV_b" || fail "rdpview b failed: $(cat "$WORK/rvb.err")"
same_picture "$WORK/rva.png" "$WORK/dragged.png" $EXACT || fail "rdpview a's picture not exact"
same_picture "$WORK/rvb.png" "$WORK/dragged.png" $EXACT || fail "rdpview b's picture not exact"
kill -9 $DRAG
sleep 0.5
screenshot "$SHARED" "$WORK/after.png" # the dragged window is gone

# the pipeline switched off: bitmap updates for the next viewer
ctl set rdpshare.GraphicsPipeline 0 >/dev/null || fail "cannot set the property"
"$BIN/rdpview" --headless --gfx --name off --password "$PASSWORD" --seconds 4 \
	--screenshot "$WORK/off.png" "$CONNSTR" >/dev/null 2>"$WORK/off.err" &
OFF=$!
track $OFF
sleep 3
codec=$(ctl attendees | python3 -c 'import json,sys; print([a["codec"] for a in json.load(sys.stdin)["attendees"] if a["name"] == "off"][0])')
[ "$codec" = remotefx ] || fail "with the pipeline off the viewer got '$codec'"
wait $OFF || fail "viewer without the pipeline failed"
same_picture "$WORK/off.png" "$WORK/after.png" 0.02 || fail "picture without the pipeline differs"
log "ok"
