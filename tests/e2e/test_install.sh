#!/bin/bash
# `make install PREFIX=…` gives a library, header, pkg-config file and tool
# that work from there: a program built with pkg-config opens a session and
# prints its connection string; the installed tool finds its library; the
# man pages render (and librdpshare(3)'s program builds); the bash
# completion is where bash-completion looks for it; the systemd user unit
# starts the installed rdpshare (test_user_unit.sh runs it).
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(basename "$BIN")
san=""
[ "$build" = build-asan ] && san="SAN=1"
make -s -C "$top" BUILD="$build" $san install PREFIX="$WORK/prefix" >"$WORK/install.log" 2>&1 ||
	{ cat "$WORK/install.log"; fail "make install"; }
export PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig"
[ "$(pkg-config --variable=prefix rdpshare)" = "$WORK/prefix" ] || fail "rdpshare.pc prefix"
cat >"$WORK/api.c" <<'C'
#include <rdpshare.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	const char *listen[] = {"127.0.0.1:0", NULL};
	struct rdpshare_config cfg = {.size = sizeof(struct rdpshare_config), .demo = 1, .listen = listen};
	rdpshare_session *s = NULL;
	rdpshare_invitation *inv = NULL;
	char *cs = NULL;
	int r = rdpshare_session_create(&cfg, NULL, NULL, &s);
	if (!r)
		r = rdpshare_session_create_invitation(s, NULL, "g", "pw", 2, &inv);
	if (!r)
		r = rdpshare_session_open(s);
	if (!r)
		r = rdpshare_invitation_get_connection_string(inv, &cs);
	printf("%s\n", r ? rdpshare_strerror(r) : cs);
	free(cs);
	rdpshare_session_destroy(s);
	return r != 0;
}
C
flags=""
[ -n "$san" ] && flags="-fsanitize=address,undefined"
cc -std=c11 -Wall -Werror $flags "$WORK/api.c" $(pkg-config --cflags --libs rdpshare) \
	-Wl,-rpath,"$WORK/prefix/lib" -o "$WORK/api" || fail "cannot build against the installed library"
"$WORK/api" >"$WORK/api.out" 2>"$WORK/api.err" || { cat "$WORK/api.out" "$WORK/api.err"; fail "api program"; }
grep -q '^<E><A KH="[^"]*" ID="[^"]*"/><C><T ID="1" SID="0"><L P="[0-9]*" N="127.0.0.1"/></T></C></E>$' \
	"$WORK/api.out" || fail "unexpected connection string: $(cat "$WORK/api.out")"
"$WORK/prefix/bin/rdpshare" --help >/dev/null || fail "installed rdpshare does not run"
for page in man1/rdpshare.1 man1/rdpview.1 man3/librdpshare.3; do
	f="$WORK/prefix/share/man/$page"
	[ -f "$f" ] || fail "$page not installed"
	name=$(basename "$page" | sed 's/\.[0-9]$//' | tr a-z A-Z)
	MANWIDTH=80 man -l "$f" 2>"$WORK/man.err" >"$WORK/man.out" || fail "man -l $page failed"
	head -n 1 "$WORK/man.out" | grep -q "^$name(" || fail "$page renders as: $(head -n 1 "$WORK/man.out")"
	grep -q '^NAME' "$WORK/man.out" || fail "$page has no NAME section"
	[ -s "$WORK/man.err" ] && fail "man -l $page: $(cat "$WORK/man.err")"
	groff -man -Tutf8 -ww -z "$f" 2>"$WORK/groff.err"
	[ -s "$WORK/groff.err" ] && fail "groff warns about $page: $(cat "$WORK/groff.err")"
done
# the minimal program of librdpshare(3), as the page prints it, is
# examples/share_desktop.c and builds against the installed library
MANWIDTH=200 man -l "$WORK/prefix/share/man/man3/librdpshare.3" 2>/dev/null |
	sed -n '/^EXAMPLE/,/^SEE ALSO/p' | sed -n '/#include <signal.h>/,/^ *Build and join/p' |
	sed -e '$d' -e 's/^       //' >"$WORK/page.c"
grep -q 'rdpshare_session_run' "$WORK/page.c" || fail "no program in librdpshare(3)"
sed -n '/#include <signal.h>/,$p' "$top/examples/share_desktop.c" | diff -w -B - "$WORK/page.c" >&2 ||
	fail "librdpshare(3)'s program is not examples/share_desktop.c"
cc -std=c11 -Wall -Werror $flags "$WORK/page.c" $(pkg-config --cflags --libs rdpshare) \
	-Wl,-rpath,"$WORK/prefix/lib" -o "$WORK/page" || fail "librdpshare(3)'s program does not build"
unit="$WORK/prefix/lib/systemd/user/rdpshare.service"
[ -f "$unit" ] || fail "the systemd user unit is not installed"
grep -qx "ExecStart=$WORK/prefix/bin/rdpshare --backend auto --password-file %t/rdpshare-service/password \$RDPSHARE_OPTIONS" \
	"$unit" || fail "the unit does not start the installed rdpshare: $(grep ExecStart "$unit")"
# it exits 0 on what it only warns about (a misspelt setting, a bad value)
systemd-analyze verify --user --man=no "$unit" >"$WORK/verify.log" 2>&1 && [ ! -s "$WORK/verify.log" ] ||
	fail "systemd-analyze verify: $(cat "$WORK/verify.log")"
[ -f "$WORK/prefix/share/bash-completion/completions/rdpshare" ] || fail "bash completion not installed"
bash -c ". '$WORK/prefix/share/bash-completion/completions/rdpshare' && complete -p rdpshare" \
	>/dev/null 2>&1 || fail "the installed completion does not load"
log "ok"
