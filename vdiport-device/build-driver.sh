#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds vdagent_vdiport.ko (virtio-serial-driver/vdiport-*.c, the shared
# port layer vserial-port.c and the ring core vdiport-ring.c) out of tree
# against a kernel build directory, like virtio-serial-driver/build.sh.
#
#   build-driver.sh KDIR [OUTDIR]
#
# Prints the module's path.  Exit 77 when there are no headers.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DRV=$HERE/../virtio-serial-driver
KDIR=${1:-/lib/modules/$(uname -r)/build}
OUT=${2:-$PWD/out-vdiport}

if ! test -f "$KDIR/Makefile" || ! test -e "$KDIR/include"; then
	echo "build-driver.sh: no kernel headers at $KDIR" >&2
	exit 77
fi
mkdir -p "$OUT/build"
OUT=$(cd "$OUT" && pwd)
for f in "$DRV/vserial.h" "$DRV/vserial-port.c" "$DRV/vdiport-main.c" \
	 "$DRV/vdiport-port.c" "$DRV/vdiport-pci.c" "$HERE/vdiport.h" \
	 "$HERE/vdiport-ring.h" "$HERE/vdiport-ring.c"; do
	b=$(basename "$f")
	cmp -s "$f" "$OUT/build/$b" || cp "$f" "$OUT/build/$b"
done
cat > "$OUT/build/Kbuild.new" <<'KB'
obj-m := vdagent_vdiport.o
vdagent_vdiport-y := vdiport-main.o vdiport-port.o vdiport-pci.o vdiport-ring.o
ccflags-y := -Wall
KB
cmp -s "$OUT/build/Kbuild.new" "$OUT/build/Kbuild" ||
	mv "$OUT/build/Kbuild.new" "$OUT/build/Kbuild"
rm -f "$OUT/build/Kbuild.new"
make -s -C "$KDIR" M="$OUT/build" modules > "$OUT/build.log" 2>&1 || {
	cat "$OUT/build.log" >&2
	echo "build-driver.sh: the module did not build against $KDIR" >&2
	exit 1
}
cmp -s "$OUT/build/vdagent_vdiport.ko" "$OUT/vdagent_vdiport.ko" ||
	cp "$OUT/build/vdagent_vdiport.ko" "$OUT/vdagent_vdiport.ko"
echo "$OUT/vdagent_vdiport.ko"
