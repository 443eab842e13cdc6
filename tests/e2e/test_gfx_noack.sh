#!/bin/bash
# A pipeline viewer that suspends frame acknowledgements (xfreerdp3
# /gfx:frame-ack:off: one acknowledgement saying so, then none) keeps
# getting pictures, also after a re-activation (a colour-depth change
# re-creates its surface): nothing may wait for acknowledgements it will
# never send.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
start_pattern "$SHARED"
start_sharer --display "$SHARED" </dev/null
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:noack /p:"$PASSWORD" /gfx:AVC420,frame-ack:off
sharer_has 'attendee-connected id=1 name=noack' || fail "viewer not admitted"
screenshot "$SHARED" "$WORK/a.png"
wait_same_picture "$VIEW" 800x600 "$WORK/a.png" 0.02 20 || fail "first picture"
codec=$(ctl attendees | json_field codec)
[ "$codec" = avc420 ] || fail "codec '$codec', not avc420"
ctl color-depth 16 >/dev/null || fail "ctl color-depth 16"
wait_for 15 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json attendees | grep -q '\"color_depth\":16'" ||
	fail "not re-activated at 16 bpp"
ctl color-depth 32 >/dev/null || fail "ctl color-depth 32"
wait_for 15 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json attendees | grep -q '\"color_depth\":32'" ||
	fail "not re-activated at 32 bpp"
# several new pictures after the re-activations: each must arrive
for i in 1 2 3 4; do
	kill -USR1 "$PATTERN"
	sleep 0.5
	screenshot "$SHARED" "$WORK/p$i.png"
	wait_same_picture "$VIEW" 800x600 "$WORK/p$i.png" 0.02 15 || fail "picture $i never arrived"
done
log "ok"
