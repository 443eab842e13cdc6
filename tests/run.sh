#!/bin/bash
# Build (normal and ASan+UBSan) and run every test: cmocka unit tests in both
# builds, end-to-end tests (real Xvfb, rdpshare, xfreerdp) in both builds, the
# Debian packages (tests/pkg/test_deb.sh), and a short fuzz run. Ends with "N passed, N failed".
#   tests/run.sh [--quick]   --quick: normal build only, no packages, no fuzzing
set -u
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
failures=""
mkdir -p tests/out
export E2E_OUT=$PWD/tests/out

result() { # NAME STATUS
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS: $1"
	else
		failed=$((failed + 1))
		failures="$failures $1"
		echo "FAIL: $1"
	fi
}

# layers point one way (scripts/layers.sh): includes from the sources now,
# calls from the normal build's objects once it is built
scripts/layers.sh --includes >tests/out/layers.log 2>&1
rc=$?
[ $rc -ne 0 ] && cat tests/out/layers.log
result layers $rc

builds="build"
[ $quick = 0 ] && builds="build build-asan"
# LeakSanitizer: report our leaks, not the X/FreeRDP libraries' one-time
# allocations (tests/lsan.supp names them).
export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

for b in $builds; do
	san=""
	[ "$b" = build-asan ] && san="SAN=1"
	if ! make -s -j"$jobs" BUILD="$b" $san tests >"tests/out/make-$b.log" 2>&1; then
		cat "tests/out/make-$b.log"
		result "build:$b" 1
		continue
	fi
	result "build:$b" 0
	if [ "$b" = build ]; then
		scripts/layers.sh --calls --build build >tests/out/layers-calls.log 2>&1
		rc=$?
		[ $rc -ne 0 ] && cat tests/out/layers-calls.log
		result layers:calls $rc
	fi
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		name="unit:$b:$(basename "$t")"
		timeout 300 "$t" >"tests/out/$(basename "$t")-$b.log" 2>&1
		rc=$?
		[ $rc -ne 0 ] && tail -n 40 "tests/out/$(basename "$t")-$b.log"
		result "$name" $rc
	done
	for t in tests/e2e/test_*.sh; do
		name="e2e:$b:$(basename "$t" .sh)"
		BIN=$PWD/$b timeout 600 bash "$t" >"tests/out/$(basename "$t" .sh)-$b.log" 2>&1
		rc=$?
		[ $rc -ne 0 ] && tail -n 60 "tests/out/$(basename "$t" .sh)-$b.log"
		result "$name" $rc
	done
done

# the Debian packages, built, installed, used and removed (once: they are
# built from the sources, not from either build); root, as CI is
if [ $quick = 0 ]; then
	BIN=$PWD/build timeout 1200 bash tests/pkg/test_deb.sh >tests/out/test_deb.log 2>&1
	rc=$?
	[ $rc -ne 0 ] && tail -n 60 tests/out/test_deb.log
	result "pkg:test_deb" $rc
fi

if [ $quick = 0 ]; then
	if make -s fuzz >tests/out/make-fuzz.log 2>&1; then
		for f in build-fuzz/fuzz_*; do
			name=$(basename "$f")
			corpus="fuzz/corpus/${name#fuzz_}"
			mkdir -p "tests/out/corpus-$name"
			"$f" -runs=200000 -max_len=4096 "tests/out/corpus-$name" "$corpus" \
				>"tests/out/$name.log" 2>&1
			rc=$?
			[ $rc -ne 0 ] && tail -n 30 "tests/out/$name.log"
			result "fuzz:$name" $rc
		done
	else
		cat tests/out/make-fuzz.log
		result "fuzz:build" 1
	fi
fi

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
