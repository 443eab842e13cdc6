#!/bin/bash
# Every fuzz target for RUNS executions (default 10 million), from its seed
# corpus; one JSON line each with the executions done and the result.
#   tests/soak/fuzz_long.sh [RUNS]        (after make fuzz)
set -u
cd "$(dirname "$0")/../.."
RUNS=${1:-10000000}
status=0
for f in build-fuzz/fuzz_*; do
	name=$(basename "$f")
	work=$(mktemp -d)
	start=$(date +%s)
	"$f" -runs="$RUNS" -max_len=4096 -print_final_stats=1 "$work" "fuzz/corpus/${name#fuzz_}" \
		>"$work/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	printf '{"fuzz":"%s","executions":%s,"seconds":%d,"corpus":%d,"exit":%d}\n' \
		"$name" "${execs:-0}" $(($(date +%s) - start)) "$(ls "$work" | wc -l)" "$rc"
	[ $rc = 0 ] || { tail -n 40 "$work/log"; status=1; }
	rm -rf "$work"
done
exit $status
