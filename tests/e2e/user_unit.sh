# The systemd user unit (systemd/rdpshare.service.in) under a real systemd
# user manager, for test_user_unit.sh (the unit of a build) and
# tests/pkg/test_deb.sh (the unit the package installs). Source before lib.sh.

# A systemd user manager runs only where systemd seems booted
# (/run/systemd/system), and removes a unit's RuntimeDirectory with what is
# in it only on a tmpfs, as /run/user/UID is. So the test runs in a private
# mount namespace (sourcing this file re-executes it there) whose /run is a
# tmpfs of its own with systemd/system and user/UID, the XDG_RUNTIME_DIR of
# a real login; the host's /run stays as it is.
[ -n "${RDPSHARE_UNIT_NS:-}" ] || exec unshare -m env RDPSHARE_UNIT_NS=1 bash "$0" "$@"

# start_user_manager: `systemd --user` for this test's HOME, with an
# environment of its own (no DISPLAY) plus the sanitizers' options; exports
# XDG_RUNTIME_DIR (/run/user/UID). systemctl --user reaches it through
# $XDG_RUNTIME_DIR/systemd/private.
start_user_manager() {
	mount -t tmpfs -o mode=0755 none /run && mkdir -p /run/systemd/system "/run/user/$(id -u)" ||
		fail "cannot mount a private /run for systemd --user"
	export XDG_RUNTIME_DIR="/run/user/$(id -u)"
	chmod 700 "$XDG_RUNTIME_DIR"
	env -i HOME="$HOME" XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		PATH="$PATH" LANG=C.UTF-8 ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
		LSAN_OPTIONS="${LSAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		/lib/systemd/systemd --user >"$WORK/systemd.log" 2>&1 &
	track $!
	wait_for 20 systemctl --user show-environment ||
		fail "systemd --user did not start: $(tail -n 5 "$WORK/systemd.log")"
}

unit_show() { systemctl --user show -p "$1" --value rdpshare.service; }

# unit_failed_start WHAT: `systemctl --user start` fails (the sharer exits
# before it is ready), and its automatic restart is called off.
unit_failed_start() {
	systemctl --user start rdpshare.service 2>/dev/null && fail "started $1"
	systemctl --user stop rdpshare.service
	systemctl --user reset-failed rdpshare.service 2>/dev/null
}

