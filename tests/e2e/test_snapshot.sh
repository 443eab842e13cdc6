#!/bin/bash
# The frame buffer (Session2): `rdpshare ctl snapshot FILE.png` writes what
# viewers are shown — the shared rect of the desktop — and it equals both
# the sharer's own screen there and a viewer's screenshot.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 800 600
start_pattern "$SHARED"
start_sharer --display "$SHARED" --rect 100,50,400,300 </dev/null
screenshot "$SHARED" "$WORK/shared.png"
convert "$WORK/shared.png" -crop 400x300+100+50 +repage "$WORK/shared-rect.png"
(cd "$WORK" && ctl snapshot snap.png) | grep -q '"ok":true' || fail "ctl snapshot (relative path)"
[ "$(stat -c %a "$WORK/snap.png")" = 600 ] || fail "snapshot not 0600"
[ "$(identify -format %wx%h "$WORK/snap.png")" = 400x300 ] || fail "snapshot is not the rect's size"
same_picture "$WORK/snap.png" "$WORK/shared-rect.png" 0.005 || fail "snapshot differs from the screen"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:snap /p:"$PASSWORD"
wait_same_picture "$VIEW" 400x300 "$WORK/snap.png" 0.02 20 || fail "viewer differs from the snapshot"
ctl snapshot /nonexistent-dir/x.png | grep -q '"ok":false' || fail "unwritable path accepted"
log "ok"
