#!/bin/sh
# The main job: install, build, then run Xspice with our vdagentd and vdagent
# driven by a scripted spice-gtk client (scripts/main-job.py), and keep the
# stack running for a real client.  MAIN_JOB_EXIT=1 stops after the steps;
# SPICE_PORT=N picks the port.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ "$(id -u)" = 0 ]; then
	sh scripts/install-deps.sh
fi
sh scripts/build.sh
# the build uses ASan; the stack's own exit paths are what is checked here
ASAN_OPTIONS=detect_leaks=0 exec /usr/bin/python3 scripts/main-job.py
