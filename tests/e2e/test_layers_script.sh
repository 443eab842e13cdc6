#!/bin/bash
# scripts/layers.sh on throwaway trees: a capture file that includes a
# session header fails, a clean tree passes, a file in no layer is refused;
# with objects, an upward call and a cycle of three files fail while a pair
# calling each other passes. Needs no build of rdpshare (only cc and nm).
. "$(dirname "$0")/lib.sh"

LAYERS_SH="$(cd "$(dirname "$0")/../.." && pwd)/scripts/layers.sh"

# put TREE FILE TEXT: write TREE/FILE
put() {
	mkdir -p "$(dirname "$1/$2")"
	printf '%s\n' "$3" >"$1/$2"
}

# expect WANT_STATUS PATTERN ARGS...: run the script, check status and output
expect() {
	local want=$1 pattern=$2
	shift 2
	bash "$LAYERS_SH" "$@" >"$WORK/out" 2>&1
	local rc=$?
	[ $rc = "$want" ] || fail "layers.sh $*: exit $rc, wanted $want: $(cat "$WORK/out")"
	grep -qF -- "$pattern" "$WORK/out" || fail "layers.sh $*: no '$pattern' in: $(cat "$WORK/out")"
	log "layers.sh $* -> $rc: $(grep -F -- "$pattern" "$WORK/out" | head -n1)"
}

# a lower layer (capture) includes from a higher one (the object model)
bad="$WORK/bad"
put "$bad" src/session_internal.h '#include "capture/cap.h"'
put "$bad" src/capture/cap.h '/* the back-end interface */'
put "$bad" src/capture/cap.c '#include "capture/cap.h"
#include "session_internal.h"'
expect 1 "src/capture/cap.c -> src/session_internal.h" --includes "$bad"
expect 1 "1 violation" "$bad"
expect 0 "src/capture/cap.c -> src/session_internal.h" --list "$bad"

# the same tree, clean: includes point down, the public header is open to all
good="$WORK/good"
put "$good" include/rdpshare.h '/* the API */'
put "$good" src/session_internal.h '#include "rdpshare.h"
#include "capture/cap.h"'
put "$good" src/capture/cap.h '#include "util/clock.h"'
put "$good" src/capture/cap.c '#include "capture/cap.h"
#include "rdpshare.h"
#include <stdio.h>'
put "$good" src/util/clock.h '/* time */'
expect 0 "layers: includes OK" "$good"
grep -q violation "$WORK/out" && fail "clean tree reported: $(cat "$WORK/out")"

# a file the table does not place is refused, not skipped
put "$good" src/newthing.c '/* where does it go? */'
expect 2 "src/newthing.c: in no layer" "$good"
rm "$good/src/newthing.c"

# calls, from object files: capture calls up into the session
calls="$WORK/calls"
obj() { # TREE FILE C-TEXT: write the source and compile it to TREE/build/obj
	put "$1" "$2" "$3"
	mkdir -p "$(dirname "$1/build/obj/$2")"
	cc -c -o "$1/build/obj/${2%.c}.o" "$1/$2" || fail "cc $2"
}
obj "$calls" src/session.c 'void session_poke(void) {}'
obj "$calls" src/capture/cap.c 'void session_poke(void); void cap_run(void) { session_poke(); }'
expect 1 "src/capture/cap.c -> src/session.c: calls session_poke" --calls "$calls"
expect 0 "layers: includes OK" --includes "$calls"

# a pair of helpers calling each other is tolerated ...
pair="$WORK/pair"
obj "$pair" src/util/a.c 'void b(void); void a(void) { b(); }'
obj "$pair" src/util/b.c 'void a(void); void b(void) { a(); }'
expect 0 "layers: calls OK" --calls "$pair"
# ... three in a circle are not
obj "$pair" src/util/b.c 'void c(void); void b(void) { c(); }'
obj "$pair" src/util/c.c 'void a(void); void c(void) { a(); }'
expect 1 "cycle: 3 files call each other round: src/util/a.c src/util/b.c src/util/c.c" \
	--calls "$pair"
# --calls with nothing built fails rather than passing quietly
expect 1 "no object files" --calls "$good"
log "ok"
