#!/bin/sh
# SPDX-License-Identifier: MIT
# Build qemu-system-x86_64 with the vdi-port device from Debian 12's own
# qemu source package, and print the binary's path on the last line.
#
# Cache (VDIPORT_QEMU_CACHE, default /var/tmp/vdiport-qemu):
#   dl/                     apt-get source downloads
#   VERSION/src, /build     the unpacked, patched tree and its ninja build
#   VERSION/bin/qemu-system-x86_64-HASH
# keyed by the source version and the hash of our files (this script
# included).  A cached binary is reused as it is; otherwise the existing
# tree gets our changed files copied in and ninja rebuilds only what
# changed.  Needs root for the first apt-get steps (deb-src, packages).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${VDIPORT_QEMU_CACHE:-/var/tmp/vdiport-qemu}
OURS="vdiport.h vdiport-ring.h vdiport-ring.c vdi-port.c"
DEPS="dpkg-dev libfdt-dev libpixman-1-dev libspice-server-dev
      libspice-protocol-dev libglib2.0-dev meson ninja-build pkg-config gcc"
SRCLIST=/etc/apt/sources.list.d/vdiport-deb-src.sources

say() { echo "build-qemu: $*" >&2; }

hash=$(cd "$HERE" && cat $OURS build-qemu.sh | sha256sum | cut -c1-16)

# The source version without fetching anything, when deb-src is set up.
srcversion() {
	apt-cache showsrc qemu 2>/dev/null | sed -n 's/^Version: //p' |
		sort -V | tail -n 1
}

ver=$(srcversion)
if [ -z "$ver" ]; then
	if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ &&
	   ! grep -qs '^deb-src ' /etc/apt/sources.list; then
		say "adding a deb-src entry for bookworm main ($SRCLIST)"
		cat > "$SRCLIST" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
	apt-get update -q >&2
	ver=$(srcversion)
fi
[ -n "$ver" ] || { say "no qemu source package in apt"; exit 1; }
vdir=${ver#*:}
top=$CACHE/$vdir
out=$top/bin/qemu-system-x86_64-$hash
if [ -x "$out" ]; then
	say "cached: $out"
	echo "$out"
	exit 0
fi

mkdir -p "$CACHE/dl" "$top/bin"
exec 9> "$top/lock"
flock 9
if [ -x "$out" ]; then
	echo "$out"
	exit 0
fi

missing=
for p in $DEPS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >&2
fi

start=$(date +%s)
if [ ! -f "$top/src/configure" ]; then
	dsc=$CACHE/dl/qemu_$vdir.dsc
	if [ ! -f "$dsc" ]; then
		say "fetching the qemu $ver source"
		(cd "$CACHE/dl" && apt-get source --download-only -q "qemu=$ver") >&2
	fi
	rm -rf "$top/src.tmp"
	say "unpacking (with Debian's patches)"
	dpkg-source -x "$dsc" "$top/src.tmp" > "$top/unpack.log" 2>&1
	mv "$top/src.tmp" "$top/src"
fi

# Our files: copied only when they differ, so ninja sees what changed.
for f in $OURS; do
	cmp -s "$HERE/$f" "$top/src/hw/misc/$f" ||
		cp "$HERE/$f" "$top/src/hw/misc/$f"
done
if ! grep -q '^config VDI_PORT' "$top/src/hw/misc/Kconfig"; then
	cat >> "$top/src/hw/misc/Kconfig" <<'KC'

config VDI_PORT
    bool
    default y if PCI_DEVICES
    depends on PCI
KC
fi
if ! grep -q 'CONFIG_VDI_PORT' "$top/src/hw/misc/meson.build"; then
	cat >> "$top/src/hw/misc/meson.build" <<'MB'
softmmu_ss.add(when: 'CONFIG_VDI_PORT',
               if_true: files('vdi-port.c', 'vdiport-ring.c'))
MB
fi

if [ ! -f "$top/build/build.ninja" ]; then
	say "configuring"
	rm -rf "$top/build"
	mkdir -p "$top/build"
	(cd "$top/build" && ../src/configure --target-list=x86_64-softmmu \
		--without-default-features --enable-spice \
		--enable-spice-protocol --enable-tcg --enable-fdt=system \
		--disable-docs) > "$top/configure.log" 2>&1 ||
		{ tail -20 "$top/configure.log" >&2; exit 1; }
fi
say "building (log: $top/build.log)"
if ! ninja -C "$top/build" qemu-system-x86_64 > "$top/build.log" 2>&1; then
	tail -30 "$top/build.log" >&2
	exit 1
fi
cp "$top/build/qemu-system-x86_64" "$out.tmp"
mv "$out.tmp" "$out"
say "built in $(( $(date +%s) - start )) s: $out"
echo "$out"
