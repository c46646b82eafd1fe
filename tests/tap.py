# SPDX-License-Identifier: MIT
"""TAP output for the Python tests (automake's tap-driver.sh reads it)."""

import sys


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what):
        self.n += 1
        print(f"{'' if cond else 'not '}ok {self.n} - {what}", flush=True)
        if not cond:
            self.failed += 1
        return cond

    def eq(self, got, want, what):
        r = self.ok(got == want, what)
        if not r:
            self.diag(f"  got  {got!r}\n  want {want!r}")
        return r

    def diag(self, msg):
        for line in str(msg).splitlines():
            print(f"# {line}", flush=True)

    def skip_all(self, why):
        print(f"1..0 # SKIP {why}", flush=True)
        sys.exit(0)

    def done(self):
        print(f"1..{self.n}", flush=True)
        return 1 if self.failed else 0
