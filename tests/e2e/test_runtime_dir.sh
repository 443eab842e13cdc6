#!/bin/bash
# The runtime directory (instance lock, control socket, invitation file) is
# used only when it is private. Without XDG_RUNTIME_DIR it is
# ${TMPDIR:-/tmp}/rdpshare-UID, a name anyone can take first: one owned by
# another user, open to others (0777) or a symbolic link is refused with a
# clear error instead of being written into; a fresh one is made 0700 and
# works. `rdpshare ctl` will not talk to a socket in such a directory either.
. "$(dirname "$0")/lib.sh"
T="$WORK/tmp"
mkdir -p "$T"
chmod 755 "$T"
RT="$T/rdpshare-$(id -u)"

# refused NAME PATTERN [VAR=VALUE...]: the sharer, with no XDG_RUNTIME_DIR,
# TMPDIR=$T and the default control socket, exits 1 at once, saying PATTERN
refused() {
	local name=$1 pattern=$2
	shift 2
	timeout 20 env -u XDG_RUNTIME_DIR TMPDIR="$T" "$@" "$BIN/rdpshare" --demo \
		--listen 127.0.0.1:0 --password s3cret >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
	local rc=$?
	[ $rc = 1 ] || fail "$name: exit status $rc, not 1 (accepted?): $(cat "$WORK/$name.err")"
	grep -q "$pattern" "$WORK/$name.err" || fail "$name: unclear error: $(cat "$WORK/$name.err")"
	grep -q '^ready' "$WORK/$name.out" && fail "$name: the sharer started"
	log "$name: $(head -n1 "$WORK/$name.err")"
}

# open to everyone: refused, and left as it was (never tightened behind the
# user's back: someone may already have put files in it)
mkdir "$RT"
chmod 777 "$RT"
refused open "$RT.*has mode 0777, not 0700"
[ "$(stat -c %a "$RT")" = 777 ] || fail "the sharer changed the mode of $RT"
[ -e "$RT/rdpshare.lock" ] && fail "the sharer wrote into the 0777 directory"

# a control socket planted there: ctl does not talk to it
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(60)' \
	"$RT/ctl.sock" &
track $!
wait_for 10 test -S "$RT/ctl.sock" || fail "no planted socket"
env -u XDG_RUNTIME_DIR TMPDIR="$T" timeout 10 "$BIN/rdpshare" ctl --json invite --password mine \
	>/dev/null 2>"$WORK/ctl.err" && fail "ctl used a socket in a 0777 directory"
grep -q "not using $RT/ctl.sock: its directory has mode 0777" "$WORK/ctl.err" ||
	fail "ctl: unclear error: $(cat "$WORK/ctl.err")"
rm -rf "$RT"

# a symbolic link, even to a private directory of ours
mkdir -m 700 "$WORK/elsewhere"
ln -s "$WORK/elsewhere" "$RT"
refused link "$RT is a symbolic link"
[ -e "$WORK/elsewhere/rdpshare.lock" ] && fail "the sharer wrote through the link"
rm -f "$RT"

# owned by another user (root can arrange that)
if [ "$(id -u)" = 0 ]; then
	mkdir -m 700 "$RT"
	chown 65534:65534 "$RT"
	refused foreign "$RT is owned by uid 65534, not by uid 0"
	rm -rf "$RT"
else
	log "not root: the foreign-owner case is left to the unit test"
fi

# with XDG_RUNTIME_DIR: the directory itself and our rdpshare/ below it
mkdir -m 755 "$WORK/xdg"
refused xdg-open "$WORK/xdg has mode 0755" XDG_RUNTIME_DIR="$WORK/xdg"
chmod 700 "$WORK/xdg"
mkdir -m 777 "$WORK/xdg/rdpshare"
chmod 777 "$WORK/xdg/rdpshare"
refused xdg-sub "control socket $WORK/xdg/rdpshare/ctl.sock has mode 0777" \
	XDG_RUNTIME_DIR="$WORK/xdg"

# fresh: made 0700, and everything works from it
env -u XDG_RUNTIME_DIR TMPDIR="$T" "$BIN/rdpshare" --demo --listen 127.0.0.1:0 --password s3cret \
	>"$WORK/sharer.out" 2>"$WORK/sharer.err" </dev/null &
SHARER_PID=$!
track $SHARER_PID
wait_for 20 grep -q '^ready' "$WORK/sharer.out" || fail "no start in a fresh runtime directory"
[ "$(stat -c %a:%u "$RT")" = "700:$(id -u)" ] || fail "$RT is $(stat -c %a:%u "$RT")"
grep -q "^invitation-file: $RT/invitation.msrcIncident$" "$WORK/sharer.out" ||
	fail "invitation not in $RT: $(grep invitation-file "$WORK/sharer.out")"
[ -S "$RT/ctl.sock" ] && [ -f "$RT/rdpshare.lock" ] || fail "no socket or lock in $RT"
env -u XDG_RUNTIME_DIR TMPDIR="$T" "$BIN/rdpshare" ctl --json attendees | grep -q '"ok":true' ||
	fail "ctl with the default socket"
stop_sharer || fail "the sharer did not stop cleanly"
log "ok"
