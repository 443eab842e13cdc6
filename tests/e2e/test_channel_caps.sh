#!/bin/bash
# One channel message cannot take the sharer's memory (issue 15, item 2): a
# hostile viewer (tests/helpers/chan_flood) streams up to 256 MiB as one
# message on each kind of channel (multiparty, clipboard, drdynvc, and an
# application channel's DATA_FIRST declaring 4 GiB). Each time the sharer's
# peak RSS (VmHWM) stays within 16 MiB of its RSS before, and a normal viewer
# still gets pictures after. The attacker is dropped with reason error
# (-EMSGSIZE), except on the clipboard: a text over its limit is what a
# user's large copy looks like, so it is passed over unbuffered and the
# viewer stays (32 MiB of it is enough to show nothing is kept).
. "$(dirname "$0")/lib.sh"
start_xvfb SHARED 640 480
# the attacker comes in at NONE: not even viewing is needed to attack
start_sharer --display "$SHARED" --password pw --channel chat --level none </dev/null

mem() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$SHARER_PID/status"; }
# the peak (VmHWM) starts again from the RSS of now (proc(5), clear_refs)
reset_peak() { echo 5 >"/proc/$SHARER_PID/clear_refs" || fail "cannot reset the peak RSS"; }
MAX_KB=$((16 * 1024))
# a viewer first, so the sharer's one-time costs of a first connection (TLS,
# FreeRDP's tables, codecs) are not counted against the first attack
"$BIN/rdpview" --headless --name warmup --password pw --seconds 2 "$CONNSTR" \
	>/dev/null 2>"$WORK/warmup.err"
sharer_has 'attendee-disconnected id=1 name=warmup' || fail "the first viewer did not come and go"
n=1
for kind in encomsp cliprdr drdynvc "dvc chat"; do
	n=$((n + 1))
	reset_peak
	before=$(mem VmRSS)
	# shellcheck disable=SC2086 # kind is two words for dvc
	mib=256
	[ "$kind" = cliprdr ] && mib=32
	WLOG_LEVEL=ERROR timeout 120 "$BIN/tests/chan_flood" "$PORT" pw $kind $mib \
		>"$WORK/flood$n.out" 2>"$WORK/flood$n.err" ||
		fail "chan_flood $kind: $(cat "$WORK/flood$n.err")"
	after=$(mem VmHWM)
	grow=$((after - before))
	log "$kind: $(grep '^sent=' "$WORK/flood$n.out"); RSS ${before} kB, peak ${after} kB (+${grow} kB)"
	[ "$grow" -lt "$MAX_KB" ] || fail "$kind: the sharer's peak RSS grew by ${grow} kB"
	if [ "$kind" = cliprdr ]; then
		grep -q 'disconnected=0' "$WORK/flood$n.out" ||
			fail "cliprdr: a text over the limit dropped the viewer"
		sent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' "$WORK/flood$n.out")
		[ "${sent:-0}" -ge $((32 << 20)) ] || fail "cliprdr: not all was sent"
		sharer_has "attendee-disconnected id=$n name=flood reason=client" ||
			fail "cliprdr: the viewer did not leave by itself"
		continue
	fi
	grep -q 'disconnected=1' "$WORK/flood$n.out" || fail "$kind: the attacker was not dropped"
	sharer_has "attendee-disconnected id=$n name=flood reason=error code=-90" ||
		fail "$kind: the sharer did not report the attacker gone with an error"
done

# a normal viewer is still served (at VIEW, to be shown something)
ctl set DefaultAttendeeControlLevel 2 | grep -q '"ok":true' || fail "cannot set the level"
"$BIN/rdpview" --headless --name after --password pw --frames 1 --seconds 30 --stats \
	"$CONNSTR" >"$WORK/after.json" 2>"$WORK/after.err" ||
	fail "a viewer after the attacks failed: $(cat "$WORK/after.err")"
grep -q '"frames":[1-9]' "$WORK/after.json" || fail "no frames after the attacks"
log "ok"
