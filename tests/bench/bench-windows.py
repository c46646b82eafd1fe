#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Benchmark: the Windows agent (vdagent.exe under wine) beside the Linux
pair (our vdagentd + vdagent), each on its own Xspice with spice-gtk as the
client (tests/e2e/spiceclient.py).  Figures only, no timed assertions; not
part of `make check` nor of `make bench`.  From a Linux build directory:

  make bench-windows WIN_BUILDDIR=/path/to/mingw-build

or by hand:

  WIN_BUILDDIR=/path/to/mingw-build top_builddir=$PWD \\
    BENCH_OURS_DIR=tests/release \\
    /usr/bin/python3 $srcdir/tests/bench/bench-windows.py

(without BENCH_OURS_DIR: vdagentd/vdagentd and vdagent/vdagent).
BENCH_CLIPBOARD_MB (50), BENCH_RUNS (3 per clipboard figure), BENCH_MOUSE_N
(40 mouse samples) set the sizes.

The Windows application is tests/bench/wbench-helper.c, compiled here with
x86_64-w64-mingw32-gcc into a temporary directory.  Measured:
  - clipboard client -> Windows app: the client grabs the text; the helper
    opens the clipboard and reads CF_UNICODETEXT (wine asks the agent to
    render it, the agent asks the client): from the "get" command to the
    helper holding the data.  Linux pair: xclip -o.  The time until the
    client is asked for its data is printed apart.
  - clipboard Windows app -> client: the helper sets the text; from the
    client's request to the data at the client.  Linux pair: xclip -i.
    Also at half the size (50 MB of this text is ~92 MiB of UTF-16, over
    the Windows agent's 64 MiB clipboard read cap).
  - the CPU seconds of each process (agent, wineserver, helper, Xspice,
    this script: client and bridge) during every Windows transfer.
  - mouse: InputsChannel position until the X pointer is there
    (XQueryPointer), and, under wine, until GetCursorPos() in the helper
    (polled every 1 ms) sees it; then, with a second helper holding a
    low-level mouse hook, until the hook sees it.
  - wine alone, before the agent starts, in the same prefix: the helper's
    get of text another X client owns (wine's import from X), xclip -o of
    the helper's text (wine's export to X), the helper's SetClipboardData,
    its text read by a second helper process (wine's own clipboard),
    SendInput -> X pointer, the stdin/stdout round trip to a wine process;
    and the harness's TCP<->unix bridge alone (wine has no AF_UNIX)
    carrying the same bytes.
Medians of the runs are printed, with every run."""

import ctypes
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "windows"))
import winetest as wt  # noqa: E402

vt = wt.vt
import spiceclient as sc  # noqa: E402

SIZE = int(os.environ.get("BENCH_CLIPBOARD_MB", "50")) * 1024 * 1024
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MOUSE_N = int(os.environ.get("BENCH_MOUSE_N", "40"))
_ours_dir = os.environ.get("BENCH_OURS_DIR")
LINUX = ((os.path.join(vt.builddir(), _ours_dir, "vdagentd"),
          os.path.join(vt.builddir(), _ours_dir, "vdagent")) if _ours_dir else
         (os.path.join(vt.builddir(), "vdagentd", "vdagentd"),
          vt.agent_binary()))


def say(msg):
    print("# " + msg, flush=True)


def bench_text(size):
    line = "0123456789 Grüße ✓ abcdefghijklmnopqrstuvwxyz\n"
    text = (line * (size // len(line.encode()) + 1)).encode()[:size]
    return text.decode("utf-8", "ignore").encode()


def build_helper(tmp):
    exe = os.path.join(tmp, "wbench-helper.exe")
    r = subprocess.run(["x86_64-w64-mingw32-gcc", "-O2", "-o", exe,
                        os.path.join(HERE, "wbench-helper.c"), "-luser32"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("cannot build the helper: " + r.stderr)
    return exe


class XPointer:
    """XQueryPointer through libX11 (one connection, used by one thread)."""

    def __init__(self, display):
        self.x = ctypes.CDLL("libX11.so.6")
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x.XQueryPointer.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + \
            [ctypes.c_void_p] * 7
        self.x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError("cannot open " + display)
        self.root = self.x.XDefaultRootWindow(self.dpy)
        self.w = [ctypes.c_ulong(), ctypes.c_ulong()]
        self.i = [ctypes.c_int() for _ in range(4)]
        self.m = ctypes.c_uint()

    def pos(self):
        w, i = self.w, self.i
        self.x.XQueryPointer(self.dpy, self.root, ctypes.byref(w[0]),
                             ctypes.byref(w[1]), ctypes.byref(i[0]),
                             ctypes.byref(i[1]), ctypes.byref(i[2]),
                             ctypes.byref(i[3]), ctypes.byref(self.m))
        return i[0].value, i[1].value

    def wait(self, pos, timeout=10):
        """Monotonic time at which the pointer was first seen at pos."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.pos() == pos:
                return time.monotonic()
            time.sleep(0.0002)
        return None

    def close(self):
        self.x.XCloseDisplay(self.dpy)


class Helper:
    """wbench-helper.exe under wine; lines come back as (time, words)."""

    def __init__(self, env, display, exe, args=()):
        self.proc = subprocess.Popen(
            [wt.WINE, exe] + list(args), env=env.for_display(display),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.expect("ready", 120):
            raise RuntimeError("the helper did not start")

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.split()))

    def send(self, cmd):
        t = time.monotonic()
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return t

    def expect(self, word, timeout=300):
        """(time, words) of the next line starting with word."""
        end = time.monotonic() + timeout
        while True:
            try:
                t, w = self.lines.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                return None
            if w and w[0] == word:
                return t, w

    def collect(self, words, timeout):
        """{word: (time, words)} of the first line of each of words, until
        all came or timeout (a "cur -1" line counts as not seen)."""
        seen = {}
        end = time.monotonic() + timeout
        while len(seen) < len(words):
            try:
                t, w = self.lines.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                break
            if w and w[0] in words and w[0] not in seen:
                seen[w[0]] = (t, w)
            if w and w[0] == "cur" and "hook" not in seen:
                end = min(end, time.monotonic() + 0.2)
        return seen

    def drain(self):
        while not self.lines.empty():
            self.lines.get()

    def seq(self):
        self.send("seq")
        return int(self.expect("seq", 30)[1][1])

    def get(self):
        """(seconds until the text is in hand, wchars, utf8 bytes, crc)."""
        t0 = self.send("get")
        got = self.expect("got")
        s = self.expect("sum") if got and got[1][1] != "-1" else None
        if not got or not s:
            return None
        return (got[0] - t0, int(got[1][1]), int(s[1][1]), int(s[1][2], 16))

    def set(self, winpath):
        """Seconds the helper took from OpenClipboard to CloseClipboard."""
        self.send("set " + winpath)
        r = self.expect("set")
        return int(r[1][1]) / 1e6 if r and r[1][1] != "-1" else None

    def stop(self):
        try:
            self.send("quit")
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def cpu_seconds(pid):
    """utime + stime of a process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wineserver_pid(prefix):
    """The wineserver of a prefix (found by its WINEPREFIX), or None."""
    r = subprocess.run(["pgrep", "-x", "wineserver64|wineserver"],
                       capture_output=True,
                       text=True)
    for pid in r.stdout.split():
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if b"WINEPREFIX=" + prefix.encode() + b"\0" in f.read():
                    return int(pid)
        except OSError:
            pass
    return None


class CpuMeter:
    """CPU seconds of named processes over one measurement."""

    def __init__(self, pids):
        self.pids = {k: v for k, v in pids.items() if v}

    def start(self):
        self.t0 = {k: cpu_seconds(p) for k, p in self.pids.items()}

    def stop(self, res, prefix):
        for k, p in self.pids.items():
            res.setdefault(f"{prefix}_cpu_{k}", []).append(
                cpu_seconds(p) - self.t0[k])


def winpath(path):
    return "Z:" + path.replace("/", "\\")


def xclip_out(x, target=None, timeout=300):
    argv = ["xclip", "-o", "-selection", "clipboard"]
    if target:
        argv += ["-t", target]
    return x.run(*argv, timeout=timeout).stdout


def xclip_in(x, data):
    subprocess.run(["xclip", "-i", "-selection", "clipboard"], env=x.env,
                   input=data, timeout=300, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def points(n):
    return [(100 + (i * 37) % 700, 80 + (i * 53) % 500) for i in range(n)]


def variants(text):
    """Acceptable forms of the text at the far end: as sent, or CRLF."""
    return {zlib.crc32(text): "LF", zlib.crc32(text.replace(b"\n", b"\r\n")):
            "CRLF"}


class TimedQueue(queue.Queue):
    """The client's event queue, noting when the client was last asked for
    its clipboard data (spice-gtk copies it out inside the request)."""
    last_request = None

    def put(self, item, *args, **kwargs):
        if item and item[0] == "request":
            self.last_request = time.monotonic()
        super().put(item, *args, **kwargs)


def drain_events(c):
    while not c.events.empty():
        c.events.get()


# ---- Windows agent under wine ----------------------------------------------

def run_windows(exe, text, textfile, half, res):
    tmp = tempfile.mkdtemp(prefix="vdagent-bench-win-")
    x = wt.start_xspice_with_agent_socket(tmp)
    if x is None:
        raise RuntimeError("cannot start Xspice")
    env = wt.WineEnv(tmp)
    helper = Helper(env, x.display, exe)
    try:
        # wine alone first, in the same prefix, before any agent runs
        wine_alone(x, env, exe, helper, text, textfile, res)
    except Exception:
        helper.stop()
        x.stop()
        env.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    bridge = wt.Bridge(x.agent_socket)
    agent = wt.WineAgent(env, x.display, bridge.port, tmp, ["-x"])
    meter = CpuMeter({"agent": agent.proc.pid, "helper": helper.proc.pid,
                      "wineserver": wineserver_pid(env.prefix),
                      "xorg": x.proc.pid, "python": os.getpid()})
    ok = variants(text)
    crlf = text.replace(b"\n", b"\r\n")

    def steps(c):
        c.events = TimedQueue()
        if not vt.wait_for(c.agent_connected, 120):
            say("windows: the agent did not connect")
            return
        vt.wait_for(lambda: c.mouse_mode() == 2, 30)
        xp = XPointer(x.display)
        try:
            clipboard_c2w(c)
            clipboard_w2c(c)
            mouse(c, xp)
        finally:
            xp.close()

    def clipboard_c2w(c):
        res["win_c2w"], res["win_c2w_form"] = [], set()
        for i in range(RUNS):
            # a small grab first, read through: the big one is then fresh
            # (after a 50 MB render, a client grab sometimes does not reach
            # the app: grab again, and count how often that was needed)
            for attempt in range(3):
                small = b"x%d%d" % (i, attempt)
                c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: small})
                if vt.wait_for(lambda: (helper.get() or (0, 0))[1] == 3, 15):
                    break
                say(f"windows c2w: a small client grab did not reach the "
                    f"app in 15 s (run {i + 1})")
                res["win_c2w_lost_grabs"] = res.get("win_c2w_lost_grabs",
                                                    0) + 1
            else:
                return
            s0 = helper.seq()
            c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text})
            if not vt.wait_for(lambda: helper.seq() != s0, 30, 0.005):
                say("windows c2w: no clipboard change")
                return
            meter.start()
            c.events.last_request = None
            t0 = time.monotonic()
            r = helper.get()
            meter.stop(res, "win_c2w")
            if r and r[3] in ok:
                res["win_c2w"].append(r[0])
                if c.events.last_request:
                    res.setdefault("win_c2w_req", []).append(
                        c.events.last_request - t0)
                res["win_c2w_form"].add(ok[r[3]])
            else:
                say(f"windows c2w: wrong data {r}")
            say(f"windows client->app run {i + 1}: {r and r[0]:.3f} s")

    def clipboard_w2c(c):
        res["win_w2c_form"] = set()
        for key, (data, path) in (("win_w2c", (text, textfile)),
                                  ("win_w2c_half", half)):
            res[key] = []
            for i in range(RUNS):
                one_w2c(c, key, data, path, i)

    def one_w2c(c, key, text, textfile, i):
        crlf = text.replace(b"\n", b"\r\n")
        drain_events(c)
        helper.set(winpath(textfile))
        if not c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD
                            and sc.UTF8_TEXT in e[2], 60):
            say("windows w2c: no grab")
            return
        # wine may announce one copy more than once: let it settle
        while c.wait_event("grab", timeout=0.5):
            pass
        meter.start()
        t0 = time.monotonic()
        c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
        ev = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD, 300)
        dt = time.monotonic() - t0
        meter.stop(res, key)
        if ev and ev[3] in (text, crlf):
            res[key].append(dt)
            res["win_w2c_form"].add("LF" if ev[3] == text else "CRLF")
        else:
            say(f"windows w2c: wrong data ({ev and len(ev[3])} bytes)")
        say(f"windows app->client {len(text) >> 20} MB run {i + 1}: "
            f"{dt:.3f} s")

    def mouse(c, xp):
        # first the X pointer and GetCursorPos, then, with a second helper
        # holding a low-level mouse hook (which stops wine from moving the
        # X pointer), the hook
        res["win_mouse_x"], res["win_mouse_cur"] = [], []
        res["win_mouse_hook"] = []
        for i, (px, py) in enumerate(points(MOUSE_N + 3)):
            helper.drain()
            helper.send(f"cursor {px} {py}")
            helper.expect("armed", 10)
            t0 = time.monotonic()
            c.position(px, py, 0)
            tx = xp.wait((px, py))
            cur = helper.expect("cur", 12)
            if i < 3:
                continue
            if tx:
                res["win_mouse_x"].append(tx - t0)
            elif not res.get("win_mouse_x_said"):
                res["win_mouse_x_said"] = True
                say(f"windows mouse: X pointer at {xp.pos()}, not "
                    f"{(px, py)}")
            if cur and cur[1][1] != "-1":
                res["win_mouse_cur"].append(cur[0] - t0)
        hooked = Helper(env, x.display, exe, ["hook"])
        try:
            for i, (px, py) in enumerate(points(MOUSE_N + 3)[::-1]):
                hooked.drain()
                hooked.send(f"cursor {px} {py}")
                hooked.expect("armed", 10)
                t0 = time.monotonic()
                c.position(px, py, 0)
                seen = hooked.collect(("cur", "hook"), 12)
                # warm-up: wine calls a fresh hook with a timeout
                if i >= 3 and "hook" in seen:
                    res["win_mouse_hook"].append(seen["hook"][0] - t0)
        finally:
            hooked.stop()

    try:
        sc.Client(x.spice_port).run(steps)
    finally:
        alive = agent.alive()
        agent.stop()
        if not alive:
            say("vdagent.exe died:\n" + agent.logtext()[-2000:])
        bridge.close()
        helper.stop()
        x.stop()
        env.close()
        shutil.rmtree(tmp, ignore_errors=True)


def wine_alone(x, env, exe, helper, text, textfile, res):
    """The same operations with no agent: wine's own costs."""
    ok = variants(text)
    # X -> wine: another X client owns the text, the helper reads it
    res["wine_x2w"] = []
    for i in range(RUNS):
        # wine notices a new X owner by itself, at its own pace: read until
        # the small text, then the big one, is what the helper gets (the
        # first read that gets the big text is the one timed)
        xclip_in(x, b"y%d" % i)
        vt.wait_for(lambda: (helper.get() or (0, 0))[1] == 2, 30, 0.2)
        xclip_in(x, text)
        r = None
        for _ in range(60):
            r = helper.get()
            if r and r[3] in ok:
                break
            time.sleep(0.1)
        if r and r[3] in ok:
            res["wine_x2w"].append(r[0])
        else:
            say(f"wine X->app: wrong data {r}")
        say(f"wine X->app run {i + 1}: {r and r[0]:.3f} s")
    # wine -> X: the helper's text read by xclip
    res["wine_w2x"] = []
    for i in range(RUNS):
        helper.set(winpath(textfile))
        time.sleep(0.5)  # wine's clipboard manager takes the X selection
        t0 = time.monotonic()
        out = wt.xclip_out(x, timeout=300)
        dt = time.monotonic() - t0
        if out in (text, text.replace(b"\n", b"\r\n")):
            res["wine_w2x"].append(dt)
        else:
            say(f"wine app->X: wrong data ({len(out)} bytes)")
        say(f"wine app->X run {i + 1}: {dt:.3f} s")
    # wine -> wine: a second helper reads the first one's text
    res["wine_w2w"], res["wine_set"] = [], []
    other = Helper(env, x.display, exe)
    try:
        for i in range(RUNS):
            st = helper.set(winpath(textfile))
            if st is not None:
                res["wine_set"].append(st)
            r = other.get()
            if r and r[3] in ok:
                res["wine_w2w"].append(r[0])
            else:
                say(f"wine app->app: wrong data {r}")
            say(f"wine app->app run {i + 1}: {r and r[0]:.3f} s")
    finally:
        other.stop()
    # the agent starts on an empty clipboard (with the helper's 50 MB
    # still there, the client's grabs did not reach the app in one run)
    helper.send("empty")
    helper.expect("empty", 30)
    # SendInput -> X pointer, and the pipe to a wine process
    xp = XPointer(x.display)
    res["wine_sendinput"], res["wine_ping"] = [], []
    try:
        for i, (px, py) in enumerate(points(MOUSE_N + 3)):
            helper.drain()
            t0 = helper.send(f"send {px} {py}")
            tx = xp.wait((px, py))
            helper.expect("sent", 10)
            if i >= 3 and tx:
                res["wine_sendinput"].append(tx - t0)
            t0 = helper.send("ping")
            p = helper.expect("pong", 10)
            if i >= 3 and p:
                res["wine_ping"].append(p[0] - t0)
    finally:
        xp.close()


def bridge_alone(text, res):
    """The test harness's TCP<->unix bridge carrying the text, nothing else."""
    tmp = tempfile.mkdtemp(prefix="vdagent-bench-bridge-")
    path = os.path.join(tmp, "s")
    lst = socket.socket(socket.AF_UNIX)
    lst.bind(path)
    lst.listen(1)
    bridge = wt.Bridge(path)
    res["bridge"] = []
    try:
        for _ in range(RUNS):
            tcp = socket.create_connection(("127.0.0.1", bridge.port))
            unix, _ = lst.accept()
            got = [0]

            def sink():
                while got[0] < len(text):
                    b = unix.recv(1 << 20)
                    if not b:
                        return
                    got[0] += len(b)
            th = threading.Thread(target=sink)
            t0 = time.monotonic()
            th.start()
            tcp.sendall(text)
            th.join(120)
            dt = time.monotonic() - t0
            if got[0] == len(text):
                res["bridge"].append(dt)
            tcp.close()
            unix.close()
            vt.wait_for(lambda: bridge.current is None, 10)
    finally:
        bridge.close()
        lst.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ---- the Linux pair --------------------------------------------------------

def run_linux(text, half, res):
    daemon_bin, agent_bin = LINUX
    tmp = tempfile.mkdtemp(prefix="vdagent-bench-linux-")
    virtio, uinput = os.path.join(tmp, "virtio"), os.path.join(tmp, "uinput")
    sock = os.path.join(tmp, "sock")
    x = vt.start_xspice(tmp, extra=f'''    Option "SpiceVdagentEnabled" "True"
    Option "SpiceAgentMouse" "True"
    Option "SpiceVdagentVirtioPath" "{virtio}"
    Option "SpiceVdagentUinputPath" "{uinput}"''')
    if x is None:
        raise RuntimeError("cannot start Xspice")
    logs = [open(os.path.join(tmp, n + ".log"), "w") for n in ("d", "a")]
    d = subprocess.Popen([daemon_bin, "-x", "-f", "-X", "-s", virtio, "-u",
                          uinput, "-S", sock], stdout=logs[0],
                         stderr=subprocess.STDOUT)
    vt.wait_for(lambda: os.path.exists(sock), 20)
    a = subprocess.Popen([agent_bin, "-x", "-S", sock, "-s", virtio],
                         stdout=logs[1], stderr=subprocess.STDOUT, env=x.env)
    crlf = text.replace(b"\n", b"\r\n")

    def steps(c):
        c.events = TimedQueue()
        if not vt.wait_for(c.agent_connected, 60):
            say("linux: the agent did not connect")
            return
        vt.wait_for(lambda: c.mouse_mode() == 2, 30)
        res["lin_c2w"] = []
        for i in range(RUNS):
            small = b"x%d" % i
            c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: small})
            vt.wait_for(lambda: xclip_out(x, timeout=10) == small, 30)
            c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text})
            # the agent owns the selection again once TARGETS changes hands;
            # a second small read would spoil nothing, but the big grab has
            # to have arrived: wait for its own TARGETS answer
            time.sleep(0.3)
            vt.wait_for(lambda: b"UTF8_STRING" in xclip_out(
                x, "TARGETS", 10), 20)
            c.events.last_request = None
            t0 = time.monotonic()
            out = xclip_out(x)
            dt = time.monotonic() - t0
            if out == text:
                res["lin_c2w"].append(dt)
                if c.events.last_request:
                    res.setdefault("lin_c2w_req", []).append(
                        c.events.last_request - t0)
            else:
                say(f"linux c2g: wrong data ({len(out)} bytes)")
            say(f"linux client->app run {i + 1}: {dt:.3f} s")
        for key, data in (("lin_w2c", text), ("lin_w2c_half", half[0])):
            res[key] = []
            for i in range(RUNS):
                one_w2c(c, key, data, i)
        xp = XPointer(x.display)
        res["lin_mouse_x"] = []
        try:
            for i, (px, py) in enumerate(points(MOUSE_N + 3)):
                t0 = time.monotonic()
                c.position(px, py, 0)
                tx = xp.wait((px, py))
                if i >= 3 and tx:
                    res["lin_mouse_x"].append(tx - t0)
        finally:
            xp.close()

    def one_w2c(c, key, text, i):
        crlf = text.replace(b"\n", b"\r\n")
        drain_events(c)
        xclip_in(x, text)
        if not c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD,
                            60):
            say("linux w2c: no grab")
            return
        while c.wait_event("grab", timeout=0.5):
            pass
        t0 = time.monotonic()
        c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
        ev = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD, 300)
        dt = time.monotonic() - t0
        if ev and ev[3] in (text, crlf):
            res[key].append(dt)
        else:
            say(f"linux w2c: wrong data ({ev and len(ev[3])} bytes)")
        say(f"linux app->client {len(text) >> 20} MB run {i + 1}: "
            f"{dt:.3f} s")

    try:
        sc.Client(x.spice_port).run(steps)
    finally:
        for p in (a, d):
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs:
            f.close()
        x.stop()
        shutil.rmtree(tmp, ignore_errors=True)


