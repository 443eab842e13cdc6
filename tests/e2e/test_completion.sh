#!/bin/bash
# The bash completion (completions/rdpshare), sourced in plain bash: options
# and their values, ctl commands, and the attendee ids of `ctl kick` asked
# from the running sharer at the socket given earlier with --socket.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
script=${COMPLETION:-$top/completions/rdpshare}
start_sharer --demo </dev/null
"$BIN/rdpview" --headless --seconds 30 --name ann --password "$PASSWORD" "$CONNSTR" \
	>"$WORK/view.log" 2>&1 &
track $!
wait_for 15 sh -c "'$BIN/rdpshare' ctl --socket '$CTL' --json attendees | grep -q '\"id\":1'" ||
	fail "the viewer was not admitted"
# complete WORDS...: what bash would offer for the last word (may be empty),
# the command being the build's rdpshare; one candidate a line
complete_words() {
	bash -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_rdpshare rdpshare "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' complete "$script" "$BIN/rdpshare" "$@"
}
is() { # WANTED WORDS...: the candidates, space-separated, are WANTED
	local want=$1 got
	shift
	got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || fail "rdpshare $* <TAB>: '$got', wanted '$want'"
}
is "--backend" --back
is "auto demo gnome wlroots x11" --backend ""
is "ask deny grant" --demo --on-request ""
is "none view" --level ""
is "ctl" c
is "kick" ctl ki
is "kick" ctl --socket "$CTL" ki
is "1" ctl --socket "$CTL" kick ""
is "1" ctl --json --socket "$CTL" level ""
is "interactive" ctl --socket "$CTL" level 1 int
is "top" ctl to
# without --socket the default socket (none here) is asked: no ids
is "" ctl kick ""
bash -c '. "$1" && complete -p rdpshare' complete "$script" | grep -q -- '-F _rdpshare rdpshare$' ||
	fail "the script does not register its function for rdpshare"
log "ok"
