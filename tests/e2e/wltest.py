# SPDX-License-Identifier: MIT
"""Helpers for the Wayland agent tests: a headless sway, its IPC through
swaymsg, and the agent on a Wayland display with a fake daemon.

sway refuses to run as root: as root, the tests run it as the system user
vdagent-wltest (created when missing).  Readiness comes from the compositor
itself (an `exec` in its config writes to a FIFO), never from a sleep."""

import json
import os
import pwd
import select
import shutil
import signal
import subprocess
import tempfile
import time

import vdatest as vt

TEST_USER = "vdagent-wltest"


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def test_user():
    """(uid, gid) to run compositors as, or None when we are not root
    (they run as ourselves).  Raises RuntimeError when impossible."""
    if os.getuid() != 0:
        return None
    try:
        pw = pwd.getpwnam(TEST_USER)
    except KeyError:
        r = subprocess.run(["useradd", "--system", "--no-create-home",
                            "--shell", "/usr/sbin/nologin", TEST_USER],
                           capture_output=True)
        if r.returncode != 0:
            raise RuntimeError("cannot create the test user: " +
                               r.stderr.decode(errors="replace"))
        pw = pwd.getpwnam(TEST_USER)
    return (pw.pw_uid, pw.pw_gid)


class Compositor:
    """A compositor in its own XDG_RUNTIME_DIR, ready when its start-up
    command has written to our FIFO."""

    def __init__(self, argv, config_text, env_extra, tmpdir, timeout=60.0,
                 name="compositor", as_test_user=True):
        self.tmp = tmpdir
        self.runtime = os.path.join(tmpdir, "runtime")
        os.mkdir(self.runtime, 0o700)
        self.fifo = os.path.join(tmpdir, "ready.fifo")
        os.mkfifo(self.fifo, 0o666)
        os.chmod(self.fifo, 0o666)
        user = test_user() if as_test_user else None
        if user:
            os.chown(self.runtime, user[0], user[1])
            os.chmod(tmpdir, 0o755)
        self.config = os.path.join(tmpdir, "config")
        with open(self.config, "w") as f:
            f.write(config_text.replace("@READY@", self.fifo))
        os.chmod(self.config, 0o644)
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
               "XDG_RUNTIME_DIR": self.runtime, "HOME": tmpdir}
        env.update(env_extra)
        pre = []
        if user:
            pre = ["setpriv", f"--reuid={user[0]}", f"--regid={user[1]}",
                   "--clear-groups", "--"]
        self.log = open(os.path.join(tmpdir, f"{name}.log"), "w")
        # opened non-blocking before the writer exists, then waited on
        rfd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.proc = subprocess.Popen(
            pre + [a.replace("@CONFIG@", self.config) for a in argv],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=tmpdir)
        data = b""
        deadline = time.monotonic() + timeout
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                break
            if select.select([rfd], [], [], min(left, 0.5))[0]:
                try:
                    data += os.read(rfd, 256)
                except BlockingIOError:
                    pass
        os.close(rfd)
        if b"\n" not in data:
            self.stop()
            raise RuntimeError(f"{name} did not start: " +
                               self.logtext()[-2000:])
        self.ready_line = data.decode(errors="replace").strip()
        self.display = env_extra.get("WAYLAND_DISPLAY") or \
            self.wayland_display()
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime,
                        WAYLAND_DISPLAY=self.display)
        self.env.pop("DISPLAY", None)

    def wayland_display(self):
        for n in sorted(os.listdir(self.runtime)):
            if n.startswith("wayland-") and not n.endswith(".lock"):
                return n
        raise RuntimeError("no Wayland socket in " + self.runtime)

    def logtext(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def run(self, *argv, input=None, timeout=30):
        return subprocess.run(list(argv), env=self.env, input=input,
                              capture_output=True, timeout=timeout)

    def stop(self):
        """Terminate its process group (a session bus, a shell and the
        compositor may be in it), then reap the leader."""
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 20)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            # the leader is gone; wait for the rest of the group
            if vt.wait_for(lambda: not group_alive(self.proc.pid), wait):
                break
        if self.proc.poll() is None:
            self.proc.wait()
        self.log.close()


SWAY_CONFIG = """
xwayland disable
output HEADLESS-1 mode 1280x800 position 0 0
exec echo "$SWAYSOCK" > @READY@
"""


