#!/bin/sh
# SPDX-License-Identifier: MIT
# Print the path of a ready wine prefix for the Windows tests, making it
# once per machine: /var/tmp/vdagent-wine-KEY, KEY from the wine build
# (version and Debian package version), the DLL overrides and the layout
# version below.  Concurrent callers wait on a lock; the prefix is built in
# a temporary directory and renamed into place, so it is complete or
# absent.  Tests copy it (tests/windows/winetest.py does, in about 1 s)
# rather than share one wineserver.
#
#   tests/windows/wineprefix.sh          print the prefix path (exit 0)
# Exit 77 (skip) when wine64 is missing, 1 when wineboot fails.
set -u
WINE=${WINE:-/usr/lib/wine/wine64}
WINESERVER=${WINESERVER:-/usr/lib/wine/wineserver}
LAYOUT=1 # bump when the prefix's contents change
export WINEDEBUG=-all
# no Mono or Gecko install dialogs
export WINEDLLOVERRIDES="mscoree,mshtml="

[ -x "$WINE" ] || { echo "wine64 not found at $WINE" >&2; exit 77; }

ver=$("$WINE" --version 2>/dev/null)
pkg=$(dpkg-query -W -f '${Version}' wine64 2>/dev/null || true)
key=$(printf '%s|%s|%s|%s|%s' "$ver" "$pkg" "$WINEDLLOVERRIDES" "$LAYOUT" \
	"$(id -u)" | sha256sum | cut -c1-16)
prefix=/var/tmp/vdagent-wine-$key

if [ -f "$prefix/.vdagent-ready" ]; then
	echo "$prefix"
	exit 0
fi

exec 9>"$prefix.lock"
flock 9
if [ ! -f "$prefix/.vdagent-ready" ]; then
	tmp=$(mktemp -d "$prefix.new.XXXXXX") || exit 1
	log=$tmp.log
	# no X display: wineboot needs none, and must not pop anything up
	if ! env -u DISPLAY WINEPREFIX="$tmp" "$WINE" wineboot -i >"$log" 2>&1 ||
	   ! WINEPREFIX="$tmp" "$WINESERVER" -w; then
		cat "$log" >&2
		rm -rf "$tmp" "$log"
		exit 1
	fi
	rm -f "$log"
	printf '%s\n%s\n' "$ver" "$pkg" >"$tmp/.vdagent-ready"
	rm -rf "$prefix"
	mv "$tmp" "$prefix"
fi
echo "$prefix"
