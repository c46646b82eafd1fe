#!/bin/sh
# Configure and build vdagent in build/ (out of tree).  Extra arguments go to
# configure.  With CI=true, warnings are errors.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p build
cd build
extra=""
[ "${CI:-}" = true ] && extra="--enable-werror"
# shellcheck disable=SC2086
../configure --enable-sanitizers $extra "$@" >configure.out || {
	cat configure.out config.log >&2
	exit 1
}
tail -n 9 configure.out
make -j"$(nproc)" >make.out 2>&1 || {
	cat make.out >&2
	exit 1
}
echo "build: ok ($top/build)"
