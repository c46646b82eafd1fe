#!/bin/sh
# Install, build and run every test: unit, integration and end-to-end tests
# (make check, under ASan+UBSan), the Windows cross build and the Windows
# tests under wine, and a short run of every fuzz target.  Ends with the
# line "N passed, N failed, N skipped".
#   FUZZ_SECONDS=N   seconds per fuzz target (default 10; 0 skips fuzzing)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" = 0 ]; then
	sh scripts/install-deps.sh || exit 1
fi
sh scripts/build.sh || exit 1

passed=0 failed=0 skipped=0
count() { # count RESULT NAME
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)); echo "FAILED: $2" ;;
	esac
}

# Every TAP test point of every test under DIR counts once (the .trs files
# of automake's tap-driver.sh); the logs of failed tests are shown.
count_trs() { # count_trs DIR
	for trs in $(find "$1" -name '*.trs' | sort); do
		while read -r tag result _; do
			[ "$tag" = ":test-result:" ] && count "$result" "${trs%.trs} $(grep -m1 "^not ok" "${trs%.trs}.log" 2>/dev/null)"
		done <"$trs"
	done
	for trs in $(grep -l -E '^:global-test-result: (FAIL|ERROR)' $(find "$1" -name '*.trs') /dev/null); do
		echo "---- ${trs%.trs}.log"
		tail -n 60 "${trs%.trs}.log"
	done
}

cd build
echo "== make check"
make -j"$(nproc)" check >check.out 2>&1
check_rc=$?
sed -n '/^# TOTAL/,/^# ERROR/p' check.out
count_trs tests
if [ "$check_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	# make check failed outside any test (a build error, say)
	count FAIL "make check (exit $check_rc)"
	tail -n 40 check.out
fi
cd "$top"

echo "== Windows cross build of protocol/"
if sh tests/check-mingw.sh; then count PASS mingw; else count FAIL mingw; fi

# The Windows agent, service and MSI: built in build-mingw/ (-Werror under
# CI=true), then every tests/windows/test-win-* under wine (the prefix is
# made once per machine and cached under /var/tmp).
echo "== Windows build (build-mingw/) and tests under wine"
win_flags=""
[ "${CI:-}" = true ] && win_flags="--enable-werror"
mkdir -p build-mingw
if (cd build-mingw &&
    ../configure --host=x86_64-w64-mingw32 $win_flags >configure.out 2>&1 &&
    make -j"$(nproc)" >make.out 2>&1); then
	count PASS "mingw build (build-mingw)"
else
	count FAIL "mingw build (build-mingw)"
	tail -n 40 build-mingw/configure.out build-mingw/make.out 2>/dev/null
fi
sh tests/windows/run-tests.sh build-mingw build-mingw/tests/windows-results 2
count_trs build-mingw/tests/windows-results

fuzz_seconds=${FUZZ_SECONDS:-10}
if [ "$fuzz_seconds" -gt 0 ]; then
	echo "== fuzz targets, $fuzz_seconds s each"
	if make -C build -j"$(nproc)" fuzz-build >build/fuzz.out 2>&1 &&
	   make -C build fuzz FUZZ_SECONDS="$fuzz_seconds" >>build/fuzz.out 2>&1; then
		count PASS fuzz
		tail -n 1 build/fuzz.out
	else
		count FAIL fuzz
		tail -n 60 build/fuzz.out
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
