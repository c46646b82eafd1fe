#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the test guest from Debian packages: a kernel (linux-image-*-amd64,
# fetched once with `apt-get download` into the cache), a busybox-static
# initramfs with the modules we need, systemd-udevd with the virtio-ports
# naming rule and ours, Xorg with the dummy and modesetting drivers, xrandr,
# xclip, and the guest builds of vdagentd, vdagent and evdev-reader.
#
#   build-guest.sh SRCDIR GUESTBUILDDIR RELEASEDIR OUTDIR CACHEDIR
#
# GUESTBUILDDIR holds evdev-reader, RELEASEDIR the -O2 builds of vdagentd and
# vdagent without sanitizers (tests/release.mk).
#
# Writes OUTDIR/vmlinuz and OUTDIR/initramfs.cpio.  Exit 77: a requirement is
# missing (no busybox-static, no kernel and no way to fetch one).
set -eu

SRC=$1 GB=$2 RB=$3 OUT=$4 CACHE=$5
HERE=$SRC/tests/e2e/guest
BB=/bin/busybox
MODULES="virtio_pci virtio_console uinput evdev qxl virtio_gpu"
BINS="$RB/vdagentd $RB/vdagent $GB/evdev-reader /usr/lib/xorg/Xorg
	/usr/bin/xkbcomp /usr/bin/xrandr /usr/bin/xclip /usr/bin/udevadm"
XMODS="/usr/lib/xorg/modules/drivers/dummy_drv.so
	/usr/lib/xorg/modules/drivers/modesetting_drv.so
	/usr/lib/xorg/modules/libshadow.so"

UDEV_DEFAULT_RULES=/usr/lib/udev/rules.d/50-udev-default.rules

die() { echo "build-guest: $*" >&2; exit 1; }
missing() { echo "build-guest: $*" >&2; exit 77; }

$BB --list 2>/dev/null | grep -qx cpio || missing "no static busybox at $BB (busybox-static)"
for f in $BINS $XMODS $UDEV_DEFAULT_RULES; do
	test -x "$f" || test -f "$f" || missing "$f not found"
done
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)

# The modules.dep line of module $1 ("virtio_gpu" is virtio-gpu.ko).
dep_line() { # MODULE MODULES.DEP
	grep -E "/$(echo "$1" | sed 's/[-_]/[-_]/g')\.ko(\.[a-z]+)?:" "$2"
}

# The module closure of $MODULES, as paths relative to lib/modules/KV.
# Run it in a command substitution after check_modules.
check_modules() { # KDIR KV
	for m in $MODULES; do
		dep_line "$m" "$1/lib/modules/$2/modules.dep" >/dev/null ||
			die "module $m not in $2"
	done
}
closure() { # KDIR KV
	for m in $MODULES; do
		dep_line "$m" "$1/lib/modules/$2/modules.dep"
	done | tr -d ':' | tr ' ' '\n' | sort -u
}

# ---- kernel: the newest cached one, else download the current one ----------
# The cache keeps vmlinuz and the modules we use; its name says which ones.
tag=$(echo $MODULES | md5sum | cut -c1-8)
kdir=$(ls -d "$CACHE"/kernel-*-"$tag"/ 2>/dev/null | sort -V | tail -1 || true)
if test -z "$kdir"; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	      sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
	test -n "$pkg" || missing "cannot find the linux-image-*-amd64 package"
	(cd "$CACHE" && apt-get download "$pkg" >/dev/null 2>&1) ||
		missing "apt-get download $pkg failed"
	deb=$(ls "$CACHE"/"$pkg"_*.deb | head -1)
	tmpk="$CACHE/kernel.tmp"
	rm -rf "$tmpk" "$tmpk.keep"
	dpkg-deb -x "$deb" "$tmpk"
	rm -f "$deb"
	kv=$(ls "$tmpk/lib/modules" | head -1)
	$BB depmod -b "$tmpk" "$kv"
	mkdir -p "$tmpk.keep/boot" "$tmpk.keep/lib/modules/$kv"
	cp "$tmpk/boot/vmlinuz-$kv" "$tmpk.keep/boot/"
	check_modules "$tmpk" "$kv"
	mods=$(closure "$tmpk" "$kv")
	for f in $mods; do
		mkdir -p "$tmpk.keep/lib/modules/$kv/$(dirname "$f")"
		cp "$tmpk/lib/modules/$kv/$f" "$tmpk.keep/lib/modules/$kv/$f"
	done
	rm -rf "$tmpk"
	$BB depmod -b "$tmpk.keep" "$kv"
	mv "$tmpk.keep" "$CACHE/kernel-$kv-$tag"
	kdir="$CACHE/kernel-$kv-$tag/"
fi
kdir=${kdir%/}
KV=$(ls "$kdir/lib/modules" | head -1)

# ---- our port driver (virtio-serial-driver/) and its test helper -----------
vs="$OUT/vserial"
sh "$HERE/build-driver.sh" "$SRC" "$KV" "$vs"

# Rebuild only when an input is newer than the initramfs.
img="$OUT/initramfs.cpio"
if test -f "$img" && test -f "$OUT/vmlinuz" &&
   test -z "$(find $BINS $XMODS "$HERE/init" "$HERE/vport-hotplug" "$SRC/data/70-vdagentd.rules" "$0" "$kdir/boot" \
	$(ls "$vs/vdagent_vserial.ko" "$vs/vport-check" 2>/dev/null) \
	-newer "$img" 2>/dev/null)"; then
	exit 0
