# SPDX-License-Identifier: MIT
"""Helpers for the Windows tests: vdagent.exe under wine on a real X
server, talking TCP to either Xspice (through a bridge to Xspice's agent
socket) or to a test peer playing spice-server.

Typical use (see test-win-agent-e2e):

    import winetest as wt
    env = wt.WineEnv(tmp)                 # private copy of the cached prefix
    x = wt.start_xspice_with_agent_socket(tmp)   # Xspice + its agent socket
    bridge = wt.Bridge(x.agent_socket)    # 127.0.0.1:bridge.port <-> socket
    agent = wt.WineAgent(env, x.display, bridge.port, tmp, ["-x"])
    ... drive spice-gtk (tests/e2e/spiceclient.py) ...
    agent.stop(); bridge.close(); x.stop(); env.close()

For a test peer instead of Xspice:

    server = wt.PortServer()              # listens on 127.0.0.1:server.port
    agent = wt.WineAgent(env, x.display, server.port, tmp)
    peer = server.accept()                # tests/daemon/vdproto.PortPeer
    peer.handshake()

Everything waits on events with deadlines (sockets, process exit)."""

import os
import select
import shutil
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "e2e"))
sys.path.insert(0, os.path.join(TESTS, "daemon"))
sys.path.insert(0, TESTS)
import vdatest as vt  # noqa: E402
import vdproto as vp  # noqa: E402
from tap import Tap  # noqa: E402,F401

WINE = os.environ.get("WINE", "/usr/lib/wine/wine64")
WINESERVER = os.environ.get("WINESERVER", "/usr/lib/wine/wineserver")


def winbuilddir():
    """The mingw build tree: $WIN_BUILDDIR, else top_builddir."""
    return os.environ.get("WIN_BUILDDIR") or vt.builddir()


def win_exe(rel):
    return os.path.join(winbuilddir(), rel)


def agent_exe():
    return win_exe(os.path.join("windows", "vdagent", "vdagent.exe"))


def skip_unless_ready(tap):
    """Skip the whole test when wine or the .exe is missing."""
    if not os.access(WINE, os.X_OK):
        tap.skip_all(f"no wine64 at {WINE}")
    if not os.path.exists(agent_exe()):
        tap.skip_all(f"no {agent_exe()} (set WIN_BUILDDIR to the mingw build)")


