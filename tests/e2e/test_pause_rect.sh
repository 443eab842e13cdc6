#!/bin/bash
# Pause: nothing more is sent while the screen changes; resume: a full
# refresh shows the new picture. Shared rect: the viewer sees exactly it.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
start_pattern "$SHARED"
start_sharer --display "$SHARED"
screenshot "$SHARED" "$WORK/a.png"
viewer V1 "$VIEW" /v:127.0.0.1:$PORT /u:pat /p:"$PASSWORD"
wait_same_picture "$VIEW" 800x600 "$WORK/a.png" 0.02 20 || fail "no first picture"

ctl pause >/dev/null || fail "ctl pause"
sharer_has graphics-paused || fail "no paused event"
sleep 0.5
before=$(ctl attendees | json_field frames_sent)
kill -USR1 $PATTERN
wait_for 10 grep -q "drawn B" "$WORK/pattern.log" || fail "pattern B did not draw"
screenshot "$SHARED" "$WORK/b.png"
sleep 2
after=$(ctl attendees | json_field frames_sent)
log "frames sent while paused: $before -> $after"
[ "$before" = "$after" ] || fail "frames were sent while paused"
screenshot "$VIEW" "$WORK/paused.png" 800x600
same_picture "$WORK/paused.png" "$WORK/a.png" 0.02 || fail "viewer changed while paused"

ctl resume >/dev/null || fail "ctl resume"
sharer_has graphics-resumed || fail "no resumed event"
wait_same_picture "$VIEW" 800x600 "$WORK/b.png" 0.02 20 || fail "no refresh after resume"

# shared rect: a 320x240 window onto the desktop, changed while connected
ctl rect 100,50,320,240 >/dev/null || fail "ctl rect"
sharer_has 'shared-rect 100,50,320,240' || fail "no shared-rect event"
convert "$WORK/b.png" -crop 320x240+100+50 +repage "$WORK/b-rect.png"
wait_same_picture "$VIEW" 320x240 "$WORK/b-rect.png" 0.02 20 || fail "rect not shown"
# the viewer's desktop is exactly the rect: its window shrank to it
geom=$(DISPLAY=$VIEW xdotool search --class xfreerdp getwindowgeometry 2>/dev/null |
	sed -n 's/.*Geometry: //p' | head -n1)
log "viewer window: $geom"
[ "$geom" = 320x240 ] || fail "viewer window is $geom, not 320x240"
ctl rect 0,0,900,600 | grep -q '"ok":false' || fail "a rect outside the desktop was accepted"
log "ok"
