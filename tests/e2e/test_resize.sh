#!/bin/bash
# The shared display changes size while viewers watch (Xephyr, whose screen
# follows its window; Xvfb cannot resize): the viewer's desktop takes the
# new size and shows the new picture; back again; the sharer carries on.
. "$(dirname "$0")/lib.sh"
start_xvfb HOST 1024 768
start_xvfb VIEW 1024 768
# a nested, resizable X server on a free display number
for n in $(shuf -i 100-899 -n 60); do
	[ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
	DISPLAY=$HOST Xephyr ":$n" -screen 640x480 -resizeable -nolisten tcp -noreset \
		>"$WORK/xephyr.log" 2>&1 &
	XEPHYR=$!
	track $XEPHYR
	if wait_for 10 xdpyinfo -display ":$n"; then
		SHARED=":$n"
		break
	fi
	kill $XEPHYR 2>/dev/null
done
[ -n "${SHARED:-}" ] || fail "no Xephyr could start"
size() { xdpyinfo -display "$SHARED" | sed -n 's/.*dimensions: *\([0-9]*x[0-9]*\) pixels.*/\1/p'; }
start_pattern "$SHARED"
start_sharer --display "$SHARED"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:ann /p:"$PASSWORD"
screenshot "$SHARED" "$WORK/a.png"
wait_same_picture "$VIEW" 640x480 "$WORK/a.png" 0.02 30 || fail "no first picture"
vgeom() {
	DISPLAY=$VIEW xdotool search --class xfreerdp getwindowgeometry 2>/dev/null |
		sed -n 's/.*Geometry: //p' | head -n1
}
resize() { # WxH
	local w=${1%x*} h=${1#*x} win
	win=$(DISPLAY=$HOST xdotool search --class Xephyr | head -n1)
	DISPLAY=$HOST xdotool windowsize "$win" "$w" "$h"
	wait_for 10 sh -c "xdpyinfo -display $SHARED | grep -q 'dimensions: *$1 '" ||
		fail "Xephyr did not become $1"
	kill -USR1 "$PATTERN" # redraw the picture over the new size
	sleep 0.5
}
for sz in 800x600 512x384; do
	resize "$sz"
	log "shared display is now $(size)"
	wait_for 20 sh -c "[ \"\$(DISPLAY=$VIEW xdotool search --class xfreerdp getwindowgeometry 2>/dev/null | sed -n 's/.*Geometry: //p' | head -n1)\" = $sz ]" ||
		fail "viewer window is $(vgeom), not $sz"
	screenshot "$SHARED" "$WORK/$sz.png"
	wait_same_picture "$VIEW" "$sz" "$WORK/$sz.png" 0.02 20 || fail "viewer picture wrong at $sz"
done
kill -0 "$SHARER_PID" || fail "the sharer died"
ctl snapshot "$WORK/snap.png" >/dev/null || fail "snapshot after resizes"
[ "$(identify -format %wx%h "$WORK/snap.png")" = 512x384 ] || fail "frame buffer is not 512x384"
log "ok"
