#!/bin/sh
# Bootstrap the autotools build: ./autogen.sh && ./configure && make
set -e
srcdir=$(dirname "$0")
cd "$srcdir"
mkdir -p build-aux m4
autoreconf --force --install --verbose
# automake does not install the TAP driver by itself
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
