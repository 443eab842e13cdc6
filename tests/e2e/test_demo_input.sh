#!/bin/bash
# The demo desktop reacts to an INTERACTIVE viewer (no X anywhere): rdpview
# asks for control (--on-request grant answers), types and clicks from an
# input script, and its screenshot shows the typed text line changed; a
# view-only viewer's identical script changes nothing.
. "$(dirname "$0")/lib.sh"
start_demo_sharer --demo --on-request grant --password pw
cat >"$WORK/script" <<'S'
1500 click left 200 300
1600 type hello
1800 key space
1900 key x
S
strip() { convert "$1" -crop 400x40+0+720 +repage "$2"; }
(unset DISPLAY
"$BIN/rdpview" --headless --name base --password pw --seconds 2 --screenshot "$WORK/base.png" \
	"$CONNSTR" >/dev/null 2>"$WORK/base.err") || fail "baseline rdpview failed"
(unset DISPLAY
"$BIN/rdpview" --headless --name looker --password pw --seconds 4 --input-script "$WORK/script" \
	--screenshot "$WORK/view.png" "$CONNSTR" >/dev/null 2>"$WORK/looker.err") ||
	fail "view-only rdpview failed"
(unset DISPLAY
"$BIN/rdpview" --headless --name typist --password pw --seconds 4 --request-control interactive \
	--input-script "$WORK/script" --screenshot "$WORK/typed.png" "$CONNSTR" >/dev/null \
	2>"$WORK/typist.err") || fail "interactive rdpview failed"
sharer_has 'control-request id=3 name=typist level=interactive policy=grant' || fail "no request"
strip "$WORK/base.png" "$WORK/base-strip.png"
strip "$WORK/view.png" "$WORK/view-strip.png"
same_picture "$WORK/base-strip.png" "$WORK/view-strip.png" 0.002 ||
	fail "a view-only viewer's typing reached the demo desktop"
strip "$WORK/typed.png" "$WORK/typed-strip.png"
s=$(diff_score "$WORK/view-strip.png" "$WORK/typed-strip.png")
log "typed line difference: $s"
awk -v s="$s" 'BEGIN { exit !(s > 0.01) }' || fail "the typed text did not show on the demo desktop"
log "ok"
