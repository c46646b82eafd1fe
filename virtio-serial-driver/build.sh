#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds vdagent_vserial.ko out of tree against a kernel build directory
# (the running kernel's headers by default), without writing into the
# source directory.
#
#   build.sh [KDIR [OUTDIR]]
#
# KDIR: a kernel build tree or headers package (/lib/modules/$(uname -r)/build
# by default).  OUTDIR: where the module lands (default ./out).  The module
# is replaced only when it changed, so its time stamp says when it did.
# Exit 77 with a message when there are no headers to build against.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
KDIR=${1:-/lib/modules/$(uname -r)/build}
OUT=${2:-$PWD/out}

if ! test -f "$KDIR/Makefile" || ! test -e "$KDIR/include"; then
	cat >&2 <<MSG
build.sh: no kernel headers at $KDIR.
  Install the headers of the kernel to build for (Debian:
  apt-get install linux-headers-\$(uname -r)), or pass their directory:
  build.sh /path/to/linux-headers-VERSION.  For the test guest's Debian
  kernel, fetch-headers.sh VERSION downloads them.
MSG
	exit 77
fi

mkdir -p "$OUT/build"
OUT=$(cd "$OUT" && pwd)
for f in Kbuild vserial.h vserial-main.c vserial-port.c vserial-virtio.c; do
	cmp -s "$HERE/$f" "$OUT/build/$f" || cp "$HERE/$f" "$OUT/build/$f"
done
# no BTF for the module: it needs pahole and the kernel's vmlinux
make -s -C "$KDIR" M="$OUT/build" CONFIG_DEBUG_INFO_BTF_MODULES= modules \
	>"$OUT/build.log" 2>&1 || {
	cat "$OUT/build.log" >&2
	echo "build.sh: the module did not build against $KDIR" >&2
	exit 1
}
cmp -s "$OUT/build/vdagent_vserial.ko" "$OUT/vdagent_vserial.ko" ||
	cp "$OUT/build/vdagent_vserial.ko" "$OUT/vdagent_vserial.ko"
echo "$OUT/vdagent_vserial.ko"
