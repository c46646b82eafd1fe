#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vdservice's pure logic (test-win-service-logic.exe, TAP) under wine,
in a private copy of the cached prefix; its TAP is passed through."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import win_service_harness as h  # noqa: E402


def main():
    exe = h.built("tests/windows/test-win-service-logic")
    if not os.path.exists(exe):
        h.Tap().skip_all(f"not built (mingw build tree?): {exe}")
    try:
        wine = h.Wine("unit")
    except FileNotFoundError:
        h.Tap().skip_all("no wine64")
    try:
        rc, out = wine.run(wine.install_file(exe, "logic.exe"), timeout=120)
    finally:
        wine.close()
    sys.stdout.write(out)
    if rc != 0 and "1.." not in out:  # died before its plan
        print(f"not ok 1 - test-win-service-logic.exe exited {rc}\n1..1")
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