def cached_prefix():
    """The per-machine prefix (tests/windows/wineprefix.sh makes it once)."""
    r = subprocess.run(["sh", os.path.join(HERE, "wineprefix.sh")],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("wineprefix.sh failed: " + r.stderr[-2000:])
    return r.stdout.strip()


class WineEnv:
    """A private copy of the cached prefix (own wineserver, own clipboard
    and registry), removed by close()."""

    def __init__(self, tmpdir):
        self.prefix = os.path.join(tmpdir, "wineprefix")
        subprocess.run(["cp", "-a", cached_prefix(), self.prefix], check=True)
        self.env = dict(os.environ, WINEPREFIX=self.prefix, WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=")

    def for_display(self, display):
        return dict(self.env, DISPLAY=display)

    def run(self, argv, display=None, timeout=120):
        env = self.for_display(display) if display else self.env
        return subprocess.run([WINE] + list(argv), env=env,
                              capture_output=True, timeout=timeout)

    def local_appdata(self):
        return os.path.join(self.prefix, "drive_c", "users",
                            os.environ.get("USER", "root"), "AppData",
                            "Local")

    def close(self):
        subprocess.run([WINESERVER, "-k"], env=self.env,
                       capture_output=True, timeout=60)
        subprocess.run([WINESERVER, "-w"], env=self.env,
                       capture_output=True, timeout=60)
        shutil.rmtree(self.prefix, ignore_errors=True)


class WineAgent:
    """vdagent.exe -d -s tcp:127.0.0.1:PORT under wine on display (with
    port None, extra must name the port)."""

    def __init__(self, env, display, port, tmpdir, extra=(), name="vdagent"):
        self.env = env
        self.logpath = os.path.join(tmpdir, name + ".stderr")
        self.log = open(self.logpath, "w")
        where = ["-s", f"tcp:127.0.0.1:{port}"] if port else []
        self.proc = subprocess.Popen(
            [WINE, agent_exe(), "-d"] + where + list(extra),
            env=env.for_display(display),
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def alive(self):
        return self.proc.poll() is None

    def cpu_seconds(self):
        """User + system CPU time of the agent's process so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def idle_cpu_share(self, seconds=3.0):
        """The share of one CPU it used over seconds of doing nothing
        (there is no event for "not spinning": this one waits)."""
        before = self.cpu_seconds()
        time.sleep(seconds)
        return (self.cpu_seconds() - before) / seconds

    def logtext(self):
        with open(self.logpath, errors="replace") as f:
            return f.read()

    def stop(self):
        """Kill it (there is no console to send Ctrl-C to); returns the
        exit status when it had exited by itself, else None."""
        rc = self.proc.poll()
        if rc is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return rc


def start_xspice_with_agent_socket(tmpdir):
    """Xspice as tests/e2e/test-e2e-xspice starts it (client mouse through
    the agent); x.agent_socket is the unix socket of its agent port."""
    sock = os.path.join(tmpdir, "virtio")
    extra = f'''    Option "SpiceVdagentEnabled" "True"
    Option "SpiceAgentMouse" "True"
    Option "SpiceVdagentVirtioPath" "{sock}"
    Option "SpiceVdagentUinputPath" "{os.path.join(tmpdir, 'uinput')}"'''
    x = vt.start_xspice(tmpdir, extra=extra)
    if x is None:
        return None
    if not vt.wait_for(lambda: os.path.exists(sock), 20):
        x.stop()
        raise RuntimeError("Xspice made no agent socket")
    x.agent_socket = sock
    return x


def xclip_out(x, target=None, timeout=60):
    """xclip -o of the X CLIPBOARD (what wine exports from the Windows
    clipboard) on x's display; raises subprocess.TimeoutExpired after
    timeout.

    Wine 8's X11 driver now and then leaves its SelectionNotify answer in
    its output buffer: its trace says the reply went out, and xclip gets it
    only when another X event reaches wine's clipboard thread.  So while
    xclip waits, a TARGETS request every 2 s gives that thread an event;
    the answer xclip was waiting for then arrives.  Returns stdout."""
    argv = ["xclip", "-o", "-selection", "clipboard"]
    if target:
        argv += ["-t", target]
    p = subprocess.Popen(argv, env=x.env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return p.communicate(timeout=min(2.0, max(
                0.0, deadline - time.monotonic())))[0]
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                p.kill()
                p.communicate()
                raise subprocess.TimeoutExpired(argv, timeout)
        try:
            subprocess.run(["xclip", "-o", "-selection", "clipboard",
                            "-t", "TARGETS"], env=x.env, timeout=2,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pass  # stuck the same way: the next one wakes both


class Bridge:
    """TCP 127.0.0.1:port <-> a unix socket, one connection at a time: each
    TCP connection (the agent under wine, which has no AF_UNIX) gets its own
    unix connection, closed with it, so Xspice sees the agent come and go.
    With record set, every byte is appended to record + '.in' (to the
    agent) / '.out' (from it)."""

    def __init__(self, unix_path, record=None):
        self.unix_path = unix_path
        self.record = record
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.connections = 0  # accepted so far
        self.current = None   # (tcp, unix) of the live connection
        self.closed = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.closed:
            try:
                tcp, _ = self.listener.accept()
            except OSError:
                return
            try:
                unix = socket.socket(socket.AF_UNIX)
                unix.connect(self.unix_path)
            except OSError:
                tcp.close()
                continue
            self.connections += 1
            self.current = (tcp, unix)
            self._pump(tcp, unix)
            self.current = None
            tcp.close()
            unix.close()

    def _save(self, suffix, data):
        if self.record:
            with open(self.record + suffix, "ab") as f:
                f.write(data)

    def _pump(self, tcp, unix):
        socks = [tcp, unix]
        while not self.closed:
            r, _, _ = select.select(socks, [], [], 0.5)
            for s in r:
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    return
                other = unix if s is tcp else tcp
                self._save(".out" if s is tcp else ".in", data)
                try:
                    other.sendall(data)
                except OSError:
                    return

    def drop(self):
        """Cut the live connection (the agent sees its port close)."""
        cur = self.current
        if cur:
            for s in cur:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def wait_connections(self, n, timeout=60):
        return vt.wait_for(lambda: self.connections >= n and self.current,
                           timeout)

    def close(self):
        self.closed = True
        self.drop()
        self.listener.close()


class PortServer:
    """A TCP listener playing spice-server's side of the agent port."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]

    def accept(self, timeout=60):
        """The agent's next connection as a vdproto.PortPeer, or None."""
        r, _, _ = select.select([self.listener], [], [], timeout)
        if not r:
            return None
        conn, _ = self.listener.accept()
        return vp.PortPeer(conn)

    def close(self):
        self.listener.close()


class MouseProbe:
    """tests/windows/wa-mouse-probe.exe under wine in env: a low-level
    mouse hook reporting ("down", N), ("up", N), ("wheel", D) as the
    session sees them (wine keeps injected buttons from the X server)."""

    def __init__(self, env, display):
        self.proc = subprocess.Popen(
            [WINE, win_exe("tests/windows/wa-mouse-probe.exe")],
            env=env.for_display(display), stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        self.events = []
        self.ready = False
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            parts = line.split()
            with self.cond:
                if parts == ["ready"]:
                    self.ready = True
                elif len(parts) == 2:
                    self.events.append((parts[0], int(parts[1])))
                self.cond.notify_all()

    def wait_ready(self, timeout=60):
        with self.cond:
            return self.cond.wait_for(lambda: self.ready, timeout)

    def wait(self, want, timeout=20):
        with self.cond:
            return self.cond.wait_for(lambda: want in self.events, timeout)

    def clear(self):
        with self.cond:
            self.events.clear()

    def count(self, want):
        with self.cond:
            return self.events.count(want)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def cleanup(tap, tmpdir):
    """Remove the test's temporary directory, or keep it (and say where)
    when a test point failed or VDAGENT_KEEP_TMP is set."""
    if tap.failed or os.environ.get("VDAGENT_KEEP_TMP"):
        tap.diag(f"logs kept in {tmpdir}")
        return
    shutil.rmtree(tmpdir, ignore_errors=True)


def xdotool_mouse(x):
    out = x.run("xdotool", "getmouselocation").stdout.decode()
    parts = dict(p.split(":", 1) for p in out.split() if ":" in p)
    try:
        return int(parts["x"]), int(parts["y"])
    except (KeyError, ValueError):
        return None