# ---- report ----------------------------------------------------------------

def med(v):
    return statistics.median(v) if v else None


def fmt(v):
    if v is None:
        return "failed"
    return f"{v * 1000:9.1f} ms" if v < 100 else f"{v:9.2f} s"


def runs(v):
    return " ".join(f"{t * 1000:.1f}" for t in v) if v else "-"


def report(res):
    mb = SIZE >> 20
    print()
    print(f"{'':44} {'windows':>12} {'linux':>12}  ratio w/l")
    rows = (("win_c2w", "lin_c2w", f"clipboard {mb} MB client->app"),
            ("win_c2w_req", "lin_c2w_req",
             "  of which: paste -> client asked"),
            ("win_w2c", "lin_w2c", f"clipboard {mb} MB app->client"),
            ("win_w2c_half", "lin_w2c_half",
             f"clipboard {mb // 2} MB app->client"),
            ("win_mouse_x", "lin_mouse_x", "mouse position -> X pointer"),
            ("win_mouse_cur", None, "mouse position -> GetCursorPos"),
            ("win_mouse_hook", None, "mouse position -> LL hook (2nd pass)"))
    for w, lx, what in rows:
        a, b = med(res.get(w)), med(res.get(lx)) if lx else None
        ratio = f"{a / b:.2f}" if a and b else ""
        print(f"{what:44} {fmt(a):>12} {(fmt(b) if lx else ''):>12}  {ratio}")
    print(f"wine alone (no agent) / harness:")
    for k, what in (("wine_x2w", f"{mb} MB X client -> app (wine X import)"),
                    ("wine_w2x", f"{mb} MB app -> xclip -o (wine X export)"),
                    ("wine_w2w", f"{mb} MB app -> app (wine's clipboard)"),
                    ("wine_set", f"{mb} MB SetClipboardData by the app"),
                    ("wine_sendinput", "SendInput -> X pointer"),
                    ("wine_ping", "pipe round trip to a wine process"),
                    ("bridge", f"{mb} MB through the TCP<->unix bridge")):
        print(f"  {what:42} {fmt(med(res.get(k))):>12}")
    if res.get("win_c2w_lost_grabs"):
        print(f"client grabs that did not reach the Windows app in 15 s "
              f"(sent again): {res['win_c2w_lost_grabs']}")
    print("forms received: client->app " +
          "/".join(sorted(res.get("win_c2w_form", ()))) + ", app->client " +
          "/".join(sorted(res.get("win_w2c_form", ()))))
    print("every run (ms):")
    for k in ("win_c2w", "lin_c2w", "win_c2w_req", "lin_c2w_req",
              "win_w2c", "lin_w2c", "win_w2c_half",
              "lin_w2c_half", "wine_x2w",
              "wine_w2x", "wine_w2w", "bridge"):
        print(f"  {k:14} {runs(res.get(k))}")
    print("CPU seconds during each transfer (median; xorg is Xspice with "
          "spice-server, python the client and the bridge):")
    for t in ("win_c2w", "win_w2c", "win_w2c_half"):
        parts = [f"{k} {med(res[f'{t}_cpu_{k}']):.2f}"
                 for k in ("agent", "wineserver", "helper", "xorg",
                           "python")
                 if res.get(f"{t}_cpu_{k}")]
        if parts:
            print(f"  {t:14} " + ", ".join(parts))
    for k in ("win_mouse_x", "win_mouse_cur", "win_mouse_hook", "lin_mouse_x",
              "wine_sendinput", "wine_ping"):
        v = sorted(res.get(k) or [])
        if v:
            print(f"  {k:14} n={len(v)} min {v[0] * 1000:.2f} median "
                  f"{med(v) * 1000:.2f} p90 {v[int(len(v) * 0.9)] * 1000:.2f}")
    if not res.get("win_w2c") and res.get("win_w2c_half"):
        units = len(bench_text(SIZE).decode().encode("utf-16-le"))
        print(f"app->client {mb} MB under wine: the agent answered with no "
              f"data; its CF_UNICODETEXT is {units / 2**20:.1f} MiB, over "
              "the agent's 64 MiB read cap (READ_MAX in "
              "windows/vdagent/clipboard.c)")
    c2w, w2w = med(res.get("win_c2w")), med(res.get("wine_w2w"))
    w2c = med(res.get("win_w2c"))
    br = med(res.get("bridge"))
    if c2w and w2w:
        print(f"share of client->app that wine's own app->app transfer "
              f"takes: {w2w / c2w:.2f}")
    if w2c and br:
        print(f"share of app->client that the harness bridge takes: "
              f"{br / w2c:.2f}")
    mx, si = med(res.get("win_mouse_x")), med(res.get("wine_sendinput"))
    if mx and si:
        print(f"share of mouse -> X pointer that wine's SendInput -> X "
              f"takes: {si / mx:.2f}")


