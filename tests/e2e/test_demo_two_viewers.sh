#!/bin/bash
# No DISPLAY at all: the sharer shows its demo desktop; two viewers at once
# both see it, animated, and the same thing.
. "$(dirname "$0")/lib.sh"
start_xvfb VIEW1 1280 1024
start_xvfb VIEW2 1280 1024
start_demo_sharer # no --demo: without a DISPLAY the tool falls back to it
viewer V1 "$VIEW1" /v:127.0.0.1:$PORT /u:one /p:"$PASSWORD"
viewer V2 "$VIEW2" /v:127.0.0.1:$PORT /u:two /p:"$PASSWORD"
sharer_has 'attendee-connected id=[0-9]* name=one' || fail "viewer one not admitted"
sharer_has 'attendee-connected id=[0-9]* name=two' || fail "viewer two not admitted"
sleep 3
ctl pause >/dev/null
sleep 1
screenshot "$VIEW1" "$WORK/v1.png" 1024x768
screenshot "$VIEW2" "$WORK/v2.png" 1024x768
same_picture "$WORK/v1.png" "$WORK/v2.png" 0.01 || fail "the two viewers differ"
# not blank: the demo has text and colour
sd=$(convert "$WORK/v1.png" -colorspace gray -format '%[fx:standard_deviation]' info:)
log "picture standard deviation: $sd"
awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' || fail "demo picture looks blank"
ctl resume >/dev/null
sleep 2
screenshot "$VIEW1" "$WORK/v1b.png" 1024x768
s=$(diff_score "$WORK/v1.png" "$WORK/v1b.png")
log "change over 2 s of animation: $s"
awk -v s="$s" 'BEGIN { exit !(s > 0.0005) }' || fail "demo is not animated for the viewer"
ctl attendees >"$WORK/att.json"
counts=$(grep -o '"frames_sent":[0-9]*' "$WORK/att.json" | cut -d: -f2)
[ "$(echo "$counts" | wc -w)" = 2 ] || fail "expected two attendees: $counts"
for f in $counts; do
	[ "$f" -gt 10 ] || fail "a viewer got only $f frames"
done
log "ok"