# unit_check RDPSHARE: the unit the user manager finds as rdpshare.service
# (with a drop-in that sends its output to $WORK/service.out and .err, since
# no journal runs here), RDPSHARE the rdpshare to run by hand and ask with
# ctl. Without a display it does not start; with a DISPLAY that cannot be
# opened it fails (never the demo desktop); beside a sharer started by hand
# it fails and leaves that one's socket and invitation file alone. With the
# X display of the manager's environment it is active once listening, with
# the invitation file in $XDG_RUNTIME_DIR/rdpshare and a new password in
# $XDG_RUNTIME_DIR/rdpshare-service (0600, directories 0700), and prints no
# password; a viewer joins with those two files and sees the desktop;
# stopped, it exits 0 and both files are gone; started again, the password
# is new.
unit_check() {
	local rdpshare=$1 dir pwdir pw pw2 shared view by_hand
	mkdir -p "$XDG_CONFIG_HOME/systemd/user/rdpshare.service.d" "$XDG_CONFIG_HOME/rdpshare"
	printf '[Service]\nStandardOutput=append:%s\nStandardError=append:%s\n' \
		"$WORK/service.out" "$WORK/service.err" \
		>"$XDG_CONFIG_HOME/systemd/user/rdpshare.service.d/test.conf"
	# tests listen on loopback only
	echo 'RDPSHARE_OPTIONS="--listen 127.0.0.1:0"' >"$XDG_CONFIG_HOME/rdpshare/service.conf"
	start_user_manager
	dir="$XDG_RUNTIME_DIR/rdpshare"
	pwdir="$XDG_RUNTIME_DIR/rdpshare-service"
	[ "$(unit_show UnitFileState)" = disabled ] || fail "the unit is not off by default"

	systemctl --user start rdpshare.service || fail "start without a display"
	[ "$(unit_show ConditionResult)" = no ] || fail "started without a display"
	[ -e "$dir/ctl.sock" ] && fail "a sharer runs without a display (the demo desktop?)"

	systemctl --user set-environment DISPLAY=:999
	unit_failed_start "with a DISPLAY that cannot be opened"
	grep -q 'desktop: demo' "$WORK/service.out" && fail "the demo desktop in place of a stale DISPLAY"
	grep -q 'cannot open' "$WORK/service.err" || fail "no reason for the stale DISPLAY"

	start_xvfb shared 800 600
	start_xvfb view 1024 768
	start_pattern "$shared"
	screenshot "$shared" "$WORK/shared.png"
	systemctl --user set-environment DISPLAY="$shared"

	# a sharer started by hand in the same session keeps its files
	"$rdpshare" --demo --listen 127.0.0.1:0 >"$WORK/by-hand.out" 2>&1 </dev/null &
	by_hand=$!
	track $by_hand
	wait_for 20 grep -qx ready "$WORK/by-hand.out" || fail "the sharer by hand did not start"
	unit_failed_start "beside a sharer started by hand"
	[ -f "$dir/invitation.msrcIncident" ] || fail "the failed start removed the invitation by hand"
	"$rdpshare" ctl --json attendees | grep -q '"ok":true' ||
		fail "the failed start cut the sharer by hand off its control socket"
	kill -TERM $by_hand
	wait $by_hand || fail "the sharer by hand did not end cleanly"

	: >"$WORK/service.out"
	systemctl --user start rdpshare.service ||
		fail "start: $(tail -n 5 "$WORK/service.err" 2>/dev/null)"
	# Type=notify: start returned, so the sharer listens already
	[ "$(unit_show ActiveState)" = active ] || fail "not active after start"
	track "$(unit_show MainPID)"
	grep -qx ready "$WORK/service.out" || fail "active before the sharer was ready"
	grep -qx 'desktop: x11' "$WORK/service.out" || fail "not the X display it was given"
	for f in "$dir/invitation.msrcIncident" "$pwdir/password"; do
		[ "$(stat -c %a "$f" 2>/dev/null)" = 600 ] || fail "$f missing or not 0600"
		[ "$(stat -c %a "$(dirname "$f")")" = 700 ] || fail "$(dirname "$f") is not 0700"
	done
	pw=$(cat "$pwdir/password")
	[ ${#pw} -ge 12 ] || fail "password '$pw' too short"
	grep -qF "$pw" "$WORK/service.out" "$WORK/service.err" && fail "the password is in the output"
	cp "$dir/invitation.msrcIncident" "$WORK/invite.msrcIncident"
	viewer v1 "$view" "$WORK/invite.msrcIncident" /assistance:"$pw" /u:ann
	wait_for 20 grep -q 'attendee-connected id=1' "$WORK/service.out" ||
		fail "the viewer was not admitted"
	wait_same_picture "$view" 800x600 "$WORK/shared.png" 0.02 20 || fail "viewer picture differs"
	"$rdpshare" ctl --json attendees | grep -q '"name":"ann"' ||
		fail "ctl at the default socket does not list the viewer"
	kill "$v1"

	systemctl --user stop rdpshare.service || fail "stop"
	[ "$(unit_show Result)" = success ] || fail "stopped with result $(unit_show Result)"
	[ "$(unit_show ExecMainStatus)" = 0 ] || fail "exit status $(unit_show ExecMainStatus)"
	[ -e "$pwdir" ] && fail "$pwdir stays after stop"
	[ -e "$dir/invitation.msrcIncident" ] && fail "the invitation file stays after stop"
	grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/service.err" &&
		fail "sanitizer report: $(head -n 40 "$WORK/service.err")"

	systemctl --user start rdpshare.service || fail "second start"
	track "$(unit_show MainPID)"
	pw2=$(cat "$pwdir/password")
	[ -n "$pw2" ] && [ "$pw2" != "$pw" ] || fail "the password is not new at the second start"
	systemctl --user stop rdpshare.service || fail "second stop"
	[ "$(unit_show Result)" = success ] || fail "second stop: $(unit_show Result)"
}
