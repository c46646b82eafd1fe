#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the systemd test guest from Debian packages only: a `debootstrap
# --variant=minbase bookworm` root with systemd, udev, dbus, logind, a light
# X session (xinit, Xorg modesetting on qxl, libinput) and our .deb installed
# with dpkg, the Debian kernel's modules, an ext4 image of it made with
# `mke2fs -d`, the same kernel, and a busybox initramfs that mounts the image
# (virtio-blk) and hands over to systemd.
#
#   build-image.sh SRCDIR DEB CACHEDIR OUTDIR [upgrade]
#
# "upgrade": Debian's spice-vdagent is installed instead (from the mirror)
# and our .deb waits in /root for the test to install it over it.
#
# CACHEDIR keeps debootstrap's packages, the kernel and the base root, keyed
# by the package list and the kernel version; OUTDIR/root.ext4, vmlinuz and
# initrd.cpio are rebuilt only when the .deb, the base or the guest files
# change (OUTDIR/.key).  Exit 77: a requirement is missing.
set -eu

SRC=$1 DEB=$2 CACHE=$3 OUT=$4 MODE=${5:-}
HERE=$SRC/tests/e2e/guest
BB=/bin/busybox
SUITE=bookworm
# the guest's packages; our .deb's run-time dependencies are among them so
# that installing it needs no network
PKGS="systemd systemd-sysv udev dbus libpam-systemd kmod procps
	xserver-xorg-core xserver-xorg-input-libinput xinit xauth
	x11-xserver-utils xclip xdotool xvfb dex
	libglib2.0-0 libdrm2 libudev1 libx11-6 libxfixes3 libxrandr2"
INITRD_MODULES="virtio_pci virtio_blk crc32c_generic ext4"

die() { echo "build-image: $*" >&2; exit 1; }
missing() { echo "build-image: $*" >&2; exit 77; }

