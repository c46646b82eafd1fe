#!/bin/sh
# SPDX-License-Identifier: MIT
# The Windows cross build: configure a fresh build directory for
# x86_64-w64-mingw32 (Debian gcc-mingw-w64-x86-64), build protocol/libvdp.a
# with -Werror, and link every object of it into a Windows executable so
# that a call to something Windows lacks shows up as an undefined symbol.
# Prints PASS or FAIL as its last line; exit status 0 or 1.
#
#   tests/check-mingw.sh [SRCDIR]      (default: the tree this script is in)

host=x86_64-w64-mingw32

fail() {
	echo "FAIL: mingw build: $*"
	exit 1
}

srcdir=$(cd "${1:-$(dirname "$0")/..}" 2>/dev/null && pwd) ||
	fail "no source tree at ${1:-$(dirname "$0")/..}"

command -v "$host-gcc" >/dev/null ||
	fail "$host-gcc not found (apt-get install gcc-mingw-w64-x86-64)"
[ -x "$srcdir/configure" ] || fail "$srcdir/configure missing: run ./autogen.sh"

build=$(mktemp -d "${TMPDIR:-/tmp}/vdagent-mingw.XXXXXX") || fail "mktemp"
trap 'rm -rf "$build"' EXIT
cd "$build" || fail "cd $build"

show_log() { # the tail of a log, indented, when a step fails
	echo "--- $1 (last 30 lines) ---"
	tail -n 30 "$1" | sed 's/^/  /'
}

if ! "$srcdir/configure" --host="$host" --enable-werror >configure.log 2>&1; then
	show_log configure.log
	fail "configure --host=$host"
fi
# The Linux-only parts must be skipped, not attempted.
grep -q 'vdagentd (system daemon): *no' configure.log ||
	{ show_log configure.log; fail "configure did not skip vdagentd"; }
grep -q 'vdagent (X11 session agent): *no' configure.log ||
	{ show_log configure.log; fail "configure did not skip the X11 agent"; }

if ! make protocol/libvdp.a >make.log 2>&1; then
	show_log make.log
	fail "make protocol/libvdp.a"
fi
# -Werror must really have been in effect.
grep -q -- '-Werror' Makefile || fail "-Werror not in the build flags"

"$host-objdump" -f protocol/libvdp.a >objdump.log 2>&1 ||
	{ show_log objdump.log; fail "objdump on libvdp.a"; }
grep -q 'file format pe-x86-64' objdump.log ||
	{ show_log objdump.log; fail "libvdp.a does not hold PE x86-64 objects"; }
if grep 'file format' objdump.log | grep -v -q 'pe-x86-64'; then
	fail "libvdp.a holds non-PE objects"
fi

printf 'int main(void)\n{\n\treturn 0;\n}\n' >link-check.c
if ! "$host-gcc" -Werror -o link-check.exe link-check.c \
	-Wl,--whole-archive protocol/libvdp.a -Wl,--no-whole-archive \
	>link.log 2>&1; then
	show_log link.log
	fail "libvdp.a does not link into a Windows executable"
fi

nobj=$(grep -c 'file format' objdump.log)
echo "PASS: mingw build: protocol/libvdp.a ($nobj objects) for $host, -Werror, links"
exit 0
