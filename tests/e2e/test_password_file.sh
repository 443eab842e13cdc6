#!/bin/bash
# --password-file: a missing file gets a generated password (0600, never
# printed) that a viewer then logs on with; an existing file's first line is
# the password; a file others may read or change or that belongs to someone
# else, a symbolic link (dangling too: nothing is written through it), a
# directory, a FIFO, a device, an empty, NUL-holding, untypeable (not UTF-8,
# a byte order mark, a control or bidi character) or over-long first line
# are refused with the reason, before anything listens; it excludes
# --password and --no-password.
. "$(dirname "$0")/lib.sh"
start_xvfb view 1024 768
pwf="$WORK/pw"
start_sharer --demo --password-file "$pwf"
[ "$(stat -c %a "$pwf")" = 600 ] || fail "the new password file is not 0600"
pw=$(cat "$pwf")
[ ${#pw} = 12 ] || fail "generated password '$pw'"
[ -z "$PASSWORD" ] || fail "a password was printed: $PASSWORD"
grep -qF "$pw" "$WORK/sharer.out" "$WORK/sharer.err" && fail "the password is in the output"
sharer_has "^password-file: $pwf\$" || fail "no password-file line"
viewer v1 "$view" /v:127.0.0.1:$PORT /u:ann /p:"$pw"
sharer_has 'attendee-connected id=1 name=ann' || fail "the file's password was refused"
kill "$v1"
stop_sharer || fail "sharer exit"

# an existing file: its first line, whatever follows; JSON says where
printf 'Given-Pw 1\r\nsecond line\n' >"$pwf"
start_sharer --demo --json --password-file "$pwf"
grep '"event":"invitation"' "$WORK/sharer.out" | grep -qF "\"password_file\":\"$pwf\"" ||
	fail "no password_file in the invitation event"
grep -q '"password":' "$WORK/sharer.out" && fail "a password in JSON"
viewer v2 "$view" /v:127.0.0.1:$PORT /u:bob "/p:Given-Pw 1"
sharer_has '"event":"attendee_connected".*"name":"bob"' || fail "the first line was not the password"
kill "$v2"
stop_sharer || fail "sharer exit"

refused() { # WHY-PATTERN FILE: rdpshare exits 1 with the reason, listening nowhere
	local out
	out=$("$BIN/rdpshare" --demo --listen 127.0.0.1:0 --ctl-socket "$WORK/c.sock" \
		--password-file "$2" 2>&1 </dev/null)
	local rc=$?
	[ $rc = 1 ] || fail "--password-file $2 ($1): exit $rc, wanted 1: $out"
	echo "$out" | grep -q -- "$1" || fail "--password-file $2: '$out', wanted '$1'"
	echo "$out" | grep -q '^ready' && fail "--password-file $2: the sharer started"
	log "refused: $out"
}
chmod 640 "$pwf"
refused "can be read or changed by others" "$pwf"
chmod 600 "$pwf"
cp "$pwf" "$WORK/theirs"
chown nobody "$WORK/theirs"
refused "belongs to someone else" "$WORK/theirs"
ln -s "$pwf" "$WORK/link"
refused "symbolic link" "$WORK/link"
ln -s "$WORK/nothing-here" "$WORK/dangling"
refused "symbolic link" "$WORK/dangling"
[ -e "$WORK/nothing-here" ] && fail "a password was written through a dangling symbolic link"
refused "not a regular file" "$WORK"
mkfifo -m 600 "$WORK/fifo"
refused "not a regular file" "$WORK/fifo"
refused "not a regular file" /dev/null
: >"$WORK/empty" && chmod 600 "$WORK/empty"
refused "empty first line" "$WORK/empty"
printf 'ab\0cd\n' >"$WORK/nul" && chmod 600 "$WORK/nul"
refused "NUL byte" "$WORK/nul"
# what no viewer can type: the logon would refuse everyone
for bad in 'p\xe4ss' '\xef\xbb\xbfpass' 'pa\x1bss' 'pa\xe2\x80\xaess'; do
	printf "$bad\n" >"$WORK/bad" && chmod 600 "$WORK/bad"
	refused "no viewer can type" "$WORK/bad"
done
head -c 300 /dev/zero | tr '\0' x >"$WORK/long" && chmod 600 "$WORK/long"
refused "longer than 255" "$WORK/long"
refused "cannot create it" "$WORK/no/such/dir/pw"
for other in "--password x" --no-password; do
	out=$("$BIN/rdpshare" --demo --password-file "$pwf" $other 2>&1)
	[ $? = 2 ] || fail "--password-file with $other: not a usage error: $out"
	echo "$out" | grep -q "exclude each other" || fail "--password-file with $other: $out"
done
log "ok"
