#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the Debian package of vdagent: as root on Debian 12, in a clone of
# this repository,
#
#   sh scripts/build-deb.sh            # packages in build-deb/
#   sh scripts/build-deb.sh OUTDIR     # packages in OUTDIR
#
# It installs the build dependencies that debian/control names (unless
# BUILD_DEB_NO_DEPS=1), exports the committed tree (git archive HEAD, with the
# working tree's debian/ over it) or, outside git, the files of this
# directory, runs `dpkg-buildpackage -us -uc -b` in that copy and lintian on
# the result.  A rerun with the same sources only reports the existing
# packages: OUTDIR/.source-hash records what they were built from.
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$SRC/build-deb}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ "${BUILD_DEB_NO_DEPS:-0}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "build-deb: run as root (it installs the build dependencies)," \
			"or set BUILD_DEB_NO_DEPS=1" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends \
		dpkg-dev debhelper lintian git >/dev/null
	# the Build-Depends of debian/control, resolved by apt
	apt-get build-dep -y -q --no-install-recommends "$SRC" >/dev/null
fi

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vdagent-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT INT TERM
mkdir "$STAGE/vdagent"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$SRC" archive --format=tar HEAD | tar -x -C "$STAGE/vdagent"
	rm -rf "$STAGE/vdagent/debian"
	cp -a "$SRC/debian" "$STAGE/vdagent/debian"
else
	(cd "$SRC" && tar -c --exclude=./build --exclude=./build-deb .) |
		tar -x -C "$STAGE/vdagent"
fi

# What the packages are built from, to skip a rebuild of the same sources.
hash=$(cd "$STAGE/vdagent" && find . -type f | LC_ALL=C sort |
	xargs sha256sum | sha256sum | cut -c1-16)
if [ -f "$OUT/.source-hash" ] && [ "$(cat "$OUT/.source-hash")" = "$hash" ] &&
   ls "$OUT"/vdagent_*.deb >/dev/null 2>&1; then
	echo "build-deb: up to date (sources $hash):"
	ls "$OUT"/*.deb
	exit 0
fi

cd "$STAGE/vdagent"
# a tree from git has no generated build system: the project's bootstrap
# (dh_autoreconf runs autoreconf again; autogen.sh also adds the TAP driver)
if ! test -x configure && ! sh ./autogen.sh >"$STAGE/autogen.log" 2>&1; then
	tail -30 "$STAGE/autogen.log" >&2
	echo "build-deb: autogen.sh failed" >&2
	exit 1
fi
echo "build-deb: dpkg-buildpackage in $STAGE/vdagent (sources $hash)"
if ! dpkg-buildpackage -us -uc -b >"$STAGE/build.log" 2>&1; then
	tail -60 "$STAGE/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed" >&2
	exit 1
fi
rm -f "$OUT"/vdagent_*.deb "$OUT"/vdagent-dbgsym_*.deb "$OUT"/vdagent_*.buildinfo \
	"$OUT"/vdagent_*.changes "$OUT/.source-hash"
cp "$STAGE"/vdagent_*.deb "$STAGE"/vdagent_*.buildinfo "$STAGE"/vdagent_*.changes "$OUT/"
cp "$STAGE"/vdagent-dbgsym_*.deb "$OUT/" 2>/dev/null || true
echo "$hash" > "$OUT/.source-hash"

if command -v lintian >/dev/null; then
	echo "build-deb: lintian"
	lintian --fail-on error,warning "$OUT"/vdagent_*.changes || {
		echo "build-deb: lintian found problems (above)" >&2
		exit 1
	}
fi
ls "$OUT"/*.deb
