#!/bin/bash
# The Debian packages (debian/): built from a copy of this tree with
# `dpkg-buildpackage -us -uc -b`, with the symbols file exact; lintian finds
# no error; `apt-get install ./*.deb` installs them; the installed sharer
# shares the demo desktop with xfreerdp3, examples/ build with pkg-config
# against librdpshare-dev and run, and the installed systemd user unit works
# (unit_check); then the packages are removed again. Needs root (apt-get)
# and BIN (a build with the test helpers, for the unit's X11 picture).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/user_unit.sh"
. "$here/../e2e/lib.sh"
top=$(cd "$here/../.." && pwd)
pkgs="rdpshare librdpshare-dev librdpshare0"
[ "$(id -u)" = 0 ] || fail "needs root: it installs the packages with apt-get"
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" &&
		fail "$p is installed already: this test would replace it, then remove it"
done
installed=0
remove_packages() {
	[ $installed = 1 ] || return 0
	apt-get purge -y -qq $pkgs >"$WORK/purge.log" 2>&1 || cat "$WORK/purge.log" >&2
}
trap 'st=$?; remove_packages; (exit $st); cleanup' EXIT

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src="$WORK/deb/rdpshare-$version"
mkdir -p "$src"
git -C "$top" ls-files -co --exclude-standard -z | (cd "$top" && tar --null -cf - -T -) |
	tar -xf - -C "$src" || fail "cannot copy the tree"
# level 4: a symbol added to or gone from the library fails the build until
# debian/librdpshare0.symbols says so
(cd "$src" && DPKG_GENSYMBOLS_CHECK_LEVEL=4 dpkg-buildpackage -us -uc -b) \
	>"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; fail "dpkg-buildpackage"; }
log "built: $(cd "$WORK/deb" && ls *.deb | tr '\n' ' ')"
lintian --fail-on error --display-level ">=warning" "$WORK/deb/rdpshare_${version}_"*.changes \
	>"$WORK/lintian.log" 2>&1 || { cat "$WORK/lintian.log"; fail "lintian reports errors"; }
grep -E '^[EW]: ' "$WORK/lintian.log" >&2
log "lintian: $(grep -c '^E: ' "$WORK/lintian.log") errors, $(grep -c '^W: ' "$WORK/lintian.log") warnings"

installed=1
debs=""
for p in $pkgs; do debs="$debs $WORK/deb/${p}_${version}_$(dpkg --print-architecture).deb"; done
apt-get install -y -qq --no-install-recommends $debs >"$WORK/install.log" 2>&1 ||
	{ cat "$WORK/install.log"; fail "apt-get install"; }
[ "$(command -v rdpshare)" = /usr/bin/rdpshare ] || fail "rdpshare is not /usr/bin/rdpshare"
readelf -d /usr/bin/rdpshare | grep -qE 'RPATH|RUNPATH' && fail "the packaged rdpshare has an RPATH"
# (/lib is /usr/lib on a merged-/usr system)
ldd /usr/bin/rdpshare | grep -qE "librdpshare.so.0 => (/usr)?/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/" ||
	fail "the packaged rdpshare does not use the packaged library: $(ldd /usr/bin/rdpshare)"
# deb-systemd-helper --user enable would link it for every user here
ls /etc/systemd/user/*/rdpshare.service >/dev/null 2>&1 && fail "the package enabled the user unit"
MANWIDTH=80 man rdpshare 2>/dev/null | grep -q 'RUNNING IN THE BACKGROUND' ||
	fail "man rdpshare does not show the installed page"

# the installed sharer on its demo desktop, and a stock client
start_xvfb view 1024 768
BIN=/usr/bin start_demo_sharer
viewer v1 "$view" /v:127.0.0.1:$PORT /u:ann /p:"$PASSWORD"
sharer_has 'attendee-connected id=1 name=ann' || fail "xfreerdp3 was not admitted"
sleep 3
/usr/bin/rdpshare ctl --socket "$CTL" pause >/dev/null || fail "ctl pause"
sleep 1
screenshot "$view" "$WORK/viewer.png" 1024x768
sd=$(convert "$WORK/viewer.png" -colorspace gray -format '%[fx:standard_deviation]' info:)
log "viewer picture standard deviation: $sd"
awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' || fail "the viewer's picture looks blank"
# The demo goes on moving under a paused stream, so only its still parts
# (the title band, the "typed:" bar) are the same for the viewer and in
# the sharer's frame buffer: exactly.
/usr/bin/rdpshare ctl --socket "$CTL" snapshot "$WORK/sharer.png" >/dev/null || fail "ctl snapshot"
for band in 1024x40+0+0 1024x40+0+728; do
	convert "$WORK/viewer.png" -crop "$band" +repage "$WORK/viewer-band.png"
	convert "$WORK/sharer.png" -crop "$band" +repage "$WORK/sharer-band.png"
	same_picture "$WORK/viewer-band.png" "$WORK/sharer-band.png" 0.001 ||
		fail "the viewer does not show the sharer's picture ($band)"
done
kill "$v1"
stop_sharer || fail "the installed sharer did not end cleanly"

# the examples, built as their users would: pkg-config and the -dev package
for ex in "$top"/examples/*.c; do
	name=$(basename "$ex" .c)
	# what else it needs, from its own build line
	more=$(sed -n 's/.*pkg-config --cflags --libs rdpshare \([a-z0-9 -]*\)).*/\1/p' "$ex")
	cc -std=c11 -Wall -Wextra -Werror "$ex" $(pkg-config --cflags --libs rdpshare $more) \
		-o "$WORK/$name" 2>"$WORK/$name.err" || { cat "$WORK/$name.err"; fail "$name does not build"; }
done
"$WORK/echo_channel" pw --demo 127.0.0.1:0 >"$WORK/echo.out" 2>&1 &
echo_pid=$!
track $echo_pid
wait_for 15 grep -q '^connection-string: <E><A KH=' "$WORK/echo.out" ||
	fail "echo_channel built against the package did not share: $(cat "$WORK/echo.out")"
kill "$echo_pid"

# the unit the package installed, under a real systemd --user
unit_check /usr/bin/rdpshare
log "ok"
