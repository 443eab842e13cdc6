#!/bin/bash
# The "join:" lines the sharer prints work as printed: each one, run as it
# stands with the stock FreeRDP 3 client (xfreerdp3, the invitation file as
# the first argument), is admitted and shows the shared screen. Pins what
# changed between FreeRDP 2 and 3. The lines pin the sharer's certificate
# (/cert:deny,fingerprint:sha256:HEX, not /cert:tofu): the same line with
# another fingerprint is refused in the TLS handshake, before the password.
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 800 600
start_xvfb VIEW 1024 768
start_pattern "$SHARED"
start_sharer --display "$SHARED"
screenshot "$SHARED" "$WORK/shared.png"
mapfile -t joins < <(sed -n 's/^join: //p' "$WORK/sharer.out")
[ "${#joins[@]}" = 2 ] || fail "expected two join lines, got ${#joins[@]}"
case "${joins[0]}" in xfreerdp3\ /v:*) ;; *) fail "first join line: ${joins[0]}" ;; esac
case "${joins[1]}" in xfreerdp3\ *.msrcIncident\ /assistance:*) ;; *) fail "second join line: ${joins[1]}" ;; esac
FP=$(openssl x509 -in "$XDG_CONFIG_HOME/rdpshare/cert.pem" -noout -fingerprint -sha256 |
	sed 's/.*=//; s/://g' | tr A-F a-f)
for line in "${joins[@]}"; do
	case "$line" in *" /cert:deny,fingerprint:sha256:$FP") ;; *) fail "not pinned to $FP: $line" ;; esac
done

# another fingerprint: refused in the TLS handshake, so the sharer never
# sees a logon (the password is not sent); no prompt either (deny)
WRONG=${FP/#?/$([ "${FP:0:1}" = 0 ] && echo 1 || echo 0)}
line=${joins[0]//YOUR_NAME/wrongfp}
line=${line/$FP/$WRONG}
log "running: $line"
# shellcheck disable=SC2086
DISPLAY=$VIEW $line /log-level:WARN </dev/null >"$WORK/wrongfp.log" 2>&1 &
pid=$!
track $pid
wait_for 30 grep -q 'certificate not trusted' "$WORK/wrongfp.log" || {
	cat "$WORK/wrongfp.log" >&2
	fail "a wrong fingerprint was not refused"
}
grep -q 'Do you trust' "$WORK/wrongfp.log" && fail "a wrong fingerprint was asked about, not refused"
kill $pid 2>/dev/null
grep -q 'name=wrongfp' "$WORK/sharer.out" && fail "a wrong fingerprint got as far as logging on"
id=0
for line in "${joins[@]}"; do
	id=$((id + 1))
	line=${line//YOUR_NAME/joiner$id}
	log "running: $line"
	# word splitting is what a user's shell does with the printed line
	# shellcheck disable=SC2086
	DISPLAY=$VIEW $line /log-level:WARN >>"$WORK/join$id.log" 2>&1 &
	pid=$!
	track $pid
	sharer_has "attendee-connected id=$id name=joiner$id " 30 || {
		cat "$WORK/join$id.log" >&2
		fail "join line $id was not admitted"
	}
	wait_same_picture "$VIEW" 800x600 "$WORK/shared.png" 0.02 20 || fail "join line $id: picture differs"
	kill $pid
	sharer_has "attendee-disconnected id=$id " || fail "join line $id did not leave"
done
log "ok"
