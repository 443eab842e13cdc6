#!/bin/bash
# --json: stdout is one JSON object per line and nothing else (FreeRDP's own
# log stays off stdout), with the events a viewer's life produces; a given
# password appears nowhere.
. "$(dirname "$0")/lib.sh"
start_xvfb VIEW 1024 768
start_demo_sharer --demo --json --password 'pw-Secret9'
PORT=$(sed -n 's/.*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$WORK/sharer.out" | head -n1)
DISPLAY=$VIEW timeout 30 xfreerdp3 /cert:ignore /log-level:OFF /v:127.0.0.1:$PORT /u:eve \
	/p:wrong >/dev/null 2>&1
viewer V "$VIEW" /v:127.0.0.1:$PORT /u:bob /p:'pw-Secret9'
sharer_has '"event":"attendee_connected"' || fail "no attendee_connected"
ctl pause >/dev/null && ctl resume >/dev/null || fail "pause/resume"
ctl kick 1 >/dev/null || fail "kick"
sharer_has '"event":"attendee_disconnected"' || fail "no attendee_disconnected"
stop_sharer || fail "sharer did not stop cleanly"
python3 - "$WORK/sharer.out" <<'PY' || fail "stdout is not clean JSON lines"
import json, sys
events = []
for n, line in enumerate(open(sys.argv[1]), 1):
    obj = json.loads(line)  # raises on anything that is not JSON
    assert isinstance(obj, dict) and "event" in obj, f"line {n}: {line!r}"
    events.append(obj)
names = [e["event"] for e in events]
# xfreerdp may try a refused logon more than once
refused = [e for e in events if e["event"] == "attendee_refused"]
assert refused and all(e["reason"] == "bad-password" and e["name"] == "eve" for e in refused)
names = [n for n in names if n != "attendee_refused"]
want = ["desktop", "listening", "invitation", "ready", "attendee_connected", "graphics_stream_paused",
        "graphics_stream_resumed", "attendee_disconnected", "closed"]
assert names == want, names
assert events[0]["backend"] == "demo", events[0]
conn = next(e for e in events if e["event"] == "attendee_connected")
gone = next(e for e in events if e["event"] == "attendee_disconnected")
assert conn["name"] == "bob" and conn["address"].startswith("127.0.0.1:"), conn
assert gone["id"] == conn["id"] and gone["reason"] == "sharer", gone
print("events:", " ".join(names))
PY
grep -q 'pw-Secret9' "$WORK/sharer.out" "$WORK/sharer.err" "$WORK"/invitation.msrcIncident \
	"$XDG_RUNTIME_DIR"/rdpshare/* 2>/dev/null && fail "the password leaked"
log "ok"
