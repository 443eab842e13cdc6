# Shared helpers for the end-to-end tests: real processes (Xvfb, rdpshare,
# xfreerdp3) on free display numbers and loopback ports, cleaned up by pid.
# Source it; set BIN (the build dir with rdpshare and tests/) before.
set -u

E2E_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rdpshare-e2e-$E2E_NAME.XXXXXX")
unset WAYLAND_DISPLAY XDG_SESSION_TYPE SWAYSOCK
export HOME="$WORK/home" XDG_RUNTIME_DIR="$WORK/run" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
PIDS=""
OUT=${E2E_OUT:-$WORK}

log() { printf '[%s] %s\n' "$E2E_NAME" "$*" >&2; }
fail() {
	log "FAIL: $*"
	[ -f "$WORK/sharer.out" ] && sed 's/^/  sharer: /' "$WORK/sharer.out" | tail -n 30 >&2
	[ -f "$WORK/sharer.err" ] && sed 's/^/  sharer-err: /' "$WORK/sharer.err" | tail -n 30 >&2
	# once more last: the runner shows only the tail of a failed test
	log "FAIL: $*"
	exit 1
}

# The sharer is stopped first and politely: it must exit 0 on SIGTERM, and
# under ASan/UBSan its stderr must hold no report, or the test fails.
SHARER_PID=""
stop_sharer() {
	[ -n "$SHARER_PID" ] || return 0
	kill -TERM "$SHARER_PID" 2>/dev/null
	local i rc=0
	for i in $(seq 1 150); do
		kill -0 "$SHARER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SHARER_PID" 2>/dev/null; then
		log "FAIL: sharer ignored SIGTERM"
		kill -9 "$SHARER_PID"
		rc=1
	fi
	wait "$SHARER_PID" 2>/dev/null || { log "FAIL: sharer exit status $?"; rc=1; }
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/sharer.err" 2>/dev/null; then
		log "FAIL: sanitizer report from the sharer:"
		grep -A30 -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/sharer.err" | head -n 80 >&2
		rc=1
	fi
	SHARER_PID=""
	return $rc
}

cleanup() {
	local status=$?
	stop_sharer || status=1
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${KEEP_WORK:-}" ] || [ $status -ne 0 ] || rm -rf "$WORK"
	exit $status
}
trap cleanup EXIT

track() { PIDS="$PIDS $1"; }