test "$(id -u)" = 0 || missing "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || missing "no debootstrap"
command -v mke2fs >/dev/null || missing "no mke2fs (e2fsprogs)"
$BB --list 2>/dev/null | grep -qx switch_root || missing "no static busybox at $BB"
test -f "$DEB" || die "no package $DEB"
mkdir -p "$CACHE/apt" "$OUT"
OUT=$(cd "$OUT" && pwd)
MIRROR=$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/*$/\1/p' \
	/etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# ---- kernel: the linux-image-*-amd64 package apt knows, unpacked once ------
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
test -n "$kpkg" || missing "cannot find the linux-image-*-amd64 package"
KV=${kpkg#linux-image-}
KDIR=$CACHE/kernel-$KV
if ! test -f "$KDIR/boot/vmlinuz-$KV"; then
	rm -rf "$KDIR" "$KDIR.tmp" "$CACHE"/linux-image-*.deb
	(cd "$CACHE" && apt-get download "$kpkg" >/dev/null 2>&1) ||
		missing "apt-get download $kpkg failed"
	dpkg-deb -x "$CACHE/${kpkg}"_*.deb "$KDIR.tmp"
	rm -f "$CACHE/${kpkg}"_*.deb
	mv "$KDIR.tmp" "$KDIR"
fi

# ---- base root: debootstrap, keyed by the package list and the kernel -----
bkey=$(printf '%s\n' $SUITE $PKGS $KV | md5sum | cut -c1-12)
BASE=$CACHE/base-$bkey
if ! test -d "$BASE"; then
	echo "build-image: debootstrap $SUITE into $BASE (cold: some minutes)"
	rm -rf "$BASE.tmp"
	debootstrap --variant=minbase --cache-dir="$CACHE/apt" \
		--include="$(echo $PKGS | tr ' ' ',')" \
		$SUITE "$BASE.tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || {
		tail -30 "$CACHE/debootstrap.log" >&2
		die "debootstrap failed (log: $CACHE/debootstrap.log)"
	}
	rm -rf "$BASE.tmp/var/cache/apt/archives/"*.deb
	mkdir -p "$BASE.tmp/lib/modules"
	cp -a "$KDIR/lib/modules/$KV" "$BASE.tmp/lib/modules/"
	chroot "$BASE.tmp" depmod "$KV"
	mv "$BASE.tmp" "$BASE"
fi

# ---- the image: base + our .deb + the guest's configuration ----------------
key=$( (echo "$bkey $MODE"; sha256sum "$DEB" "$0" "$HERE/systemd-console" \
	"$HERE/systemd-initrd-init") | md5sum | cut -c1-16)
if test -f "$OUT/.key" && test "$(cat "$OUT/.key")" = "$key" &&
   test -f "$OUT/root.ext4" && test -f "$OUT/initrd.cpio"; then
	exit 0
fi
rm -f "$OUT/.key" "$OUT/root.ext4"
R=$OUT/root
rm -rf "$R"
cp -a "$BASE" "$R"
if test "$MODE" = upgrade; then
	# spice-vdagent and what it needs beyond the base (GTK), through the
	# chroot's apt, its packages kept in the cache
	mkdir -p "$CACHE/upgrade-debs"
	cp /etc/resolv.conf "$R/etc/resolv.conf"
	cp "$CACHE/upgrade-debs/"*.deb "$R/var/cache/apt/archives/" 2>/dev/null || true
	chroot "$R" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends spice-vdagent' \
		>"$OUT/dpkg.log" 2>&1 || {
		tail -30 "$OUT/dpkg.log" >&2; die "installing spice-vdagent failed"; }
	cp "$R/var/cache/apt/archives/"*.deb "$CACHE/upgrade-debs/" 2>/dev/null || true
	rm -f "$R/var/cache/apt/archives/"*.deb
	cp "$DEB" "$R/root/"
else
	cp "$DEB" "$R/tmp/"
	chroot "$R" dpkg -i "/tmp/$(basename "$DEB")" >"$OUT/dpkg.log" 2>&1 || {
		cat "$OUT/dpkg.log" >&2; die "dpkg -i of our package failed"; }
	rm -f "$R/tmp/"*.deb
fi

echo vdagent-guest > "$R/etc/hostname"
echo "LABEL=root / ext4 rw,noatime 0 1" > "$R/etc/fstab"
# root without a password on the consoles; two users with a seat session
# each: alice on tty1 runs an X session (startx, rootless Xorg through
# logind), bob on tty2 one on Xvfb; both start the XDG autostart entries
# with dex, as a desktop session does
chroot "$R" passwd -d root >/dev/null
for u in alice bob; do
	chroot "$R" useradd -m -s /bin/bash "$u"
done
cat > "$R/home/alice/.bash_profile" <<'PROFILE'
if [ "$(tty)" = /dev/tty1 ] && [ -z "${DISPLAY:-}" ]; then
	exec startx -- -nolisten tcp >"$HOME/.xsession.log" 2>&1
fi
PROFILE
cat > "$R/home/alice/.xinitrc" <<'XINITRC'
#!/bin/sh
dex --autostart --environment X-Generic >"$HOME/.dex.log" 2>&1
exec sleep infinity
XINITRC
cat > "$R/home/bob/.bash_profile" <<'PROFILE'
if [ "$(tty)" = /dev/tty2 ] && [ -z "${DISPLAY:-}" ]; then
	Xvfb :5 -nolisten tcp >"$HOME/.xvfb.log" 2>&1 &
	export DISPLAY=:5
	until xdpyinfo >/dev/null 2>&1 || xrandr >/dev/null 2>&1; do sleep 0.2; done
	dex --autostart --environment X-Generic >"$HOME/.dex.log" 2>&1
	exec sleep infinity
fi
PROFILE
for u in alice bob; do
	chroot "$R" chown -R "$u:$u" "/home/$u"
done
for t in tty1:alice tty2:bob; do
	d="$R/etc/systemd/system/getty@${t%%:*}.service.d"
	mkdir -p "$d"
	printf '[Service]\nExecStart=\nExecStart=-/sbin/agetty -o "-p -f -- \\\\u" --noclear --autologin %s %%I $TERM\n' \
		"${t#*:}" > "$d/autologin.conf"
done
ln -sf /lib/systemd/system/getty@.service \
	"$R/etc/systemd/system/getty.target.wants/getty@tty2.service"
# the test's root command server on the serial console, instead of a getty
ln -sf /dev/null "$R/etc/systemd/system/serial-getty@ttyS0.service"
install -m 755 "$HERE/systemd-console" "$R/usr/local/sbin/test-console"
cat > "$R/etc/systemd/system/test-console.service" <<'UNIT'
[Unit]
Description=Test command server on the serial console
After=systemd-user-sessions.service

[Service]
ExecStart=/usr/local/sbin/test-console
StandardInput=tty
StandardOutput=tty
TTYPath=/dev/ttyS0
TTYReset=no
TTYVHangup=no

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/test-console.service \
	"$R/etc/systemd/system/multi-user.target.wants/test-console.service"
# no network in the guest; nothing to wait for
ln -sf /dev/null "$R/etc/systemd/system/systemd-networkd-wait-online.service"
# a fixed machine id would make every boot the same machine; an empty one
# is filled at boot
: > "$R/etc/machine-id"

size=$(( $(du -sm "$R" | cut -f1) * 5 / 4 + 256 ))
mke2fs -q -t ext4 -L root -d "$R" "$OUT/root.ext4.tmp" "${size}M"
mv "$OUT/root.ext4.tmp" "$OUT/root.ext4"
cp "$KDIR/boot/vmlinuz-$KV" "$OUT/vmlinuz"

# ---- initramfs: busybox, the modules for the root disk, an init -----------
I=$OUT/initrd
rm -rf "$I"
mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev" "$I/root"
cp "$BB" "$I/bin/busybox"
for m in $INITRD_MODULES; do
	grep -qE "/$m\.ko(\.[a-z]+)?:" "$R/lib/modules/$KV/modules.dep" ||
		die "module $m not in $KV"
done
for m in $INITRD_MODULES; do
	grep -E "/$m\.ko(\.[a-z]+)?:" "$R/lib/modules/$KV/modules.dep"
done | tr -d ':' | tr ' ' '\n' | sort -u | while read -r f; do
	mkdir -p "$I/lib/modules/$KV/$(dirname "$f")"
	cp "$R/lib/modules/$KV/$f" "$I/lib/modules/$KV/$f"
done
$BB depmod -b "$I" "$KV"
install -m 755 "$HERE/systemd-initrd-init" "$I/init"
(cd "$I" && find . | $BB cpio -o -H newc > "$OUT/initrd.cpio" 2>/dev/null)
rm -rf "$I" "$R"
echo "$key" > "$OUT/.key"
