#!/bin/bash
# The session's calls behave on GNOME as on X11: a still screen costs
# (almost) nothing; pause sends nothing while the picture changes and resume
# shows the new one; the shared rectangle shows exactly that part; a
# snapshot (the frame buffer) equals the known picture there; the colour
# depth can be lowered for new viewers.
. "$(dirname "$0")/lib.sh"
unset DISPLAY
start_mutter 640 480
start_wlpattern
start_sharer --password pw4
grep -q '^desktop: gnome$' "$WORK/sharer.out" || fail "not sharing gnome"
pattern_png 640 480 "$WORK/p1.png"
pattern_png 640 480 "$WORK/p2.png" box
start_xvfb VD 1024 768
viewer V "$VD" /v:127.0.0.1:$PORT /u:pia /p:pw4
sharer_has 'attendee-connected id=1' || fail "viewer not admitted"
wait_same_picture "$VD" 640x480 "$WORK/p1.png" 0.004 20 || fail "no first picture"

# a still screen costs (almost) nothing: CPU of the sharer over 5 s
ticks() { awk '{ print $14 + $15 }' "/proc/$SHARER_PID/stat"; }
sleep 2
t0=$(ticks)
sleep 5
t1=$(ticks)
pct=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) * 100 / hz / 5 }')
log "still screen: sharer used $pct % of a core"
awk -v p="$pct" 'BEGIN { exit !(p < 0.5) }' || fail "a still screen costs $pct % of a core"

# pause: the picture changes, nothing is sent; resume shows it
ctl pause >/dev/null || fail "ctl pause"
sharer_has graphics-paused || fail "no paused event"
sleep 0.5
before=$(ctl attendees | json_field frames_sent)
kill -USR1 "$WLPATTERN"
wait_for 10 grep -q '^drawn2' "$WORK/wlpattern.log" || fail "the second picture was not drawn"
sleep 1.5
after=$(ctl attendees | json_field frames_sent)
log "frames sent while paused: $before -> $after"
[ "$before" = "$after" ] || fail "frames were sent while paused"
screenshot "$VD" "$WORK/paused.png" 640x480
same_picture "$WORK/paused.png" "$WORK/p1.png" 0.004 || fail "viewer changed while paused"
ctl resume >/dev/null || fail "ctl resume"
sharer_has graphics-resumed || fail "no resumed event"
wait_same_picture "$VD" 640x480 "$WORK/p2.png" 0.004 20 || fail "no refresh after resume"

# the shared rect, and the frame buffer
ctl rect 100,50,320,240 >/dev/null || fail "ctl rect"
sharer_has 'shared-rect 100,50,320,240' || fail "no shared-rect event"
convert "$WORK/p2.png" -crop 320x240+100+50 +repage "$WORK/p2-rect.png"
wait_same_picture "$VD" 320x240 "$WORK/p2-rect.png" 0.004 20 || fail "rect not shown"
ctl snapshot "$WORK/snap.png" | grep -q '"ok":true' || fail "ctl snapshot"
same_picture "$WORK/snap.png" "$WORK/p2-rect.png" 0.0001 || fail "snapshot differs from the pattern"
ctl rect 0,0,700,480 | grep -q '"ok":false' || fail "a rect outside the desktop was accepted"
log "ok"
