#!/bin/bash
# Colour depths are honoured on the wire: each xfreerdp3 viewer (bitmap
# updates: the sharer offers no graphics pipeline, as xfreerdp3 3.10 cannot
# be told not to ask for one) negotiates the sharer's depth and sees the picture (within
# the depth's precision), with every codec: interleaved (15/16/24), RemoteFX
# (32, /rfx) and planar (32 without RemoteFX), planar pixel-exact.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
start_xvfb VIEW 800 600
start_pattern "$SHARED"
start_sharer --display "$SHARED" --color-depth 16
ctl set rdpshare.GraphicsPipeline 0 | grep -q '"ok":true' || fail "pipeline off"
screenshot "$SHARED" "$WORK/shared.png"
for depth in 16 24 8 15 32; do
	want=$depth
	[ $depth = 8 ] && want=16 # served as 16: see rdpshare_session_set_color_depth
	ctl color-depth $depth >/dev/null || fail "ctl color-depth $depth"
	codec=interleaved
	extra=""
	[ $depth = 32 ] && codec=remotefx && extra=/rfx
	viewer V "$VIEW" /v:127.0.0.1:$PORT /u:d$depth /p:"$PASSWORD" $extra
	sharer_has "attendee-connected id=[0-9]* name=d$depth" || fail "depth $depth: not admitted"
	wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" 0.02 20 || fail "depth $depth differs"
	got=$(ctl attendees | json_field color_depth)
	got_codec=$(ctl attendees | json_field codec)
	log "depth $depth: negotiated $got, codec $got_codec"
	[ "$got" = $want ] || fail "negotiated $got instead of $want"
	[ "$got_codec" = $codec ] || fail "depth $depth: codec $got_codec instead of $codec"
	kill "$V"
	sharer_has "attendee-disconnected id=[0-9]* name=d$depth" || fail "depth $depth: no leave"
done
# 32 bpp for a client without RemoteFX (/network:modem drops it): planar
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:plain /p:"$PASSWORD" /network:modem
sharer_has "attendee-connected id=[0-9]* name=plain" || fail "planar viewer not admitted"
# lossless: the very pixels (planar with its alpha plane, no colour loss)
wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" 0.000001 20 || fail "planar picture not exact"
codec=$(ctl attendees | json_field codec)
[ "$codec" = planar ] || fail "expected planar, got $codec"
kill "$V"
sharer_has "attendee-disconnected id=[0-9]* name=plain" || fail "planar viewer: no leave"
# a live change re-activates a connected viewer at the new depth
ctl color-depth 32 >/dev/null || fail "ctl color-depth 32"
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:live /p:"$PASSWORD"
sharer_has "attendee-connected id=[0-9]* name=live" || fail "live viewer not admitted"
wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" 0.02 20 || fail "live viewer differs"
ctl color-depth 16 >/dev/null || fail "ctl color-depth 16"
wait_for 15 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json attendees | grep -q '\"color_depth\":16'" ||
	fail "connected viewer not re-activated at 16 bpp"
wait_same_picture "$VIEW" 640x480 "$WORK/shared.png" 0.02 20 || fail "picture wrong after the change"
log "ok"
