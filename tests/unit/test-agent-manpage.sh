#!/bin/sh
# SPDX-License-Identifier: MIT
# Every option vdagent --help lists is documented in vdagent(1), and the
# other way round.
agent="${top_builddir:-.}/vdagent/vdagent"
man="${top_srcdir:-.}/vdagent/vdagent.1"
n=0
fail=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
help=$("$agent" --help)
check $? "vdagent --help exits 0"
opts_help=$(printf '%s\n' "$help" | grep -o -- '--[a-z0-9-]*[a-z0-9]' | sort -u)
opts_man=$(sed -n 's/\\-/-/g; s/.*\(--[a-z0-9-]*[a-z0-9]\).*/\1/p' "$man" | sort -u)
for o in $opts_help; do
	printf '%s\n' "$opts_man" | grep -qx -- "$o"
	check $? "$o from --help is in vdagent.1"
done
for o in $opts_man; do
	case "$o" in --vdagent-exec) continue ;; esac
	printf '%s\n' "$opts_help" | grep -qx -- "$o"
	check $? "$o from vdagent.1 is in --help"
done
"$agent" --no-such-option >/dev/null 2>&1
check $([ $? -eq 2 ] && echo 0 || echo 1) "an unknown option exits 2"
echo "1..$n"
exit $fail
