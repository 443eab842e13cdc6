#!/bin/bash
# The man pages keep up with the tools: every long option that `rdpshare
# --help` and `rdpview --help` print is in rdpshare(1) or rdpview(1), and
# every ctl command the sharer's "unknown command" answer offers, and top,
# is in rdpshare(1). MAN_DIR (default man/ of this tree) names the pages.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
man_dir=${MAN_DIR:-$top/man}
# the page as text, hyphens plain (groff writes \- as U+2212 in some locales)
page() {
	MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$man_dir/$1" 2>/dev/null | sed 's/\xe2\x88\x92/-/g'
}
page rdpshare.1 >"$WORK/rdpshare.txt" && [ -s "$WORK/rdpshare.txt" ] || fail "rdpshare.1 does not render"
page rdpview.1 >"$WORK/rdpview.txt" && [ -s "$WORK/rdpview.txt" ] || fail "rdpview.1 does not render"
# has_word FILE WORD: WORD stands on its own in FILE (not as the start of a
# longer option or command)
has_word() { grep -q -e "\(^\|[^a-z0-9-]\)$2\($\|[^a-z0-9-]\)" "$1"; }
missing=""
for tool in rdpshare rdpview; do
	"$BIN/$tool" --help >"$WORK/$tool.help" || fail "$tool --help failed"
	opts=$(grep -o -- '--[a-z][a-z-]*' "$WORK/$tool.help" | sort -u)
	[ "$(echo "$opts" | wc -l)" -ge 10 ] || fail "too few options in $tool --help: $opts"
	for o in $opts; do
		has_word "$WORK/$tool.txt" "$o" || missing="$missing $tool:$o"
	done
done
start_sharer --demo </dev/null
"$BIN/rdpshare" ctl --socket "$CTL" frobnicate 2>"$WORK/unknown.err"
[ $? = 2 ] || fail "an unknown command is not exit 2"
# "rdpshare ctl: unknown command; try: attendees, invitations, kick ID, ..."
cmds=$(sed -n 's/.*unknown command; try: //p' "$WORK/unknown.err" | tr ',' '\n' |
	sed 's/^ *//' | cut -d' ' -f1 | grep '^[a-z]' | sort -u)
[ "$(echo "$cmds" | wc -l)" -ge 15 ] || fail "too few commands in the answer: $(cat "$WORK/unknown.err")"
for c in $cmds top; do
	has_word "$WORK/rdpshare.txt" "$c" || missing="$missing ctl:$c"
done
# ... and each heads an entry of the CONTROL section ("       pause, resume")
sed -n '/^CONTROL/,/^EXIT STATUS/p' "$WORK/rdpshare.txt" >"$WORK/control.txt"
for c in $cmds top; do
	grep -q "^       \([a-z-]*\( [A-Z_.]*\)\?, \)\?$c\( \|$\|,\)" "$WORK/control.txt" ||
		missing="$missing ctl-section:$c"
done
[ -z "$missing" ] || fail "not in the man pages:$missing"
log "ok"
