#!/bin/bash
# FreeRDP's own log: by default nothing of it reaches the terminal, however
# many port probes and dropped connections there are; -v shows it on stderr,
# tagged as FreeRDP's; --json keeps stdout machine-clean at any level
# (every line one JSON object); RDPSHARE_LOG raises it as -v does.
. "$(dirname "$0")/lib.sh"
probe() { python3 "$(dirname "$0")/../helpers/x224_probe.py" "$PORT" 5 >/dev/null || fail "probe"; }

start_sharer --demo </dev/null
probe
sleep 1
stop_sharer || fail "sharer did not stop cleanly"
grep -E 'com\.freerdp|com\.winpr|BIO_|\[ERROR\]|^rdpshare: freerdp' "$WORK/sharer.out" "$WORK/sharer.err" &&
	fail "FreeRDP's log reached the terminal by default"
log "quiet by default"

start_sharer --demo -v </dev/null
probe
wait_for 5 grep -q '^rdpshare: freerdp \(warning\|error\): com\.' "$WORK/sharer.err" ||
	fail "-v shows no FreeRDP line: $(head -n 5 "$WORK/sharer.err")"
stop_sharer || fail "sharer did not stop cleanly"
grep -v '^rdpshare: ' "$WORK/sharer.err" | grep . && fail "untagged lines on stderr with -v"
grep -E 'com\.freerdp|^rdpshare: freerdp' "$WORK/sharer.out" && fail "FreeRDP's log on stdout"
log "-v: tagged, on stderr"

RDPSHARE_LOG=trace start_sharer --demo --json </dev/null
probe
viewer_ok=0
start_xvfb VD 800 600
viewer V "$VD" /v:127.0.0.1:$PORT /u:ann /p:"$PASSWORD"
sharer_has '"event":"attendee_connected"' && viewer_ok=1
stop_sharer || fail "sharer did not stop cleanly"
[ "$viewer_ok" = 1 ] || fail "the viewer was not admitted"
grep -q '^rdpshare: freerdp trace: ' "$WORK/sharer.err" || fail "RDPSHARE_LOG=trace shows no trace"
python3 - "$WORK/sharer.out" <<'PY' || fail "stdout is not one JSON object a line"
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not isinstance(json.loads(line), dict):
        sys.exit(f"line {n}: not an object")
PY
log "--json at trace: stdout stays JSON ($(wc -l <"$WORK/sharer.out") lines; stderr $(wc -l <"$WORK/sharer.err"))"
log "ok"
