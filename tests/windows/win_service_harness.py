# SPDX-License-Identifier: MIT
"""Helpers for the vdservice tests under wine (test-win-service*.py), on
top of winetest.py.

A Wine object is one private copy of the cached prefix (winetest's
WineEnv), its own Xvfb (tests/e2e/vdatest.py's) and its own wineserver.  A "hold"
process keeps the wine session alive for the whole test: without a
running non-system process wine ends the session and services.exe stops
every service.  Waits poll cheap questions with deadlines that only run
out on failure."""

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import winetest as wt  # noqa: E402
from winetest import Tap  # noqa: E402,F401

vdatest = wt.vt
WINE = wt.WINE
TEST_DIR = "vdtest"  # C:\vdtest in the prefix


def srcdir():
    return os.environ.get("top_srcdir") or os.path.dirname(
        os.path.dirname(HERE))


def builddir():
    return wt.winbuilddir()


def built(rel):
    """A mingw build product, e.g. built('windows/vdservice/vdservice')."""
    return wt.win_exe(rel + ".exe")


def agent_choice():
    """VDS_TEST_AGENT: 'real' (the build's windows/vdagent/vdagent.exe),
    'fake' (the stand-in tests/windows/test-win-service-agent.exe), or
    unset: the real one when it is built.  Returns (mode, path)."""
    real = built("windows/vdagent/vdagent")
    mode = os.environ.get("VDS_TEST_AGENT") or (
        "real" if os.path.exists(real) else "fake")
    if mode == "real":
        return mode, real
    return "fake", built("tests/windows/test-win-service-agent")


def wait_for(pred, timeout=60.0, interval=0.25):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


class Wine:
    def __init__(self, name):
        if not os.access(WINE, os.X_OK):
            raise FileNotFoundError(WINE)
        self.tmp = tempfile.mkdtemp(prefix=f"vdagent-{name}-")
        self.x = None
        self.hold = None
        self.wine_env = wt.WineEnv(self.tmp)
        self.prefix = self.wine_env.prefix
        self.x = vdatest.start_xvfb(self.tmp)
        self.env = (self.wine_env.for_display(self.x.display) if self.x
                    else self.wine_env.env)
        os.makedirs(self.host_path(f"C:\\{TEST_DIR}"), exist_ok=True)
        # The first command may update the prefix and say so: do it here,
        # so that the tests see only their programs' output.
        self.run("cmd", "/c", "exit", "0")

    def host_path(self, win_path):
        """C:\\a\\b -> the file in the prefix (drive C only)."""
        assert win_path[:3].upper() == "C:\\"
        return os.path.join(self.prefix, "drive_c",
                            *[p for p in win_path[3:].split("\\") if p])

    def install_file(self, src, name):
        shutil.copy(src, self.host_path(f"C:\\{TEST_DIR}\\{name}"))
        return f"C:\\{TEST_DIR}\\{name}"

    def start_hold(self, probe, timeout=120):
        """Start the hold process and wait until it runs."""
        self.hold = subprocess.Popen([WINE, probe, "hold"], env=self.env,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        fd = self.hold.stdout.fileno()
        if not select.select([fd], [], [], timeout)[0] or \
                b"holding" not in os.read(fd, 64):
            raise RuntimeError("the hold process did not start")

    def run(self, *argv, timeout=180):
        """Run a Windows program to its end: (exit status, stdout+stderr)."""
        try:
            r = subprocess.run([WINE, *argv], env=self.env, timeout=timeout,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        except subprocess.TimeoutExpired:
            return None, f"timed out after {timeout} s"
        return r.returncode, r.stdout.decode("utf-8", "replace").replace(
            "\r", "")

    def close(self):
        if self.hold:
            self.hold.kill()
            self.hold.wait()
        if os.environ.get("VDS_TEST_KEEP"):
            subprocess.run([wt.WINESERVER, "-k"], env=self.env,
                           capture_output=True, timeout=60)
        else:
            self.wine_env.close()  # also removes the prefix
        if self.x:
            self.x.stop()
        if os.environ.get("VDS_TEST_KEEP"):
            print(f"# kept {self.tmp}", flush=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


class Probe:
    """test-win-service-probe.exe, run inside the prefix."""

    def __init__(self, wine, path):
        self.wine = wine
        self.path = path

    def _out(self, *args):
        rc, out = self.wine.run(self.path, *args, timeout=60)
        return out.strip() if rc == 0 else None

    def config(self, name="vdservice"):
        out = self._out("qc", name) or ""
        return dict(line.split("=", 1) for line in out.splitlines()
                    if "=" in line)

    def state(self, name="vdservice"):
        return self._out("state", name)

    def pids(self, exe="vdagent.exe"):
        out = self._out("pids", exe)
        return [int(p) for p in out.split()] if out else []

    def related(self, upgrade_code):
        out = self._out("related", upgrade_code)
        return out.split() if out else []

    def control(self, code, name="vdservice"):
        return self._out("control", name, str(code)) == "sent"

    def alive(self, pid):
        return self._out("alive", str(pid)) == "alive"

    def kill(self, pid):
        return self._out("kill", str(pid)) == "killed"


class AgentListener:
    """For the real agent: a TCP port its --port tcp:127.0.0.1:PORT
    connects to (wine's TCP is the host's), accepting and holding every
    connection, so the agent has a peer and stays up."""

    def __init__(self):
        import socket
        import threading
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()
