#!/bin/bash
# A slow control client cannot stall the sharer: the control socket is served
# on the owner thread, so a client that trickles its request a byte every
# 0.9 s (under the old per-read timeout of 1 s) held it for as long as it
# liked, and no event, prompt or viewer got through. One deadline per request
# cuts it after about a second, and the next ctl command is answered.
. "$(dirname "$0")/lib.sh"
start_demo_sharer --password s3cret

# trickle "attendees" a byte at a time, for up to 20 s; report when the
# sharer cut the connection (its answer, then end of file)
python3 - "$CTL" >"$WORK/trickle.out" 2>&1 <<'PY' &
import select, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
t0 = time.monotonic()
req = b"attendees\0" * 200
reply = b""
for i in range(len(req)):
    if time.monotonic() - t0 > 20:
        break
    try:
        s.send(req[i:i + 1])
    except OSError:
        break
    r, _, _ = select.select([s], [], [], 0.9)
    if r:
        data = s.recv(4096)
        reply += data
        if not data or reply.endswith(b"\n"):
            break
print("cut after %.2f s: %s" % (time.monotonic() - t0, reply.decode(errors="replace").strip()))
PY
TRICKLER=$!
track $TRICKLER
sleep 0.3

t0=$(date +%s%N)
timeout 30 "$BIN/rdpshare" ctl --socket "$CTL" --json attendees >"$WORK/attendees.json" ||
	fail "ctl attendees failed: $(cat "$WORK/attendees.json")"
ms=$((($(date +%s%N) - t0) / 1000000))
log "ctl attendees answered after $ms ms while a client trickled its request"
wait $TRICKLER
log "trickler: $(cat "$WORK/trickle.out")"
secs=$(sed -n 's/^cut after \([0-9.]*\) s.*/\1/p' "$WORK/trickle.out")
[ -n "$secs" ] || fail "trickler: $(cat "$WORK/trickle.out")"
# the deadline is 1 s; generous margins for a loaded machine
awk -v s="$secs" 'BEGIN { exit !(s < 5) }' || fail "the trickler was held ${secs} s (deadline 1 s)"
grep -q '"ok":false' "$WORK/trickle.out" || fail "the trickler was not told why"
[ "$ms" -lt 5000 ] || fail "ctl attendees waited $ms ms behind the trickler"
grep -q '"ok":true' "$WORK/attendees.json" || fail "ctl attendees: $(cat "$WORK/attendees.json")"

# the sharer still admits viewers and answers
ctl properties >/dev/null || fail "the sharer stopped answering"
log "ok"
