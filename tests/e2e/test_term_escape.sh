#!/bin/bash
# Terminal escape injection: a viewer's name is the viewer's choice, also when
# its logon is refused. Names carrying an ESC/OSC sequence and a bidi
# override are shown escaped in the sharer's text lines (no raw control byte
# reaches the terminal) and exactly, JSON-escaped, in --json lines, in `ctl
# attendees`, and in rdpview's --events.
. "$(dirname "$0")/lib.sh"
start_xvfb VIEW 800 600
EVIL=$'\e]0;owned\a\e[31mred'          # set the terminal's title, then paint red
SPOOF=$'\xe2\x80\xaeevil\e[2J \xc2\x9b' # RIGHT-TO-LEFT OVERRIDE, clear screen, C1 CSI

# no control byte (C0 but newline, DEL, C1 as UTF-8) and no bidi override
inert() {
	python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in data if (b < 0x20 and b != 0x0A) or b == 0x7F]
text = data.decode("utf-8", "replace")
bad += [c for c in text if 0x80 <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E]
sys.exit(1 if bad else 0)
PY
}

join() { # join NAME PASSWORD: one xfreerdp3 logon, left after it is reported
	DISPLAY=$VIEW timeout 30 xfreerdp3 /cert:ignore /log-level:OFF /v:127.0.0.1:$PORT \
		"/u:$1" "/p:$2" >/dev/null 2>&1 &
	track $!
}

# ---- text mode ----
start_demo_sharer --password s3cret
join "$SPOOF" wrong
sharer_has 'attendee-refused reason=bad-password' 30 || fail "no refusal"
join "$EVIL" s3cret
sharer_has 'attendee-connected id=' 30 || fail "the viewer was not admitted"
log "text lines: $(grep attendee- "$WORK/sharer.out" | head -n2 | tr '\n' '|')"
inert "$WORK/sharer.out" || fail "raw control bytes in the sharer's text output: \
$(grep -a attendee- "$WORK/sharer.out" | od -c | head -n 12)"
grep -qF 'attendee-connected id=1 name=\x1b]0;owned\x07\x1b[31mred address=' \
	"$WORK/sharer.out" || fail "the name is not shown escaped"
# the refused name: quoted (it holds a space), the override and controls escaped
grep -qF 'attendee-refused reason=bad-password name="\u202eevil\x1b[2J \u009b"' \
	"$WORK/sharer.out" || fail "the refused name is not shown escaped"
# ctl's answer is JSON: the exact name, escaped
ctl attendees >"$WORK/attendees.json" || fail "ctl attendees"
inert "$WORK/attendees.json" || fail "raw control bytes in ctl's answer"
python3 - "$WORK/attendees.json" "$EVIL" <<'PY' || fail "ctl attendees: name not exact"
import json, sys
a = json.load(open(sys.argv[1]))["attendees"]
assert [x["name"] for x in a] == [sys.argv[2]], a
PY
stop_sharer || fail "text sharer did not stop cleanly"
mv "$WORK/sharer.out" "$WORK/sharer-text.out"

# ---- --json, and rdpview --events ----
start_demo_sharer --json --password s3cret
PORT=$(sed -n 's/.*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$WORK/sharer.out" | head -n1)
CONNSTR=$(grep '"event":"invitation"' "$WORK/sharer.out" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["connection_string"])')
join "$SPOOF" wrong
sharer_has '"event":"attendee_refused"' 30 || fail "no refusal (json)"
join "$EVIL" s3cret
sharer_has '"event":"attendee_connected"' 30 || fail "the viewer was not admitted (json)"
"$BIN/rdpview" --headless --events --seconds 60 --name watcher --password s3cret "$CONNSTR" \
	>"$WORK/events.out" 2>"$WORK/rdpview.err" &
WATCHER=$!
track $WATCHER
wait_for 40 grep -q '"event":"participant".*owned' "$WORK/events.out" ||
	fail "rdpview did not list the viewer: $(cat "$WORK/events.out" "$WORK/rdpview.err")"
kill $WATCHER
inert "$WORK/sharer.out" || fail "raw control bytes in the sharer's JSON output"
inert "$WORK/events.out" || fail "raw control bytes in rdpview's events"
python3 - "$WORK/sharer.out" "$WORK/events.out" "$EVIL" "$SPOOF" <<'PY' ||
import json, sys
out, events, evil, spoof = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ev = [json.loads(l) for l in open(out, encoding="utf-8")]
refused = [e["name"] for e in ev if e["event"] == "attendee_refused"]
connected = [e["name"] for e in ev if e["event"] == "attendee_connected"]
assert refused and set(refused) == {spoof}, refused
assert evil in connected, connected
names = [json.loads(l).get("name") for l in open(events, encoding="utf-8")
         if '"participant"' in l]
assert evil in names, names
print("exact in --json and rdpview --events")
PY
	fail "names not exact in JSON"
log "ok"
