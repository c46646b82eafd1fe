#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every Windows test under wine: each executable tests/windows/test-win-*
# script (the agent's, the feature modules', the service's), through
# automake's tap-driver.sh, so that each leaves NAME.log and NAME.trs in
# RESULTS like "make check" does.  The wine prefix is made once first
# (tests/windows/wineprefix.sh); the tests copy it.  Up to JOBS tests run
# side by side (they mostly wait on wine and X).
#
#   tests/windows/run-tests.sh WIN_BUILDDIR RESULTS [JOBS]
# Prints one PASS/FAIL/SKIP line per test; exit 0 when none failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
WIN_BUILDDIR=$(cd "$1" && pwd) || exit 1
results=$2
jobs=${3:-2}
TEST_TIMEOUT=${TEST_TIMEOUT:-1200}
export WIN_BUILDDIR top_srcdir="$top" top_builddir="$WIN_BUILDDIR"
export AM_TAP_AWK=${AM_TAP_AWK:-awk}

mkdir -p "$results"
rm -f "$results"/*.log "$results"/*.trs
sh "$here/wineprefix.sh" >/dev/null || echo "# wine prefix: not available"

run_one() { # run_one SCRIPT
	name=$(basename "$1")
	timeout -k 30 "$TEST_TIMEOUT" \
		sh "$top/build-aux/tap-driver.sh" --test-name "$name" \
		--log-file "$results/$name.log" --trs-file "$results/$name.trs" \
		--color-tests no --enable-hard-errors yes --expect-failure no \
		-- /usr/bin/python3 "$1" >"$results/$name.out" 2>&1
	if [ ! -f "$results/$name.trs" ]; then
		# killed by the timeout before the driver wrote its result
		printf ':test-result: ERROR (timeout)\n:global-test-result: ERROR\n' \
			>"$results/$name.trs"
	fi
	sed -n 's/^:global-test-result: \(.*\)/\1/p' "$results/$name.trs" |
		head -n 1 | sed "s|\$|: $name|"
}

set --
for t in "$here"/test-win-*; do
	case $t in *.c | *.h) continue ;; esac
	[ -x "$t" ] && set -- "$@" "$t"
done

# JOBS at a time; each job prints its result line when done
failed=0
running=0
pids=""
for t in "$@"; do
	run_one "$t" &
	pids="$pids $!"
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait ${pids%% *} 2>/dev/null
		pids=${pids#* }
		pids=${pids#"${pids%%[! ]*}"}
		running=$((running - 1))
	fi
done
wait
grep -l -E '^:global-test-result: (FAIL|ERROR)' "$results"/*.trs >/dev/null 2>&1 &&
	failed=1
exit $failed
