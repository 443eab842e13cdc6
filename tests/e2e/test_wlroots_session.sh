#!/bin/bash
# The session's calls behave on sway as on X11: pause sends nothing while the
# screen changes and resume shows the new picture; an output resize reaches
# the viewer (window and picture); the shared rectangle shows exactly that
# part of the desktop; a snapshot (the frame buffer) equals the compositor's
# own screenshot of it.
. "$(dirname "$0")/lib.sh"

start_sway 800 600
sway_client foot -o colors.background=204060 -e sh -c "printf '\\033[41m  red  \\033[42m  green  \\033[44m  blue  \\033[0m\\n'; sleep 600" >/dev/null
wait_for 10 sh -c "swaymsg -t get_tree | grep -q '\"app_id\": \"foot\"'" || fail "foot did not map"
sleep 1
start_sharer --password pw2
grep -q '^desktop: wlroots$' "$WORK/sharer.out" || fail "not sharing wlroots"
start_xvfb VD 1024 768
viewer V "$VD" /v:127.0.0.1:$PORT /u:pia /p:pw2
sharer_has 'attendee-connected id=1' || fail "viewer not admitted"
grim "$WORK/a.png"
wait_same_picture "$VD" 800x600 "$WORK/a.png" 0.004 20 || fail "no first picture"

# pause: a second window appears, nothing is sent; resume shows it
ctl pause >/dev/null || fail "ctl pause"
sharer_has graphics-paused || fail "no paused event"
sleep 0.5
before=$(ctl attendees | json_field frames_sent)
sway_client foot -o colors.background=c08020 -e sh -c "printf '\\033[45m  second window  \\033[0m\\n'; sleep 600" >/dev/null
wait_for 10 sh -c "[ \$(swaymsg -t get_tree | grep -c '\"app_id\": \"foot\"') = 2 ]" || fail "second foot did not map"
sleep 1.5
grim "$WORK/b.png"
after=$(ctl attendees | json_field frames_sent)
log "frames sent while paused: $before -> $after"
[ "$before" = "$after" ] || fail "frames were sent while paused"
screenshot "$VD" "$WORK/paused.png" 800x600
same_picture "$WORK/paused.png" "$WORK/a.png" 0.004 || fail "viewer changed while paused"
same_picture "$WORK/a.png" "$WORK/b.png" 0.05 && fail "the second window changed nothing (test broken)"
ctl resume >/dev/null || fail "ctl resume"
sharer_has graphics-resumed || fail "no resumed event"
wait_same_picture "$VD" 800x600 "$WORK/b.png" 0.004 20 || fail "no refresh after resume"

# the output grows: the viewer's desktop follows
vgeom() {
	DISPLAY=$VD xdotool search --class xfreerdp getwindowgeometry 2>/dev/null |
		sed -n 's/.*Geometry: //p' | head -n1
}
swaymsg output HEADLESS-1 resolution 1024x700 >/dev/null || fail "swaymsg resolution"
wait_for 20 sh -c "[ \"\$(DISPLAY=$VD xdotool search --class xfreerdp getwindowgeometry 2>/dev/null | sed -n 's/.*Geometry: //p' | head -n1)\" = 1024x700 ]" ||
	fail "viewer window is $(vgeom), not 1024x700 after the output resize"
sleep 1
grim "$WORK/c.png"
wait_same_picture "$VD" 1024x700 "$WORK/c.png" 0.004 20 || fail "viewer picture after the resize"

# the shared rect, and the frame buffer
ctl rect 100,50,320,240 >/dev/null || fail "ctl rect"
sharer_has 'shared-rect 100,50,320,240' || fail "no shared-rect event"
convert "$WORK/c.png" -crop 320x240+100+50 +repage "$WORK/c-rect.png"
wait_same_picture "$VD" 320x240 "$WORK/c-rect.png" 0.004 20 || fail "rect not shown"
[ "$(vgeom)" = 320x240 ] || fail "viewer window is $(vgeom), not 320x240"
ctl snapshot "$WORK/snap.png" | grep -q '"ok":true' || fail "ctl snapshot"
same_picture "$WORK/snap.png" "$WORK/c-rect.png" 0.004 || fail "snapshot differs from grim"
ctl rect 0,0,1100,700 | grep -q '"ok":false' || fail "a rect outside the desktop was accepted"
log "ok"