# wait_for SECONDS COMMAND...: retry until the command succeeds.
wait_for() {
	local t=$1
	shift
	local end=$(($(date +%s%N) / 1000000 + t * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# start_xvfb VAR WIDTH HEIGHT: a private X server; sets VAR to ":N".
start_xvfb() {
	local var=$1 w=$2 h=$3 n
	for n in $(shuf -i 100-899 -n 60); do
		[ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
		Xvfb ":$n" -screen 0 "${w}x${h}x24" -nolisten tcp -noreset >"$WORK/xvfb$n.log" 2>&1 &
		local pid=$!
		track $pid
		if wait_for 10 xdpyinfo -display ":$n"; then
			eval "$var=:$n"
			return 0
		fi
		kill $pid 2>/dev/null
	done
	fail "no Xvfb could start"
}

# start_sharer ARGS...: run rdpshare on loopback port 0, wait for "ready";
# sets SHARER_PID, PORT, CONNSTR, PASSWORD (when generated), CTL.
start_sharer() {
	CTL="$WORK/ctl.sock"
	"$BIN/rdpshare" --listen 127.0.0.1:0 --ctl-socket "$CTL" "$@" \
		>"$WORK/sharer.out" 2>"$WORK/sharer.err" &
	SHARER_PID=$!
	track $SHARER_PID
	wait_for 20 grep -q -e '^ready' -e '"event":"ready"' "$WORK/sharer.out" ||
		fail "sharer did not become ready"
	PORT=$(sed -n 's/^listening: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/sharer.out" | head -n1)
	CONNSTR=$(sed -n 's/^connection-string: //p' "$WORK/sharer.out")
	PASSWORD=$(sed -n 's/^password: //p' "$WORK/sharer.out")
	if [ -z "$PORT" ]; then # --json
		PORT=$(sed -n 's/.*"event":"listening","address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' \
			"$WORK/sharer.out" | head -n1)
		CONNSTR=$(grep '"event":"invitation"' "$WORK/sharer.out" | head -n1 |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["connection_string"])')
		PASSWORD=$(grep '"event":"invitation"' "$WORK/sharer.out" | head -n1 | json_field password)
	fi
	[ -n "$PORT" ] || fail "no listening port printed"
}

# start_demo_sharer ARGS...: rdpshare on its demo desktop with no DISPLAY at
# all; sets the same variables as start_sharer.
start_demo_sharer() {
	(
		unset DISPLAY
		exec "$BIN/rdpshare" --listen 127.0.0.1:0 --ctl-socket "$WORK/ctl.sock" "$@"
	) >"$WORK/sharer.out" 2>"$WORK/sharer.err" </dev/null &
	SHARER_PID=$!
	track $SHARER_PID
	CTL="$WORK/ctl.sock"
	wait_for 20 grep -q -e '^ready' -e '"event":"ready"' "$WORK/sharer.out" ||
		fail "demo sharer did not become ready"
	PORT=$(sed -n 's/^listening: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/sharer.out" | head -n1)
	CONNSTR=$(sed -n 's/^connection-string: //p' "$WORK/sharer.out")
	PASSWORD=$(sed -n 's/^password: //p' "$WORK/sharer.out")
}

# start_pattern DISPLAY: the known test picture (tests/helpers/xpattern) on
# DISPLAY; sets PATTERN to its pid (SIGUSR1 switches the picture).
start_pattern() {
	DISPLAY=$1 "$BIN/tests/xpattern" >"$WORK/pattern.log" 2>&1 &
	PATTERN=$!
	track $PATTERN
	wait_for 10 grep -q drawn "$WORK/pattern.log" || fail "pattern did not draw"
}

ctl() { "$BIN/rdpshare" ctl --socket "$CTL" --json "$@"; }

# sharer_has PATTERN [SECONDS]: wait until the sharer printed a matching line.
sharer_has() { wait_for "${2:-15}" grep -q -- "$1" "$WORK/sharer.out"; }

# viewer VAR DISPLAY ARGS...: start xfreerdp3 on DISPLAY; VAR gets its pid. ARGS
# come first: xfreerdp3 reads an invitation file only as its first argument.
# With one, an empty /p: is added (as the printed join line has it): FreeRDP
# 3 otherwise asks for a password on the terminal before it connects, though
# in assistance mode it sends "*" whatever it is given.
viewer() {
	local var=$1 disp=$2 extra=""
	shift 2
	case "${1:-}" in *.msrcIncident) extra=/p: ;; esac
	DISPLAY=$disp xfreerdp3 "$@" $extra /cert:ignore /log-level:WARN -grab-keyboard \
		>>"$WORK/viewer-$disp.log" 2>&1 &
	local pid=$!
	track $pid
	eval "$var=$pid"
}

# screenshot DISPLAY FILE [WxH]: the root window (top-left WxH) as PNG.
screenshot() {
	local crop=""
	[ -n "${3:-}" ] && crop="-crop $3+0+0 +repage"
	xwd -root -silent -display "$1" | convert xwd:- $crop "$2"
}

# diff_score A B: mean absolute difference, 0 (same) .. 1 (opposite).
diff_score() {
	compare -metric MAE "$1" "$2" null: 2>&1 | sed -n 's/.*(\([0-9.e-]*\)).*/\1/p'
}

# same_picture A B MAX: fail unless the mean difference is below MAX.
same_picture() {
	local s
	s=$(diff_score "$1" "$2")
	log "difference $(basename "$1") vs $(basename "$2"): $s (max $3)"
	awk -v s="$s" -v m="$3" 'BEGIN { exit !(s != "" && s < m) }'
}

# wait_same_picture DISPLAY_VIEWER WxH REFERENCE MAX SECONDS: poll screenshots
# of the viewer until one matches the reference (the first frames take a
# moment to arrive); leaves the last one in $WORK/last.png.
wait_same_picture() {
	local disp=$1 size=$2 ref=$3 max=$4 t=$5 i s
	for i in $(seq 1 $((t * 2))); do
		screenshot "$disp" "$WORK/last.png" "$size"
		s=$(diff_score "$WORK/last.png" "$ref")
		if awk -v s="$s" -v m="$max" 'BEGIN { exit !(s != "" && s < m) }'; then
			log "viewer matches $(basename "$ref"): $s"
			return 0
		fi
		sleep 0.5
	done
	log "viewer never matched $(basename "$ref"): last difference $s"
	[ -n "${E2E_OUT:-}" ] && cp "$WORK/last.png" "$E2E_OUT/$E2E_NAME-last.png"
	return 1
}

json_field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" | head -n1 | tr -d '"'; }

# start_sway WIDTH HEIGHT [xwayland]: a headless sway (pixman renderer, no
# input devices) as an unprivileged user, since sway refuses to run as root.
# Sets SWAY_PID, SWAY_RUN (its runtime dir), WAYLAND_DISPLAY (absolute socket
# path, which libwayland takes as is) and SWAYSOCK (its IPC socket),
# exported. XWayland stays off (a killed sway would leave its X socket
# behind) unless asked for: then SWAY_XDISPLAY is its X display.
SWAY_USER=rdpshare-wl
start_sway() {
	local w=$1 h=$2 xw=disable before
	[ "${3:-}" = xwayland ] && xw=force
	before=$(ls /tmp/.X11-unix/ 2>/dev/null)
	id "$SWAY_USER" >/dev/null 2>&1 ||
		useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$SWAY_USER" ||
		fail "cannot create the user $SWAY_USER for sway"
	SWAY_RUN="$WORK/sway-run"
	mkdir -p "$SWAY_RUN"
	cat >"$SWAY_RUN/config" <<CONF
output HEADLESS-1 resolution ${w}x${h} position 0,0 bg #204060 solid_color
default_border none
focus_follows_mouse no
xwayland $xw
CONF
	chown -R "$SWAY_USER": "$SWAY_RUN"
	chmod 700 "$SWAY_RUN"
	chmod o+x "$WORK"
	(cd / && XDG_RUNTIME_DIR=$SWAY_RUN WLR_BACKENDS=headless WLR_RENDERER=pixman \
		WLR_LIBINPUT_NO_DEVICES=1 WAYLAND_DISPLAY= DISPLAY= \
		exec setpriv --reuid="$SWAY_USER" --regid="$SWAY_USER" --clear-groups \
		sway -c "$SWAY_RUN/config") >"$WORK/sway.log" 2>&1 &
	SWAY_PID=$!
	track $SWAY_PID
	wait_for 15 sh -c "ls '$SWAY_RUN'/sway-ipc.*.sock && test -S '$SWAY_RUN/wayland-1'" ||
		fail "sway did not start: $(tail -n 5 "$WORK/sway.log")"
	export WAYLAND_DISPLAY="$SWAY_RUN/wayland-1"
	SWAYSOCK=$(ls "$SWAY_RUN"/sway-ipc.*.sock | head -n 1)
	export SWAYSOCK
	wait_for 10 swaymsg -t get_outputs || fail "sway IPC does not answer"
	SWAY_XDISPLAY=""
	if [ $xw = force ]; then
		local i x
		for i in $(seq 1 50); do
			for x in $(ls /tmp/.X11-unix/ 2>/dev/null); do
				echo "$before" | grep -qx "$x" || SWAY_XDISPLAY=":${x#X}"
			done
			[ -n "$SWAY_XDISPLAY" ] && break
			sleep 0.1
		done
		[ -n "$SWAY_XDISPLAY" ] || fail "sway started no XWayland"
		# XWayland admits only its own user: let root's clients in
		wait_for 10 setpriv --reuid="$SWAY_USER" --regid="$SWAY_USER" --clear-groups \
			env DISPLAY="$SWAY_XDISPLAY" xhost +si:localuser:root ||
			fail "cannot open XWayland $SWAY_XDISPLAY to root"
		wait_for 10 xdpyinfo -display "$SWAY_XDISPLAY" || fail "XWayland $SWAY_XDISPLAY does not answer"
	fi
}

# sway_client CMD...: run a Wayland client on the test's sway (as root, which
# may connect to its socket); its pid is tracked and printed.
sway_client() {
	"$@" >>"$WORK/client.log" 2>&1 &
	track $!
	echo $!
}

# grim_shot FILE: the compositor's own screenshot.
grim_shot() { grim "$1"; }

# bus_daemon TYPE SOCKET: a private dbus-daemon of TYPE (session or system)
# on SOCKET whose config has no service directories, so nothing is activated
# behind the test's back, and which lets everyone own and call anything.
bus_daemon() {
	local type=$1 sock=$2 name=bus
	[ "$type" = session ] || name=bus-$type
	cat >"$WORK/$name.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>$type</type><listen>unix:path=$sock</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/>
<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
CONF
	dbus-daemon --config-file="$WORK/$name.conf" --nofork --nopidfile --nosyslog \
		>"$WORK/d$name.log" 2>&1 &
	track $!
	wait_for 10 test -S "$sock" || fail "dbus-daemon ($type) did not start"
}

bus_has_owner() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:"$1" 2>/dev/null | grep -q 'boolean true'
}

# gnome_desktop NAME READY CMD...: what start_mutter and start_gnome_shell
# share. A private session bus (exported DBUS_SESSION_BUS_ADDRESS), pipewire
# and wireplumber; then CMD, the compositor, with DISPLAY and WAYLAND_DISPLAY
# unset and GSETTINGS_BACKEND=memory; CMD must exec the compositor in the end
# so that MUTTER_PID is its own pid (tests stop and kill it). Its clients'
# Wayland display is MUTTER_WAYLAND (exported), its log $WORK/NAME.log. Waits
# until the command READY succeeds.
gnome_desktop() {
	local name=$1 ready=$2 i
	shift 2
	bus_daemon session "$XDG_RUNTIME_DIR/bus"
	export DBUS_SESSION_BUS_ADDRESS="unix:path=$XDG_RUNTIME_DIR/bus"
	export XDG_STATE_HOME="$WORK/state"
	unset PIPEWIRE_REMOTE PIPEWIRE_RUNTIME_DIR
	pipewire >"$WORK/pipewire.log" 2>&1 &
	track $!
	wait_for 10 test -S "$XDG_RUNTIME_DIR/pipewire-0" || fail "pipewire did not start"
	wireplumber >"$WORK/wireplumber.log" 2>&1 &
	track $!
	MUTTER_WAYLAND=wayland-rdpshare-e2e
	(unset DISPLAY WAYLAND_DISPLAY
	export GSETTINGS_BACKEND=memory
	exec "$@") >"$WORK/$name.log" 2>&1 &
	MUTTER_PID=$!
	track $MUTTER_PID
	export MUTTER_WAYLAND
	for i in $(seq 1 300); do
		"$ready" && return 0
		kill -0 "$MUTTER_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$name did not come up on the bus: $(tail -n 5 "$WORK/$name.log")"
}

# start_mutter WIDTH HEIGHT: headless GNOME (mutter 43: --headless --wayland
# --no-x11 --virtual-monitor) on a private session bus of its own (a
# dbus-daemon whose config has no service directories, so nothing is
# activated behind the test's back), with pipewire and wireplumber. Exports
# DBUS_SESSION_BUS_ADDRESS and MUTTER_WAYLAND (the Wayland display name of
# its clients); sets MUTTER_PID.
mutter_ready() { bus_has_owner org.gnome.Mutter.RemoteDesktop; }
start_mutter() {
	gnome_desktop mutter mutter_ready mutter --headless --wayland --no-x11 \
		--virtual-monitor "${1}x${2}" --wayland-display wayland-rdpshare-e2e
}

# start_gnome_shell WIDTH HEIGHT: as start_mutter (the same variables, so
# start_wlpattern, the sharer's gnome back-end and the tests' D-Bus calls
# work alike), but the whole GNOME Shell 43 --headless, which lists windows
# (org.gnome.Shell.Introspect) and evaluates JavaScript (--unsafe-mode:
# gs_eval). It needs a system bus (a second private dbus-daemon, exported
# DBUS_SYSTEM_BUS_ADDRESS; logind, upower and the like are simply absent)
# and must not see the host's /run/systemd/seats, or it waits for a logind
# session: a private mount namespace gets a tmpfs there (the host's stays as
# it is). Returns once Eval answers, with the overview (shown at start-up)
# closed, animations and notification banners off. What the screen shows: the top
# bar (y < 32 at scale 1: Activities, the focused window's app id, a clock
# that changes every minute, an indicator while the screen is cast) over a
# plain background; new windows get the focus, and are placed by Mutter's
# own rules (the first at 60,76 on 1024x768): move them with gs_move.
gnome_shell_ready() {
	bus_has_owner org.gnome.Mutter.RemoteDesktop && bus_has_owner org.gnome.Shell.Introspect &&
		gs_call 1 >/dev/null
}
start_gnome_shell() {
	bus_daemon system "$WORK/system-bus"
	export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/system-bus"
	# unshare -m execs sh, which execs gnome-shell: MUTTER_PID stays its pid
	gnome_desktop gnome-shell gnome_shell_ready unshare -m sh -c \
		'if [ -d /run/systemd ]; then mount -t tmpfs none /run/systemd || exit 1; fi; exec "$@"' \
		sh gnome-shell --headless --wayland --no-x11 --unsafe-mode \
		--virtual-monitor "${1}x${2}" --wayland-display wayland-rdpshare-e2e
	# Eval answers during the start-up animation, which ends in the overview
	wait_for 20 gs_is 'Main.layoutManager._startingUp' false ||
		fail "gnome-shell did not finish starting up: $(tail -n 5 "$WORK/gnome-shell.log")"
	gs_eval 'Main.overview.hide()' >/dev/null
	wait_for 10 gs_is 'Main.overview.visible || Main.overview.animationInProgress' false ||
		fail "gnome-shell's overview did not close"
	# animations off even with a GPU (without one the shell turns them off
	# itself): windows appear, move and raise at once
	gs_eval 'imports.gi.St.Settings.get().inhibit_animations(); imports.gi.St.Settings.get().enable_animations' |
		grep -qx false || fail "gnome-shell's animations stay on"
	# no banners over the windows (at start: "Screen Lock disabled", top
	# centre, for seconds)
	gs_eval 'Main.messageTray.bannerBlocked = true; Main.messageTray.visible' | grep -qx false ||
		fail "gnome-shell's notification banners stay visible"
}

# gs_call JS: org.gnome.Shell.Eval of JS in the shell of start_gnome_shell;
# prints the result (JSON.stringify of JS's value; an exception's text when
# it failed) and returns 1 when the shell says it failed or does not answer.
gs_call() {
	local out
	out=$(dbus-send --session --print-reply=literal --reply-timeout=10000 \
		--dest=org.gnome.Shell /org/gnome/Shell org.gnome.Shell.Eval string:"$1" 2>&1) ||
		{ printf '%s\n' "$out"; return 1; }
	# "   boolean B" then "   RESULT" (raw, newlines and all)
	printf '%s\n' "$out" | sed -e '1d' -e '2s/^   //'
	case "$out" in "   boolean true"*) return 0 ;; esac
	return 1
}

# gs_is JS VALUE: whether JS evaluates to VALUE (as JSON: true, 3, "text");
# for wait_for.
gs_is() { [ "$(gs_call "$1")" = "$2" ]; }

# gs_eval JS: as gs_call, but a failure fails the test.
gs_eval() {
	local out
	out=$(gs_call "$1") || fail "gnome-shell could not evaluate $1: $out"
	printf '%s\n' "$out"
}

# gs_window_js TITLE: JavaScript for the Meta.Window with that title (the
# first one; undefined when there is none).
gs_window_js() {
	local t
	t=$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')
	printf 'global.get_window_actors().map(a => a.meta_window).find(w => w.get_title() == "%s")' "$t"
}

# gs_rect TITLE: "X Y W H" of the window's frame rectangle (layout
# coordinates: the monitor's top-left is 0,0); empty when there is no such
# window. Wayland clients get no decorations from GNOME Shell (no
# xdg-decoration): a wlpattern window's frame is its buffer.
gs_rect() {
	gs_call "(w => w ? [w.get_frame_rect()].map(r => [r.x, r.y, r.width, r.height].join(' '))[0] : '')($(gs_window_js "$1"))" |
		tr -d '"'
}

# gs_has_window TITLE: whether the shell has a window with that title.
gs_has_window() { [ -n "$(gs_rect "$1")" ]; }

# gs_windows: the windows, one line each: "TITLE X Y W H" (frame
# rectangles), bottom of the stack first; for titles without quotes,
# backslashes or newlines.
gs_windows() {
	gs_eval 'global.display.sort_windows_by_stacking(global.get_window_actors().map(a => a.meta_window)).map(w => [w.get_frame_rect()].map(r => [w.get_title(), r.x, r.y, r.width, r.height].join(" "))[0]).join("\n")' |
		sed -e 's/^"//' -e 's/"$//' -e 's/\\n/\n/g'
}

# gs_move TITLE X Y: move the window's frame to X,Y (layout coordinates; the
# top bar covers y < its height, so keep y below it) and wait until the
# shell reports it there.
gs_move() {
	local r i
	gs_has_window "$1" || fail "gs_move: no window '$1'"
	gs_eval "$(gs_window_js "$1").move_frame(true, $2, $3)" >/dev/null
	for i in $(seq 1 50); do
		r=$(gs_rect "$1")
		case "$r" in "$2 $3 "*) return 0 ;; esac
		sleep 0.1
	done
	fail "window '$1' did not move to $2,$3 (at: $r)"
}

# gs_raise TITLE: raise the window to the top and give it the keyboard focus;
# waits until the shell says it is the focused, topmost window.
gs_raise() {
	local w
	gs_has_window "$1" || fail "gs_raise: no window '$1'"
	w=$(gs_window_js "$1")
	gs_eval "$w.activate(global.get_current_time())" >/dev/null
	wait_for 5 gs_is "(w => global.display.focus_window == w && global.display.sort_windows_by_stacking(global.get_window_actors().map(a => a.meta_window)).pop() == w)($w)" true ||
		fail "window '$1' was not raised and focused"
}

# gs_screenshot FILE: gnome-shell's own picture of the screen (PNG; its
# Screenshot interface, which answers in unsafe mode), the oracle a viewer's
# picture is compared with on GNOME Shell.
gs_screenshot() {
	dbus-send --session --print-reply --reply-timeout=10000 --dest=org.gnome.Shell.Screenshot \
		/org/gnome/Shell/Screenshot org.gnome.Shell.Screenshot.Screenshot boolean:false \
		boolean:false string:"$1" 2>&1 | grep -q 'boolean true' && [ -s "$1" ] ||
		fail "gnome-shell took no screenshot"
}

# start_wlpattern: the known picture (tests/helpers/wlpattern) fullscreen on
# mutter, logging the input it gets; sets WLPATTERN (pid; SIGUSR1 switches
# the picture).
start_wlpattern() {
	WAYLAND_DISPLAY=$MUTTER_WAYLAND "$BIN/tests/wlpattern" >"$WORK/wlpattern.log" 2>&1 &
	WLPATTERN=$!
	track $WLPATTERN
	wait_for 15 grep -q '^drawn' "$WORK/wlpattern.log" ||
		fail "wlpattern did not draw: $(tail -n 5 "$WORK/wlpattern.log")"
	# Mutter animates a new window in; a screen cast started during that
	# animation sometimes never gets its last frame from Mutter 43 (seen:
	# the stream stops at a frame from the middle of it), so tests start
	# sharing once it is over
	sleep 1.5
}

# start_wlwindow W H RRGGBB TITLE APPID: a normal window of one colour
# (wlpattern window) on start_gnome_shell's desktop, logging its input to
# $WORK/wlwindow-TITLE.log; waits until the shell lists it (wherever Mutter
# placed it: gs_move it). Sets WLWINDOW (its pid; SIGUSR1 puts the box on it).
start_wlwindow() {
	local log
	log="$WORK/wlwindow-$(printf '%s' "$4" | tr -c 'A-Za-z0-9_-' _).log"
	WAYLAND_DISPLAY=$MUTTER_WAYLAND "$BIN/tests/wlpattern" window "$@" >"$log" 2>&1 &
	WLWINDOW=$!
	track $WLWINDOW
	wait_for 15 grep -q '^drawn' "$log" || fail "window '$4' did not draw: $(tail -n 5 "$log")"
	wait_for 10 gs_has_window "$4" || fail "gnome-shell does not list the window '$4'"
}

# pattern_png W H FILE [box]: what wlpattern shows (its bars, and with box
# the second picture's box); W a multiple of 8
pattern_png() {
	local w=$1 h=$2 f=$3 i draw=""
	local bars=(12c034 ff0000 00ff00 0000ff ffffff 000000 ffff00 00ffff)
	for i in 0 1 2 3 4 5 6 7; do
		draw="$draw -fill '#${bars[$i]}' -draw 'rectangle $((i * w / 8)),0 $(((i + 1) * w / 8 - 1)),$((h - 1))'"
	done
	[ "${4:-}" = box ] && draw="$draw -fill '#c03412' -draw 'rectangle $((w / 4)),$((h / 4)) $((w / 2 - 1)),$((h / 2 - 1))'"
	eval convert -size "${w}x${h}" xc:black "$draw" "$f"
}

# clipboard_rules NAME: the clipboard's rules between the shared desktop and
# one xfreerdp3 viewer, on any back-end. The caller defines wl_set TEXT and
# wl_get (the desktop's clipboard), started the sharer with the password pw
# and an Xvfb VIEW. With EnableClipboardRedirect on, text goes both ways for
# an INTERACTIVE attendee, never for a view-only one; nothing with it off.
clipboard_rules() {
	local name=$1
	wl_is() { [ "$(wl_get)" = "$1" ]; }
	xsel_set() { # TEXT: own the viewer's X clipboard (xclip keeps serving it)
		printf '%s' "$1" | DISPLAY=$VIEW xclip -selection clipboard -loops 0 -quiet >/dev/null 2>&1 &
		track $!
	}
	xsel_get() { DISPLAY=$VIEW timeout 5 xclip -selection clipboard -o 2>/dev/null; }
	x_is() { [ "$(xsel_get)" = "$1" ]; }
	ctl set EnableClipboardRedirect true | grep -q '"ok":true' || fail "cannot enable the clipboard"
	viewer V "$VIEW" /v:127.0.0.1:$PORT /u:clara /p:pw /size:800x600 +clipboard
	sharer_has 'attendee-connected id=1 name=clara' || fail "viewer not admitted"
	sleep 2
	# view-only: nothing crosses either way
	wl_set "from-$name-1"
	xsel_set "from-viewer-1"
	sleep 3
	x_is "from-$name-1" && fail "a view-only attendee got the $name clipboard"
	wl_is "from-viewer-1" && fail "a view-only attendee set the $name clipboard"
	# interactive: both ways
	ctl level 1 interactive >/dev/null || fail "ctl level"
	sleep 1
	wl_set "from-$name-2 ✓"
	wait_for 15 x_is "from-$name-2 ✓" || fail "$name's text did not reach the viewer (got '$(xsel_get)')"
	xsel_set "from-viewer-2 ünï"
	wait_for 15 wl_is "from-viewer-2 ünï" || fail "viewer's text did not reach $name (got '$(wl_get)')"
	# the property off: nothing crosses
	ctl set EnableClipboardRedirect false >/dev/null || fail "cannot disable the clipboard"
	sleep 1
	wl_set "from-$name-3"
	xsel_set "from-viewer-3"
	sleep 3
	x_is "from-$name-3" && fail "clipboard crossed with the property off"
	wl_is "from-viewer-3" && fail "clipboard crossed with the property off"
}

# desktop_dies PID PASSWORD: with a second viewer (rdpview) watching, kill -9
# the compositor PID: an error event, the sharer exits 1 and the viewer is
# told it was removed (rdpview exits 5). Needs --json and the ids so far < 9.
desktop_dies() {
	local pid=$1 pw=$2 rc vrc
	local n=$(grep -c '"event":"attendee_connected"' "$WORK/sharer.out")
	"$BIN/rdpview" --headless --events --seconds 60 --name watcher --password "$pw" "$CONNSTR" \
		>"$WORK/watcher.out" 2>"$WORK/watcher.err" &
	local watcher=$!
	track $watcher
	sharer_has '"event":"attendee_connected","id":'"$((n + 1))" || fail "watcher not admitted"
	sleep 1
	kill -9 "$pid"
	sharer_has '"event":"error"' 20 || fail "no error event when the desktop died"
	grep '"event":"error"' "$WORK/sharer.out" | grep -q 'display' ||
		fail "the error does not name the display: $(grep '"event":"error"' "$WORK/sharer.out")"
	wait_for 20 sh -c "! kill -0 $SHARER_PID" || fail "the sharer did not end after the desktop died"
	wait "$SHARER_PID"
	rc=$?
	SHARER_PID=""
	[ "$rc" = 1 ] || fail "exit status $rc after the desktop died, wanted 1"
	wait "$watcher"
	vrc=$?
	[ "$vrc" = 5 ] || fail "the watching viewer: exit $vrc, wanted 5 (removed by the sharer)"
	grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/sharer.err" &&
		fail "sanitizer report: $(grep -A20 -E 'Sanitizer|runtime error' "$WORK/sharer.err" | head -n 40)"
	return 0
}

# drive SCRIPT_LINES...: a viewer (rdpview) that asks for INTERACTIVE, runs
# the input script lines ("MS ACTION ..."), and quits 4 s in; fails the test
# when it cannot.
drive() {
	printf '%s\n' "0 request interactive" "$@" "4000 quit" >"$WORK/input.script"
	"$BIN/rdpview" --headless --seconds 30 --name driver --password "$PASSWORD" \
		--input-script "$WORK/input.script" "$CONNSTR" >"$WORK/driver.log" 2>&1 ||
		fail "the driving viewer failed: $(tail -n 5 "$WORK/driver.log")"
}

# filter_opened SHOWN HIDDEN NAME: the sharer (--json, --app SHOWN) reports
# the filter on, application SHOWN (a pid) named NAME open and shared, and
# HIDDEN open and not; HIDDEN_WIN gets the id of HIDDEN's first window.
filter_opened() {
	sharer_has '"event":"filter_updated","enabled":true' || fail "no filter event"
	sharer_has '"event":"application_open","id":'"$1"',"name":"'"$3"'","shared":true' ||
		fail "$1 did not open shared: $(grep application_open "$WORK/sharer.out")"
	sharer_has '"event":"application_open","id":'"$2"',"name":"'"$3"'","shared":false' ||
		fail "$2 did not open (not shared)"
	HIDDEN_WIN=$(grep '"event":"window_open"' "$WORK/sharer.out" | grep '"app":'"$2"',' |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -n1)
	[ -n "$HIDDEN_WIN" ] || fail "no window_open for $2"
}

# ---- input floods (test_*_input_flood.sh) ---------------------------------
# The scenarios every desktop's input flood test runs; the sharer runs with
# --json and its viewer ids so far are known to the caller.

# input_flood ID MODE N PASSWORD: an input_flood viewer (tests/helpers) in the
# background, promoted to INTERACTIVE as soon as it is admitted as ID; its
# output in $WORK/flood-ID.out, its pid in FLOOD.
input_flood() {
	local id=$1
	FLOOD_WAIT=4 "$BIN/tests/input_flood" "$PORT" "$4" "$2" "$3" >"$WORK/flood-$id.out" 2>&1 &
	FLOOD=$!
	track $FLOOD
	sharer_has '"event":"attendee_connected","id":'"$id" || fail "flood $id not admitted"
	ctl level "$id" interactive | grep -q '"ok":true' || fail "ctl level $id"
}

# click_viewer ID PASSWORD: a viewer (rdpview) admitted as ID, made
# INTERACTIVE, right-clicks at 400,300 and leaves; returns once it has left.
click_viewer() {
	printf '%s\n' "0 request interactive" "1500 click right 400 300" "2500 quit" \
		>"$WORK/click.script"
	"$BIN/rdpview" --headless --seconds 20 --name after --password "$2" \
		--input-script "$WORK/click.script" "$CONNSTR" >"$WORK/after.log" 2>&1 &
	local viewer=$!
	track $viewer
	sharer_has '"event":"attendee_connected","id":'"$1" || fail "viewer after the flood not admitted"
	ctl level "$1" interactive >/dev/null
	wait "$viewer"
}

# term_under_flood PID NAME SECONDS ID PASSWORD: with the compositor PID
# (called NAME) stopped and a flood of characters (input_flood ID unicode)
# behind it, SIGTERM ends the sharer within SECONDS, with status 0 and no
# sanitizer report. PID is continued either way.
term_under_flood() {
	local pid=$1 name=$2 secs=$3 t0 t1 rc
	kill -STOP "$pid"
	input_flood "$4" unicode 300 "$5"
	sleep 3
	t0=$(date +%s%N)
	kill -TERM "$SHARER_PID"
	wait_for "$secs" sh -c "! kill -0 $SHARER_PID" ||
		{ kill -CONT "$pid"; fail "SIGTERM did not end the sharer within $secs s while $name was stopped"; }
	t1=$(date +%s%N)
	log "SIGTERM with $name stopped under a flood: gone in $(((t1 - t0) / 1000000)) ms"
	kill -CONT "$pid"
	wait "$SHARER_PID"
	rc=$?
	SHARER_PID=""
	[ "$rc" = 0 ] || fail "exit status $rc on SIGTERM"
	grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$WORK/sharer.err" &&
		fail "sanitizer report: $(grep -A20 -E 'Sanitizer|runtime error' "$WORK/sharer.err" | head -n 40)"
	return 0
}
