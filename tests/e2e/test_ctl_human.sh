#!/bin/bash
# `rdpshare ctl` for people: aligned tables (attendees with id, name,
# address, level, codec, fps, kbit/s, latency), plain sentences, names a
# peer chose escaped; exit status 0 done, 1 refused, 2 a wrong command;
# --json gives the sharer's own answer for scripts.
. "$(dirname "$0")/lib.sh"
start_sharer --demo </dev/null
"$BIN/rdpview" --headless --seconds 20 --name "ann $(printf '\033]0;x\007')red" \
	--password "$PASSWORD" "$CONNSTR" >"$WORK/view.log" 2>&1 &
track $!
wait_for 15 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json attendees | grep -q '\"fps\"'" ||
	fail "no frame rate after a second of viewing"
H() { "$BIN/rdpshare" ctl --socket "$CTL" "$@"; }
H attendees >"$WORK/att.txt" || fail "ctl attendees failed"
head -n 1 "$WORK/att.txt" | grep -q '^ID  *NAME  *ADDRESS  *LEVEL  *CODEC  *FPS  *KBIT/S  *P50 MS  *SKIPPED$' ||
	fail "attendees header: $(head -n 1 "$WORK/att.txt")"
row=$(sed -n 2p "$WORK/att.txt")
echo "$row" | grep -q '^1  *ann \\x1b\]0;x\\x07red  *127\.0\.0\.1:[0-9]*  *view  *[a-z0-9]*  *[0-9.]*  *[0-9]*  *[0-9.-]*  *[0-9]*$' ||
	fail "attendee row: $row"
LC_ALL=C grep -q "$(printf '\033')" "$WORK/att.txt" && fail "a raw escape reached the table"
# the columns line up: NAME's column starts where the header's does
[ "$(head -n 1 "$WORK/att.txt" | grep -bo NAME | cut -d: -f1)" = "$(echo "$row" | grep -bo ann | cut -d: -f1)" ] ||
	fail "columns do not line up"
H invitations | head -n 1 | grep -q '^INDEX  *AUTH STRING  *GROUP  *LIMIT  *JOINED  *REVOKED$' ||
	fail "invitations header"
H requests | grep -q '^no pending control requests$' || fail "requests sentence"
[ "$(H pause)" = done ] || fail "pause says not done"
H kick 99 2>"$WORK/kick.err" && fail "kick of nobody succeeded"
H kick 99 2>/dev/null
[ $? = 1 ] || fail "a refusal is not exit 1"
grep -q '^rdpshare ctl: no attendee with that id$' "$WORK/kick.err" || fail "refusal: $(cat "$WORK/kick.err")"
H frobnicate 2>/dev/null
[ $? = 2 ] || fail "a wrong command is not exit 2"
ctl frobnicate >/dev/null
[ $? = 2 ] || fail "a wrong command with --json is not exit 2"
[ "$(H set rdpshare.BackgroundColor 0x102030)" = done ] || fail "a hexadecimal value was refused"
H properties | grep -q '^rdpshare.BackgroundColor  *1056816$' || fail "the hexadecimal value was not set"
H invite --limit 2 | grep -q '^password: ' || fail "invite shows no password"
ctl attendees | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["ok"] and d["attendees"][0]["fps"] >= 0' ||
	fail "--json is not the sharer's answer"
log "ok"
