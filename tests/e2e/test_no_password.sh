#!/bin/bash
# An invitation without a password is made only on purpose (--no-password,
# with a warning; an empty --password is an error) and admits only logons
# that carry its ticket: the invitation file gets in, a plain logon with an
# empty password (or "*") is refused.
. "$(dirname "$0")/lib.sh"

refused_option() { # NAME PATTERN -- ARGS...
	local name=$1 pattern=$2
	shift 3
	timeout 20 "$BIN/rdpshare" --demo --listen 127.0.0.1:0 --ctl-socket "$WORK/no.sock" "$@" \
		>"$WORK/out" 2>"$WORK/err" </dev/null
	local rc=$?
	[ $rc = 2 ] || fail "$name: exit $rc, wanted 2 ($(cat "$WORK/err"))"
	grep -q -- "$pattern" "$WORK/err" || fail "$name: no '$pattern' in: $(cat "$WORK/err")"
	log "$name: $(head -n1 "$WORK/err")"
}
refused_option "empty password" "--no-password" -- --password ""
refused_option "both" "exclude" -- --no-password --password x

start_xvfb VIEW 640 480
start_demo_sharer --no-password --invitation-file "$WORK/invite.msrcIncident"
grep -q 'warning: the invitation has no password' "$WORK/sharer.err" || fail "no warning"
grep -q '^password:' "$WORK/sharer.out" && fail "a password was printed"
grep -q '^join: xfreerdp3 /v:' "$WORK/sharer.out" && fail "a plain join line was printed"
grep -q '^join: xfreerdp3 .*invite.msrcIncident /assistance: ' "$WORK/sharer.out" ||
	fail "no invitation-file join line"

# no ticket, no entry: an empty password, or the "*" RA clients send
n=0
for pw in "" "*"; do
	n=$((n + 1))
	DISPLAY=$VIEW timeout 30 xfreerdp3 /v:127.0.0.1:"$PORT" /u:plain$n /p:"$pw" /cert:ignore \
		/log-level:OFF -clipboard </dev/null >/dev/null 2>&1
	sharer_has "attendee-refused reason=bad-password name=plain$n " ||
		fail "a plain logon with password '$pw' was not refused"
	grep -q 'attendee-connected' "$WORK/sharer.out" && fail "a plain logon with '$pw' got in"
done

# the invitation file carries the ticket
viewer V1 "$VIEW" "$WORK/invite.msrcIncident" /assistance: /u:invited
sharer_has 'attendee-connected id=[0-9]* name=invited ' 20 || fail "the invitation file was refused"

# the same rule for ctl invite
ctl invite --password "" >"$WORK/inv1.json"
grep -q '"ok":false' "$WORK/inv1.json" || fail "ctl invite with an empty password: $(cat "$WORK/inv1.json")"
ctl invite --no-password >"$WORK/inv2.json"
grep -q '"ok":true' "$WORK/inv2.json" || fail "ctl invite --no-password: $(cat "$WORK/inv2.json")"
grep -q '"password"' "$WORK/inv2.json" && fail "ctl invite --no-password made up a password"
grep -q '"warning":"no password' "$WORK/inv2.json" || fail "ctl invite --no-password: no warning"
log "ok"