fi

R="$OUT/root"
rm -rf "$R"
mkdir -p "$R/bin" "$R/sbin" "$R/etc/X11" "$R/lib64" "$R/proc" "$R/sys" \
	"$R/dev" "$R/tmp" "$R/usr/sbin" "$R/run" "$R/var/log" "$R/usr/lib/xorg/modules/drivers"
cp "$kdir/boot/vmlinuz-$KV" "$OUT/vmlinuz"

# ---- modules with their dependencies ----------------------------------------
mdir="lib/modules/$KV"
check_modules "$kdir" "$KV"
mods=$(closure "$kdir" "$KV")
for f in $mods; do
	mkdir -p "$R/$mdir/$(dirname "$f")"
	cp "$kdir/$mdir/$f" "$R/$mdir/$f"
done
$BB depmod -b "$R" "$KV"

# ---- programs, their libraries, X data ---------------------------------------
cp "$BB" "$R/bin/busybox"
for f in $RB/vdagentd $RB/vdagent $GB/evdev-reader; do
	strip -o "$R/bin/$(basename "$f")" "$f"
done
mkdir -p "$R/usr/bin"
cp /usr/lib/xorg/Xorg "$R/usr/lib/xorg/"
cp /usr/bin/xkbcomp /usr/bin/xrandr /usr/bin/xclip /usr/bin/udevadm "$R/usr/bin/"
# udevadm is also the udev daemon when called by that name
ln -s /usr/bin/udevadm "$R/sbin/systemd-udevd"
for f in $XMODS; do
	mkdir -p "$R$(dirname "$f")"
	cp "$f" "$R$f"
done
libs=$(for f in $BINS $XMODS; do ldd "$f" 2>/dev/null; done |
	sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
	sort -u)
for l in $libs; do
	real=$(readlink -f "$l")
	mkdir -p "$R$(dirname "$l")"
	cp "$real" "$R$l"
done
test -e "$R/lib64/ld-linux-x86-64.so.2" ||
	cp /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
# xkbcomp compiles the keymap at server start from the rules and the pieces
# the default "us" pc105 map needs.
mkdir -p "$R/usr/share/X11"
cp -r /usr/share/X11/xkb "$R/usr/share/X11/"
rm -rf "$R/usr/share/X11/xkb/compiled"
mkdir -p "$R/var/lib/xkb"

cp "$HERE/init" "$R/init"
# loaded by init instead of virtio_console with "vport=ours" (not in the
# modules tree, so udev never loads it on its own)
mkdir -p "$R/lib/vserial"
test -f "$vs/vport-check" && cp "$vs/vport-check" "$R/bin/"
test -f "$vs/vdagent_vserial.ko" &&
	strip --strip-debug -o "$R/lib/vserial/vdagent_vserial.ko" "$vs/vdagent_vserial.ko"
cp "$HERE/vport-hotplug" "$R/sbin/vport-hotplug"
chmod 755 "$R/init" "$R/sbin/vport-hotplug"
# udev names the port as on a Debian system (systemd's own rule for
# virtio-ports), with our rule beside it, and reports it on the console
mkdir -p "$R/etc/udev/rules.d"
grep -h 'SUBSYSTEM=="virtio-ports"' $UDEV_DEFAULT_RULES \
	> "$R/etc/udev/rules.d/50-virtio-ports.rules"
cp "$SRC/data/70-vdagentd.rules" "$R/etc/udev/rules.d/"
echo 'SUBSYSTEM=="virtio-ports", RUN+="/sbin/vport-hotplug"' \
	> "$R/etc/udev/rules.d/99-report.rules"
cat > "$R/etc/X11/xorg-dummy.conf" <<'EOF'
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoAddGPU" "false"
  Option "AutoEnableDevices" "false"
  Option "DontVTSwitch" "true"
EndSection
Section "Module"
  Disable "glx"
EndSection
Section "Device"
  Identifier "dev0"
  Driver "dummy"
  VideoRam 256000
EndSection
Section "Monitor"
  Identifier "mon0"
  HorizSync 5.0-1000.0
  VertRefresh 5.0-200.0
EndSection
Section "Screen"
  Identifier "scr0"
  Device "dev0"
  Monitor "mon0"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual 4096 2160
  EndSubSection
EndSection
EOF
cat > "$R/etc/X11/xorg-modesetting.conf" <<'EOF'
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoAddGPU" "false"
  Option "AutoEnableDevices" "false"
  Option "DontVTSwitch" "true"
EndSection
Section "Module"
  Disable "glx"
  Disable "glamoregl"
EndSection
Section "Device"
  Identifier "gpu"
  Driver "modesetting"
  Option "kmsdev" "/dev/dri/card0"
  Option "AccelMethod" "none"
EndSection
Section "Screen"
  Identifier "scr0"
  Device "gpu"
  DefaultDepth 24
EndSection
EOF
echo "root:x:0:0:root:/:/bin/sh" > "$R/etc/passwd"
echo "root:x:0:" > "$R/etc/group"

(cd "$R" && find . | $BB cpio -o -H newc > "$img.tmp" 2>/dev/null)
mv "$img.tmp" "$img"
rm -rf "$R"
