#!/bin/bash
# The tool's failures are clear and non-zero: bad arguments, a port in use,
# an unreachable display, a second sharer in the same login session; and
# SIGINT closes a running sharer cleanly.
. "$(dirname "$0")/lib.sh"

expect_error() { # NAME STATUS PATTERN -- ARGS...
	local name=$1 want=$2 pattern=$3
	shift 4
	"$BIN/rdpshare" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	local rc=$?
	[ $rc = "$want" ] || fail "$name: exit $rc, wanted $want ($(cat "$WORK/err"))"
	grep -q -- "$pattern" "$WORK/err" || fail "$name: no '$pattern' in: $(cat "$WORK/err")"
	log "$name: exit $rc: $(grep -- "$pattern" "$WORK/err" | head -n1)"
}

"$BIN/rdpshare" --help >"$WORK/help" || fail "--help failed"
grep -q -- '--invitation-file' "$WORK/help" || fail "--help lacks the options"
grep -q -- '--no-password' "$WORK/help" || fail "--help lacks --no-password"
expect_error "unknown option" 2 "usage:" -- --bogus
expect_error "bad limit" 2 "limit" -- --demo --limit -3
expect_error "bad rect" 2 "rect" -- --demo --rect 1,2,3
expect_error "bad depth" 2 "color-depth" -- --demo --color-depth 12
expect_error "bad listen" 2 "listen" -- --demo --listen 127.0.0.1:http
expect_error "bad file name" 2 "msrcIncident" -- --demo --invitation-file "$WORK/inv.txt"
expect_error "no display" 1 "cannot open the X display :999" -- --display :999

start_sharer --demo
# another login session (its own runtime dir) cannot take the same port
mkdir -m 700 "$WORK/run2"
XDG_RUNTIME_DIR="$WORK/run2" expect_error "port in use" 1 "address already in use" -- --demo \
	--listen 127.0.0.1:$PORT
# the same login session cannot run a second sharer at all
expect_error "second sharer" 1 "already" -- --demo --listen 127.0.0.1:0 \
	--ctl-socket "$WORK/ctl3.sock"
kill -INT "$SHARER_PID"
wait_for 10 grep -q '^closed' "$WORK/sharer.out" || fail "no clean close on SIGINT"
wait "$SHARER_PID"
rc=$?
SHARER_PID=""
[ $rc = 0 ] || fail "sharer exit status $rc after SIGINT"
[ -e "$CTL" ] && fail "control socket left behind"
log "ok"
