#!/bin/bash
# Faults end cleanly with a clear error and lose nothing: the X server dies
# under two watching viewers (error event, viewers told they were removed,
# no crash, exit 1); an unusable TLS key; a full disk when the invitation
# file is written (nothing half-written left behind).
. "$(dirname "$0")/lib.sh"

# the display dies while viewers watch
start_xvfb SHARED 640 480
start_pattern "$SHARED"
start_sharer --display "$SHARED" --json </dev/null
for v in ann bob; do
	"$BIN/rdpview" --headless --events --seconds 60 --name "$v" --password "$PASSWORD" \
		"$CONNSTR" >"$WORK/$v.out" 2>"$WORK/$v.err" &
	eval "PID_$v=$!"
	track $!
done
sharer_has '"event":"attendee_connected","id":2' || fail "viewers not connected"
sleep 1
XVFB_PID=$(pgrep -f "^Xvfb $SHARED( |\$)" | head -n1)
[ -n "$XVFB_PID" ] || fail "cannot find the Xvfb of $SHARED"
kill -9 "$XVFB_PID"
sharer_has '"event":"error"' || fail "no error event when the display died"
grep '"event":"error"' "$WORK/sharer.out" | grep -q 'display' || fail "the error does not name the display"
wait_for 15 sh -c "! kill -0 $SHARER_PID" || fail "the sharer did not end after the display died"
wait "$SHARER_PID"
rc=$?
SHARER_PID=""
log "sharer exit status after the display died: $rc"
[ "$rc" = 1 ] || fail "exit status $rc, wanted 1"
for v in ann bob; do
	eval "pid=\$PID_$v"
	wait "$pid"
	vrc=$?
	log "viewer $v exit status: $vrc"
	[ "$vrc" = 5 ] || fail "viewer $v: exit $vrc, wanted 5 (removed by the sharer)"
done
grep -q -i 'sanitizer\|runtime error' "$WORK/sharer.err" && fail "sanitizer report: $(cat "$WORK/sharer.err")"

expect_error() { # NAME PATTERN -- ARGS...
	local name=$1 pattern=$2
	shift 3
	"$BIN/rdpshare" --demo --listen 127.0.0.1:0 --ctl-socket "$WORK/c.sock" "$@" \
		>"$WORK/out" 2>"$WORK/err" </dev/null
	local rc=$?
	[ $rc = 1 ] || fail "$name: exit $rc, wanted 1 ($(cat "$WORK/err"))"
	grep -q -- "$pattern" "$WORK/err" || fail "$name: no '$pattern' in: $(cat "$WORK/err")"
	log "$name: $(grep -- "$pattern" "$WORK/err" | head -n1)"
}

# a TLS key that is not one
mkdir -m 700 "$WORK/badcert"
echo "not a key" >"$WORK/badcert/key.pem"
echo "not a certificate" >"$WORK/badcert/cert.pem"
chmod 600 "$WORK/badcert"/*.pem
expect_error "unusable key" "certificate" -- --config-dir "$WORK/badcert"
[ "$(cat "$WORK/badcert/key.pem")" = "not a key" ] || fail "the unusable key was overwritten"

# a full disk where the invitation file goes
mkdir "$WORK/full"
ENOSPC_PREFIX="$WORK/full" LD_PRELOAD="$BIN/tests/libenospc.so" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	expect_error "disk full" "no space left on device" -- \
	--invitation-file "$WORK/full/inv.msrcIncident"
left=$(ls -A "$WORK/full")
[ -z "$left" ] || fail "left behind in the full directory: $left"
[ -e "$WORK/c.sock" ] && fail "control socket left behind"
log "ok"
