#!/bin/bash
# The sharer speaks TLS 1.2 or newer and says so: a client that offers only
# TLS 1.0 or 1.1 is refused with a protocol_version alert. (Without the
# explicit minimum, FreeRDP's default is TLS 1.0, and OpenSSL's security
# level refuses the old versions only by accident, with internal_error.)
# The probe's own side allows everything (security level 0).
. "$(dirname "$0")/lib.sh"
PROBE="$(dirname "$0")/../helpers/tls_probe.py"
start_demo_sharer --demo --password pw
for v in 1.0 1.1; do
	out=$(python3 "$PROBE" "$PORT" $v)
	rc=$?
	log "TLS $v: $out"
	[ $rc = 1 ] || fail "TLS $v: not refused for its version (exit $rc): $out"
done
for v in 1.2 1.3; do
	out=$(python3 "$PROBE" "$PORT" $v)
	rc=$?
	log "TLS $v: $out"
	[ $rc = 0 ] || fail "TLS $v refused (exit $rc): $out"
done
stop_sharer || fail "sharer did not stop"
log "ok"
