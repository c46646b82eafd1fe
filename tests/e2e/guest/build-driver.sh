#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds what the guest boots on our port driver need: the module from
# virtio-serial-driver/ against the guest kernel's own headers (downloaded
# once and cached by fetch-headers.sh) and the guest helper vport-check.
#
#   build-driver.sh SRCDIR KV OUTDIR
#
# Writes OUTDIR/vdagent_vserial.ko and OUTDIR/vport-check (each replaced
# only when it changed).  When the module cannot be built, it is removed and
# OUTDIR/status says why; the kernel-driver boots do not need it.
set -u

SRC=$1 KV=$2 OUT=$3
mkdir -p "$OUT"
rm -f "$OUT/status"

cc=${CC_FOR_GUEST:-cc}
$cc -std=gnu11 -O2 -Wall -o "$OUT/vport-check.new" \
	"$SRC/tests/e2e/guest/vport-check.c" 2>"$OUT/status" || {
	rm -f "$OUT/vport-check.new" "$OUT/vdagent_vserial.ko"
	exit 0
}
cmp -s "$OUT/vport-check.new" "$OUT/vport-check" 2>/dev/null &&
	rm -f "$OUT/vport-check.new" ||
	mv "$OUT/vport-check.new" "$OUT/vport-check"

if kh=$(sh "$SRC/virtio-serial-driver/fetch-headers.sh" "$KV" 2>"$OUT/status") &&
   sh "$SRC/virtio-serial-driver/build.sh" "$kh" "$OUT" >/dev/null 2>"$OUT/status"; then
	rm -f "$OUT/status"
else
	test -s "$OUT/status" || echo "the module did not build" >"$OUT/status"
	rm -f "$OUT/vdagent_vserial.ko"
fi
exit 0