class Sway(Compositor):
    def __init__(self, tmpdir):
        if not shutil.which("sway"):
            raise RuntimeError("no sway (package sway)")
        super().__init__(
            ["sway", "-c", "@CONFIG@"], SWAY_CONFIG,
            {"WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
             "WLR_LIBINPUT_NO_DEVICES": "1"}, tmpdir, name="sway")
        self.env["SWAYSOCK"] = self.ready_line

    def msg(self, *args):
        r = self.run("swaymsg", "--", *args)
        if r.returncode != 0:
            raise RuntimeError(f"swaymsg {' '.join(args)}: " +
                               r.stdout.decode() + r.stderr.decode())
        return r.stdout.decode()

    def outputs(self):
        return json.loads(self.run("swaymsg", "-r", "-t",
                                   "get_outputs").stdout)


MUTTER_SCRIPT = """
mutter --wayland --headless @NO_X11@ --wayland-display=wl-test \\
    --virtual-monitor 1280x800 --virtual-monitor 1024x768 &
pid=$!
gdbus wait --session --timeout 60 org.gnome.Mutter.DisplayConfig &&
    echo "$DBUS_SESSION_BUS_ADDRESS" > @READY@
wait $pid
"""


class Mutter(Compositor):
    """mutter 43 headless with two virtual monitors (one mode each), in
    its own session bus; ready when DisplayConfig is on the bus.  Runs as
    the current user (the agent talks to its bus)."""

    def __init__(self, tmpdir, xwayland=False):
        if not shutil.which("mutter") or not shutil.which("dbus-run-session"):
            raise RuntimeError("no mutter or dbus-run-session")
        if xwayland and not shutil.which("Xwayland"):
            raise RuntimeError("no Xwayland (package xwayland)")
        script = MUTTER_SCRIPT.replace("@NO_X11@",
                                       "" if xwayland else "--no-x11")
        super().__init__(
            ["dbus-run-session", "--", "sh", "@CONFIG@"], script,
            {"WAYLAND_DISPLAY": "wl-test"}, tmpdir, name="mutter",
            as_test_user=False)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.ready_line
        if xwayland:
            self._xwayland_env()

    def _xwayland_env(self):
        """DISPLAY from mutter's log, XAUTHORITY from its runtime dir."""
        import re
        ok = vt.wait_for(lambda: re.search(
            r"Using public X11 display (:\d+)", self.logtext()), 30)
        auth = [n for n in os.listdir(self.runtime)
                if n.startswith(".mutter-Xwaylandauth")]
        if not ok or not auth:
            raise RuntimeError("mutter started no Xwayland")
        self.env["DISPLAY"] = ok.group(1)
        self.env["XAUTHORITY"] = os.path.join(self.runtime, auth[0])

    def _bus(self):
        from gi.repository import Gio
        return Gio.DBusConnection.new_for_address_sync(
            self.ready_line,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

    def state(self):
        """{connector: (w, h, x, y)} of the enabled monitors."""
        from gi.repository import GLib, Gio
        bus = self._bus()
        r = bus.call_sync("org.gnome.Mutter.DisplayConfig",
                          "/org/gnome/Mutter/DisplayConfig",
                          "org.gnome.Mutter.DisplayConfig", "GetCurrentState",
                          None, None, Gio.DBusCallFlags.NONE, 10000, None)
        serial, monitors, logical, props = r.unpack()
        size = {}
        for spec, modes, _ in monitors:
            for mid, w, h, *_rest in modes:
                if _rest[-1].get("is-current"):
                    size[spec[0]] = (w, h)
        out = {}
        for x, y, scale, tr, primary, specs, _ in logical:
            for spec in specs:
                out[spec[0]] = size.get(spec[0], (0, 0)) + (x, y)
        bus.close_sync(None)
        return out


KWIN_SCRIPT = """
@KWIN@ --virtual --output-count 2 --socket wl-test &
pid=$!
gdbus wait --session --timeout 60 org.kde.KWin &&
    echo "$DBUS_SESSION_BUS_ADDRESS" > @READY@
wait $pid
"""


class KWin(Compositor):
    """kwin_wayland 5.27 with two virtual outputs (offscreen Qt), in its
    own session bus; ready when org.kde.KWin is on the bus.  The installed
    binary carries file capabilities a container refuses: a copy named
    kwin_wayland runs."""

    def __init__(self, tmpdir):
        src = shutil.which("kwin_wayland")
        if not src or not shutil.which("dbus-run-session"):
            raise RuntimeError("no kwin_wayland or dbus-run-session")
        bindir = os.path.join(tmpdir, "bin")
        os.mkdir(bindir)
        kwin = os.path.join(bindir, "kwin_wayland")
        shutil.copy(src, kwin)  # without its file capabilities
        super().__init__(
            ["dbus-run-session", "--", "sh", "@CONFIG@"],
            KWIN_SCRIPT.replace("@KWIN@", kwin),
            {"WAYLAND_DISPLAY": "wl-test", "QT_QPA_PLATFORM": "offscreen"},
            tmpdir, name="kwin", as_test_user=False)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.ready_line


def layout_from_mutter(state):
    """The layout the agent must report for Mutter.state() (scale 1,
    Meta-N: ids in name order)."""
    if not state:
        return None
    names = sorted(state)
    disp = [(names.index(n),) + (state[n][2], state[n][3]) + state[n][:2]
            for n in names]
    minx = min(d[1] for d in disp)
    miny = min(d[2] for d in disp)
    disp = [(i, x - minx, y - miny, w, h) for i, x, y, w, h in disp]
    return (max(d[1] + d[3] for d in disp), max(d[2] + d[4] for d in disp),
            sorted(disp))


def layout_from_sway(outputs):
    """What the agent must report for swaymsg -t get_outputs: active
    outputs, ids from HEADLESS-N, logical positions scaled to pixels by the
    largest pixel/logical ratio, the bounding box at 0,0."""
    act = [o for o in outputs if o.get("active")]
    if not act:
        return None
    sizes = []
    for o in act:
        m = o["current_mode"]
        w, h = m["width"], m["height"]
        if o.get("transform", "normal") in ("90", "270", "flipped-90",
                                             "flipped-270"):
            w, h = h, w
        sizes.append((w, h))
    s = max(max(w / o["rect"]["width"], h / o["rect"]["height"])
            for o, (w, h) in zip(act, sizes))
    minx = min(o["rect"]["x"] for o in act)
    miny = min(o["rect"]["y"] for o in act)
    disp = []
    for o, (w, h) in zip(act, sizes):
        x = round((o["rect"]["x"] - minx) * s)
        y = round((o["rect"]["y"] - miny) * s)
        disp.append((int(o["name"].rsplit("-", 1)[1]) - 1, x, y, w, h))
    return (max(d[1] + d[3] for d in disp), max(d[2] + d[4] for d in disp),
            sorted(disp))


class FakeCompositor:
    """One of our own test compositors (tests/e2e/wl-fake-*) in its own
    XDG_RUNTIME_DIR: it says "ready SOCKET", then one line per event,
    read here with deadlines; commands go to its stdin, and it exits at
    their end."""

    def __init__(self, program, tmpdir, name, extra=()):
        binary = os.path.join(vt.builddir(), "tests", "e2e", program)
        self.runtime = os.path.join(tmpdir, name)
        os.mkdir(self.runtime, 0o700)
        self.proc = subprocess.Popen(
            [binary] + list(extra), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=dict(os.environ,
                                             XDG_RUNTIME_DIR=self.runtime))
        self.buf = b""
        line = self.line()
        if not line or not line.startswith("ready "):
            raise RuntimeError(f"{program} did not start: {line}")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime,
                        WAYLAND_DISPLAY=line.split()[1])
        for k in ("DISPLAY", "SWAYSOCK"):
            self.env.pop(k, None)

    def line(self, timeout=30.0):
        """The next line, or None at the deadline or the end."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace")

    def send(self, cmd):
        self.proc.stdin.write(cmd.encode() + b"\n")
        self.proc.stdin.flush()

    def stop(self):
        """Its exit status once its stdin is closed."""
        self.proc.stdin.close()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.proc.returncode


class WlAgent(vt.Agent):
    """The agent on a compositor's display (no X)."""

    def __init__(self, comp, sock, tmpdir, extra=(), name="vdagent",
                 drop_env=()):
        self.logpath = os.path.join(tmpdir, f"{name}.log")
        self.log = open(self.logpath, "w")
        env = dict(comp.env)
        for k in drop_env:
            env.pop(k, None)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
        self.proc = subprocess.Popen(
            [vt.agent_binary(), "-x", "-d", "-S", sock] + list(extra),
            stdout=self.log, stderr=subprocess.STDOUT, env=env)


def kill_all(things):
    """atexit: kill what is still running (agents, compositors and their
    process groups)."""
    for t in things:
        p = getattr(t, "proc", None)
        if p and isinstance(t, Compositor):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if p and p.poll() is None:
            p.kill()
            p.wait()


def mktemp():
    return tempfile.mkdtemp(prefix="vdagent-wltest-")