def main():
    wt_ready = os.access(wt.WINE, os.X_OK) and os.path.exists(wt.agent_exe())
    if not wt_ready:
        print(f"bench-windows: no wine or no {wt.agent_exe()} "
              "(set WIN_BUILDDIR): skipped")
        return 0
    print(f"# windows agent {wt.agent_exe()}; linux pair {' '.join(LINUX)}")
    print(f"# {SIZE >> 20} MB x {RUNS} runs, {MOUSE_N} mouse samples; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    res = {}
    tmp = tempfile.mkdtemp(prefix="vdagent-bench-wtext-")
    try:
        exe = build_helper(tmp)
        text = bench_text(SIZE)
        half = (bench_text(SIZE // 2), os.path.join(tmp, "half.txt"))
        with open(half[1], "wb") as f:
            f.write(half[0])
        textfile = os.path.join(tmp, "text.txt")
        with open(textfile, "wb") as f:
            f.write(text)
        only = os.environ.get("BENCH_ONLY", "")
        if only != "linux":
            try:
                run_windows(exe, text, textfile, half, res)
            except Exception as e:
                say(f"windows run failed: {e!r}")
            bridge_alone(text, res)
        if only != "windows":
            try:
                run_linux(text, half, res)
            except Exception as e:
                say(f"linux run failed: {e!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
