#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetches the Debian kernel headers matching a Debian kernel release (the
# guest test's downloaded linux-image-KV) with `apt-get download`, unpacks
# them into a cache keyed by the release and the package version, and prints
# the directory to build against (make -C KDIR M=...).
#
#   fetch-headers.sh KV [CACHEDIR]
#
# KV: a Debian kernel release such as 6.1.0-57-amd64.  CACHEDIR defaults to
# $VDAGENT_HEADERS_CACHE or /var/tmp/vdagent-kernel-headers.  Exit 77 when
# the headers cannot be had (no apt, no package of that version).
set -eu

KV=${1:?usage: fetch-headers.sh KV [CACHEDIR]}
CACHE=${2:-${VDAGENT_HEADERS_CACHE:-/var/tmp/vdagent-kernel-headers}}
flavour=${KV##*-}		# amd64
abi=${KV%-"$flavour"}		# 6.1.0-57
series=$(echo "$abi" | cut -d. -f1-2)	# 6.1

missing() { echo "fetch-headers: $*" >&2; exit 77; }

pkg_arch=linux-headers-$KV

command -v apt-cache >/dev/null 2>&1 || missing "no apt-cache: cannot fetch $pkg_arch"
ver=$(apt-cache show "$pkg_arch" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
test -n "$ver" || missing "no package $pkg_arch in the apt sources (run apt-get update, or install it)"
# the common headers and kbuild it depends on (linux-headers-ABI-common,
# linux-kbuild-SERIES; newer kernels name them after the full version)
deps=$(apt-cache depends "$pkg_arch" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-headers-.*-common\|linux-kbuild-.*\)$/\1/p')
pkg_common=$(echo "$deps" | grep '^linux-headers-' | head -1)
pkg_kbuild=$(echo "$deps" | grep '^linux-kbuild-' | head -1)
: "${pkg_common:=linux-headers-$abi-common}" "${pkg_kbuild:=linux-kbuild-$series}"
common_dir=${pkg_common#linux-headers-}

dir=$CACHE/$KV-$ver
kdir=$dir/usr/src/linux-headers-$KV
if test -f "$dir/.complete"; then
	echo "$kdir"
	exit 0
fi

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download "$pkg_arch=$ver" "$pkg_common=$ver" \
	"$pkg_kbuild=$ver" >/dev/null 2>&1) ||
	missing "apt-get download $pkg_arch $pkg_common $pkg_kbuild (version $ver) failed"
mkdir "$tmp/root"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$tmp/root"
done
# the flavour's Makefile includes the common tree by its installed path
sed -i "s|/usr/src/linux-headers-$common_dir|$dir/usr/src/linux-headers-$common_dir|" \
	"$tmp/root/usr/src/linux-headers-$KV/Makefile"
test -f "$tmp/root/usr/src/linux-headers-$KV/Module.symvers" ||
	missing "$pkg_arch has no Module.symvers"
rm -rf "$dir"
mv "$tmp/root" "$dir"
touch "$dir/.complete"
echo "$kdir"
