#!/bin/bash
# The sharer's terminal as people use it, driven through tmux: the sharer in
# a pane shows no FreeRDP line however many port probes come, and shows them
# with -v; `ctl top` draws the attendees' table (its columns) and the
# pending request, answers the request on top with y, kicks the chosen
# attendee with k, quits with q and leaves the terminal as it was; into a
# pipe it prints one plain line a second.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh --test installs it)"
TM="tmux -L rdpshare-e2e-$$ -f /dev/null"
cleanup_tmux() { $TM kill-server 2>/dev/null; }
trap 'st=$?; cleanup_tmux; (exit $st); cleanup' EXIT
pane() { $TM capture-pane -p -t "$1"; }
probe() { python3 "$(dirname "$0")/../helpers/x224_probe.py" "$1" 5 >/dev/null || fail "probe"; }

# the sharer itself in a terminal: quiet, then -v
for v in "" -v; do
	$TM new-session -d -s "sharer$v" -x 200 -y 50 \
		"$BIN/rdpshare --demo --listen 127.0.0.1:0 --ctl-socket $WORK/t$v.sock $v; sleep 60"
	wait_for 15 sh -c "$TM capture-pane -p -t 'sharer$v' | grep -q '^password: '" ||
		fail "the sharer did not start in tmux: $(pane "sharer$v")"
	port=$(pane "sharer$v" | sed -n 's/^listening: 127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n1)
	probe "$port"
	sleep 1
	if [ -z "$v" ]; then
		pane "sharer$v" | grep -i -E 'com\.freerdp|com\.winpr|BIO_|rdpshare: freerdp' &&
			fail "FreeRDP's log in the terminal by default"
	else
		wait_for 5 sh -c "$TM capture-pane -p -t 'sharer$v' | grep -q '^rdpshare: freerdp '" ||
			fail "-v shows no FreeRDP line: $(pane "sharer$v")"
	fi
	$TM send-keys -t "sharer$v" C-c
	# one sharer a login session: the next waits for this one to end
	wait_for 15 sh -c "$TM capture-pane -p -t 'sharer$v' | grep -q 'closed$'" ||
		fail "the sharer in tmux did not end on ^C: $(pane "sharer$v")"
done
log "the sharer's own terminal: quiet by default, FreeRDP's lines with -v"

start_sharer --demo --json </dev/null
printf '%s\n' "1000 request interactive" "30000 quit" >"$WORK/ask.script"
"$BIN/rdpview" --headless --seconds 40 --name ann --password "$PASSWORD" \
	--input-script "$WORK/ask.script" "$CONNSTR" >"$WORK/ann.log" 2>&1 &
track $!
sharer_has '"event":"control_request","id":1' || fail "no control request"
$TM new-session -d -s top -x 120 -y 30 "$BIN/rdpshare ctl --socket $CTL top; echo top-exit=\$?; sleep 60"
wait_for 10 sh -c "$TM capture-pane -p -t top | grep -q '^REQUEST  *ATTENDEE  *NAME  *WANTS'" ||
	fail "top shows no request: $(pane top)"
pane top | grep -q '^ID  *NAME  *ADDRESS  *LEVEL  *CODEC  *FPS  *KBIT/S  *P50 MS  *SKIPPED$' ||
	fail "top's columns: $(pane top)"
pane top | grep -q '^> 1  *ann  *127\.0\.0\.1:[0-9]*  *view ' || fail "top's attendee row: $(pane top)"
$TM send-keys -t top y
sharer_has '"event":"attendee_update","id":1,"level":"interactive"' 10 ||
	fail "y did not grant: $(pane top)"
wait_for 5 sh -c "$TM capture-pane -p -t top | grep -q 'granted request 1: done'" ||
	fail "top did not say it granted: $(pane top)"
$TM send-keys -t top k
sharer_has '"event":"attendee_disconnected","id":1' 10 || fail "k did not kick: $(pane top)"
$TM send-keys -t top q
wait_for 5 sh -c "$TM capture-pane -p -t top | grep -q 'top-exit=0'" || fail "q did not quit: $(pane top)"
log "ctl top: table, y grants, k kicks, q quits"

timeout 3.5 "$BIN/rdpshare" ctl --socket "$CTL" top >"$WORK/top.txt"
[ "$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] attendees=0 requests=0$' "$WORK/top.txt")" -ge 2 ] ||
	fail "top into a pipe: $(cat "$WORK/top.txt")"
LC_ALL=C grep -q "$(printf '\033')" "$WORK/top.txt" && fail "escape sequences into a pipe"
# the sharer going away ends top with the reason, exit 1
"$BIN/rdpshare" ctl --socket "$CTL" top >"$WORK/top2.txt" 2>"$WORK/top2.err" &
TOP=$!
track $TOP
wait_for 5 grep -q attendees= "$WORK/top2.txt" || fail "top did not start"
stop_sharer || fail "the sharer did not stop cleanly"
wait_for 5 sh -c "! kill -0 $TOP" || fail "top did not end with the sharer"
wait "$TOP"
[ $? = 1 ] || fail "top's exit status when the sharer went: not 1"
grep -q '^rdpshare ctl top: no sharer listening' "$WORK/top2.err" || fail "top's reason: $(cat "$WORK/top2.err")"
log "ok"
