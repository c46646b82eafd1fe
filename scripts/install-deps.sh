#!/bin/sh
# Install the Debian 12 packages that building vdagent and running every test
# needs.  Run as root.  Idempotent.
set -eu

PACKAGES="
  ca-certificates git make gcc libc6-dev pkg-config autoconf automake
  libglib2.0-dev libdbus-1-dev libudev-dev libdrm-dev
  libx11-dev libxrandr-dev libxfixes-dev
  libspice-protocol-dev
  gcc-mingw-w64-x86-64 wine64 msitools wixl
  clang libclang-rt-14-dev
  python3 python3-gi gir1.2-spiceclientglib-2.0
  xserver-xspice xserver-xorg-core xserver-xorg-video-dummy xvfb
  x11-xserver-utils x11-utils xclip xdotool
  spice-vdagent procps dbus-daemon
  qemu-system-x86 qemu-utils busybox-static xkb-data x11-xkb-utils udev
  dpkg-dev libfdt-dev libpixman-1-dev libspice-server-dev meson ninja-build
  libwayland-dev wayland-protocols plasma-wayland-protocols
  sway wl-clipboard mutter kwin-wayland xwayland
  build-essential debhelper lintian debootstrap e2fsprogs
"

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root (apt-get install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES
