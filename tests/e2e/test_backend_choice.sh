#!/bin/bash
# Which desktop is shared: --backend auto picks wlroots for a Wayland
# display with wlr-screencopy, X11 for $DISPLAY, else the demo; a Wayland
# session that no Wayland back-end serves is refused with a sentence that
# names the desktop and what is missing — the XWayland root ($DISPLAY) is
# never shared in its place; an explicit --backend is obeyed or refused.
. "$(dirname "$0")/lib.sh"

# launch NAME fg|bg ENV... -- ARGS...: rdpshare on loopback with only the
# ENV given of DISPLAY, WAYLAND_DISPLAY and XDG_SESSION_TYPE; fg waits (its
# status is the result), bg sets LAUNCHED to its pid
launch() {
	local name=$1 mode=$2
	shift 2
	local envs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	local cmd=(env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_SESSION_TYPE "${envs[@]}")
	if [ "$mode" = fg ]; then
		"${cmd[@]}" timeout 20 "$BIN/rdpshare" --listen 127.0.0.1:0 \
			--ctl-socket "$WORK/ctl-$name.sock" "$@" \
			>"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
		return
	fi
	"${cmd[@]}" "$BIN/rdpshare" --listen 127.0.0.1:0 --ctl-socket "$WORK/ctl-$name.sock" "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
	LAUNCHED=$!
	track $LAUNCHED
}

# expect_refusal NAME PATTERN ENV... -- ARGS...: exit 1, no "ready", PATTERN on stderr
expect_refusal() {
	local name=$1 pat=$2
	shift 2
	launch "$name" fg "$@"
	local rc=$?
	[ "$rc" = 1 ] || fail "$name: exit $rc, wanted 1 ($(cat "$WORK/$name.err"))"
	grep -q ready "$WORK/$name.out" && fail "$name: became ready"
	grep -q -- "$pat" "$WORK/$name.err" || fail "$name: stderr lacks '$pat': $(cat "$WORK/$name.err")"
	log "$name: $(grep rdpshare: "$WORK/$name.err" | head -n 1)"
}

# expect_desktop NAME BACKEND ENV... -- ARGS...: ready, sharing BACKEND
expect_desktop() {
	local name=$1 want=$2
	shift 2
	launch "$name" bg "$@"
	local pid=$LAUNCHED
	wait_for 20 grep -q '^ready' "$WORK/$name.out" || fail "$name: not ready: $(cat "$WORK/$name.err")"
	grep -q "^desktop: $want\$" "$WORK/$name.out" ||
		fail "$name: shares $(sed -n 's/^desktop: //p' "$WORK/$name.out"), wanted $want"
	kill -TERM $pid
	wait $pid || fail "$name: exit status $? on SIGTERM"
	grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/$name.err" &&
		fail "$name: sanitizer report: $(cat "$WORK/$name.err")"
	log "$name: shares $want"
}

start_xvfb XD 640 480

# a Wayland session whose compositor is not there: refused, X never shared
expect_refusal wayland-session "Wayland session" XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=KDE \
	DISPLAY="$XD" --
grep -q "XWayland" "$WORK/wayland-session.err" || fail "the refusal does not say why X is not shared"
grep -q "KDE" "$WORK/wayland-session.err" || fail "the refusal does not name the desktop"
expect_refusal dead-socket "no Wayland compositor answers at $WORK/nothing" \
	WAYLAND_DISPLAY="$WORK/nothing" DISPLAY="$XD" --
expect_refusal forced-wlroots "no Wayland compositor answers" -- --backend wlroots
expect_refusal forced-x11 "cannot open the X display" -- --backend x11
"$BIN/rdpshare" --backend weston >/dev/null 2>"$WORK/bad-name.err" </dev/null
rc=$?
[ "$rc" = 2 ] || fail "a bad --backend name: exit $rc, wanted 2 (usage)"
grep -q -- "--backend wants" "$WORK/bad-name.err" || fail "a bad --backend name is not explained"

# the application filter where the desktop lists no windows: said, not a blank picture
expect_refusal demo-app "the demo desktop has no windows" -- --demo --app xterm

# what is there is found
expect_desktop x11 x11 DISPLAY="$XD" --
expect_desktop demo demo --
expect_desktop forced-demo demo DISPLAY="$XD" -- --backend demo
# an explicit X11 choice in a Wayland session is the user's, not a silent one
expect_desktop explicit-x11 x11 XDG_SESSION_TYPE=wayland DISPLAY="$XD" -- --backend x11
expect_desktop explicit-display x11 XDG_SESSION_TYPE=wayland -- --display "$XD"

start_sway 640 480
expect_desktop sway wlroots WAYLAND_DISPLAY="$WAYLAND_DISPLAY" DISPLAY="$XD" XDG_SESSION_TYPE=wayland --
expect_desktop sway-by-name wlroots -- --display "$WAYLAND_DISPLAY"
log "ok"
