# SPDX-License-Identifier: MIT
"""Helpers for the agent tests: X servers, a fake vdagentd speaking the
daemon<->agent IPC (protocol/vdp-ipc.h), and the agent process.

Everything waits on events (sockets, X server readiness through -displayfd,
process exit) with a deadline, never on fixed sleeps."""

import atexit
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
from tap import Tap  # noqa: E402,F401  (the tests use it through this module)


def builddir():
    return os.environ.get("top_builddir") or os.getcwd()


def agent_binary():
    return os.path.join(builddir(), "vdagent", "vdagent")


def wait_for(pred, timeout=10.0, interval=0.02):
    """Poll a cheap predicate (for state only visible by asking, e.g.
    the X server's selection owner)."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            return v
        time.sleep(interval)

# ---- X servers ---------------------------------------------------------------

DUMMY_CONF = """
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoAddGPU" "false"
  Option "AutoEnableDevices" "false"
EndSection
Section "Device"
  Identifier "dev0"
  Driver "dummy"
  VideoRam 256000
EndSection
Section "Monitor"
  Identifier "mon0"
  HorizSync 5.0-1000.0
  VertRefresh 5.0-200.0
EndSection
Section "Screen"
  Identifier "scr0"
  Device "dev0"
  Monitor "mon0"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual 4096 2160
  EndSubSection
EndSection
"""


class XServer:
    """Start an X server and learn its display number through -displayfd."""

    def __init__(self, argv, tmpdir, timeout=20.0):
        r, w = os.pipe()
        self.log = open(os.path.join(tmpdir, "x.log"), "w")
        self.proc = subprocess.Popen(argv + ["-displayfd", str(w)],
                                     pass_fds=(w,), stdout=self.log,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        os.close(w)
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([r], [], [], left)[0]:
                break
            chunk = os.read(r, 64)
            if not chunk:
                break
            data += chunk
        os.close(r)
        if not data.strip():
            self.stop()
            raise RuntimeError("X server did not start: " + " ".join(argv))
        self.display = ":" + data.decode().strip()
        self.env = dict(os.environ, DISPLAY=self.display)

    def run(self, *argv, input=None, timeout=20):
        return subprocess.run(list(argv), env=self.env, input=input,
                              capture_output=True, timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def start_xorg_dummy(tmpdir):
    if not shutil.which("Xorg") or not os.path.exists(
            "/usr/lib/xorg/modules/drivers/dummy_drv.so"):
        return None
    conf = os.path.join(tmpdir, "xorg-dummy.conf")
    with open(conf, "w") as f:
        f.write(DUMMY_CONF)
    return XServer(["Xorg", "-config", conf, "-noreset", "-nolisten", "tcp",
                    "-logfile", os.path.join(tmpdir, "Xorg.log")], tmpdir)


XSPICE_CONF = """
Section "Device"
    Identifier "XSPICE"
    Driver "spiceqxl"
    Option "SpicePort" "@PORT@"
    Option "SpiceAddr" "127.0.0.1"
    Option "SpiceDisableTicketing" "True"
    Option "FrameBufferSize" "16"
    Option "SurfaceBufferSize" "64"
    Option "CommandBufferSize" "128"
    Option "NumHeads" "4"
@EXTRA@
EndSection
Section "InputDevice"
    Identifier "XSPICE POINTER"
    Driver     "xspice pointer"
EndSection
Section "InputDevice"
    Identifier "XSPICE KEYBOARD"
    Driver     "xspice keyboard"
EndSection
Section "Monitor"
    Identifier "Configured Monitor"
EndSection
Section "Screen"
    Identifier "XSPICE Screen"
    Monitor "Configured Monitor"
    Device "XSPICE"
    DefaultDepth 24
EndSection
Section "ServerLayout"
    Identifier "XSPICE Example"
    Screen "XSPICE Screen"
    InputDevice "XSPICE KEYBOARD"
    InputDevice "XSPICE POINTER"
EndSection
Section "ServerFlags"
    Option "AutoAddDevices" "False"
EndSection
"""


def free_tcp_port():
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def start_xspice(tmpdir, port=None, extra=""):
    """Xorg with the spiceqxl driver (package xserver-xspice); extra:
    more Device options, e.g. the SpiceVdagent* ones."""
    if not shutil.which("Xorg") or not os.path.exists(
            "/usr/lib/xorg/modules/drivers/spiceqxl_drv.so"):
        return None
    port = port or free_tcp_port()
    conf = os.path.join(tmpdir, "xspice.conf")
    with open(conf, "w") as f:
        f.write(XSPICE_CONF.replace("@PORT@", str(port))
                .replace("@EXTRA@", extra))
    x = XServer(["Xorg", "-config", conf, "-noreset", "-nolisten", "tcp",
                 "-logfile", os.path.join(tmpdir, "Xspice.log")], tmpdir)
    x.spice_port = port
    return x


def start_xvfb(tmpdir):
    if not shutil.which("Xvfb"):
        return None
    return XServer(["Xvfb", "-screen", "0", "1280x1024x24", "-nolisten",
                    "tcp", "-noreset"], tmpdir)

# ---- the fake daemon -----------------------------------------------------------

HELLO, SCREEN_LAYOUT, MONITORS_CONFIG, GRAPHICS_DEVICE_INFO = 1, 2, 3, 4
AUDIO_VOLUME_SYNC, CLIENT_CAPS, CLIPBOARD_GRAB, CLIPBOARD_REQUEST = 5, 6, 7, 8
CLIPBOARD_DATA, CLIPBOARD_RELEASE, FILE_XFER_START, FILE_XFER_DATA = 9, 10, 11, 12
FILE_XFER_STATUS, CLIENT_DISCONNECTED, MONITORS_RESULT = 13, 14, 15
HELLO_MONITORS_RESULT = 2  # HELLO flag (vdp-ipc.h)
REPLY_SUCCESS, REPLY_ERROR = 1, 2

UTF8_TEXT, IMAGE_PNG, IMAGE_BMP, IMAGE_TIFF, IMAGE_JPG = 1, 2, 3, 4, 5
SEL_CLIPBOARD, SEL_PRIMARY = 0, 1

CAP_GUEST_LINEEND_LF, CAP_GUEST_LINEEND_CRLF = 8, 9


class Msg:
    def __init__(self, type, data):
        self.type = type
        self.data = data

    def u32(self, off):
        return struct.unpack_from("<I", self.data, off)[0]

    def layout(self):
        w, h, n = struct.unpack_from("<III", self.data, 0)
        disp = [struct.unpack_from("<IiiII", self.data, 12 + 20 * i)
                for i in range(n)]
        return (w, h, sorted(disp))

    def __repr__(self):
        return f"Msg({self.type}, {len(self.data)} bytes)"


class FakeDaemon:
    def __init__(self, path):
        self.path = path
        self.listener = None
        self.conn = None
        self.buf = b""
        self.skipped = []
        self.listen()

    def listen(self):
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(4)

    def accept(self, timeout=20.0):
        self.listener.settimeout(timeout)
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(None)
        self.buf = b""
        return self.conn

    def restart(self):
        """Drop the agent and the listening socket, as a dying daemon does,
        then listen again."""
        if self.conn:
            self.conn.close()
            self.conn = None
        self.listener.close()
        self.listen()

    def close(self):
        if self.conn:
            self.conn.close()
        self.listener.close()

    def send(self, type, payload=b""):
        self.conn.sendall(struct.pack("<II", type, len(payload)) + payload)

    def recv(self, timeout=20.0):
        """Next message, or None at the deadline / EOF."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 8:
                t, n = struct.unpack_from("<II", self.buf)
                if len(self.buf) >= 8 + n:
                    m = Msg(t, self.buf[8:8 + n])
                    self.buf = self.buf[8 + n:]
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if not select.select([self.conn], [], [], left)[0]:
                return None
            try:
                chunk = self.conn.recv(1 << 20)
            except ConnectionResetError:
                # the agent hung up with our bytes unread: that is EOF too
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk

    def expect(self, type, pred=None, timeout=20.0):
        """Skip other messages until one of type (matching pred) comes."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.recv(max(0.0, deadline - time.monotonic()))
            if m is None:
                return None
            if m.type == type and (pred is None or pred(m)):
                return m
            self.skipped.append(m)

    def take(self, type, pred=None, timeout=20.0):
        """Like expect, but a message expect skipped earlier counts."""
        for i, m in enumerate(self.skipped):
            if m.type == type and (pred is None or pred(m)):
                return self.skipped.pop(i)
        return self.expect(type, pred, timeout)

    def monitors_result(self, timeout=20.0):
        """(serial, result) of the next MONITORS_RESULT, or None."""
        m = self.take(MONITORS_RESULT, timeout=timeout)
        return struct.unpack("<II", m.data) if m else None

    # payload builders
    def hello(self, flags=HELLO_MONITORS_RESULT, text=b"test daemon"):
        self.send(HELLO, struct.pack("<II", 1, flags) + text)

    def monitors_config(self, mons, flags=1, mm=None):
        p = struct.pack("<II", len(mons), flags | (2 if mm else 0))
        for (w, h, x, y) in mons:
            p += struct.pack("<IIIii", h, w, 32, x, y)
        if mm:
            for (wmm, hmm) in mm:
                p += struct.pack("<HH", hmm, wmm)
        self.send(MONITORS_CONFIG, p)

    def client_caps(self, caps=(), max_clipboard=-1):
        word = 0
        for c in caps:
            word |= 1 << c
        self.send(CLIENT_CAPS, struct.pack("<iII", max_clipboard, 1, word))

    def grab(self, sel, types):
        self.send(CLIPBOARD_GRAB, struct.pack("<B3xI", sel, len(types)) +
                  b"".join(struct.pack("<I", t) for t in types))

    def request(self, sel, type):
        self.send(CLIPBOARD_REQUEST, struct.pack("<B3xI", sel, type))

    def data(self, sel, type, data):
        self.send(CLIPBOARD_DATA, struct.pack("<B3xI", sel, type) + data)

    def release(self, sel):
        self.send(CLIPBOARD_RELEASE, struct.pack("<B3x", sel))

    def xfer_start(self, id, name, size):
        esc = name.replace("\\", "\\\\").replace("\n", "\\n")
        text = f"[vdagent-file-xfer]\nname={esc}\nsize={size}\n"
        self.send(FILE_XFER_START, struct.pack("<I", id) + text.encode())

    def xfer_data(self, id, data):
        self.send(FILE_XFER_DATA, struct.pack("<I", id) + data)

    def xfer_status(self, id, result):
        self.send(FILE_XFER_STATUS, struct.pack("<II", id, result))

# ---- the agent ------------------------------------------------------------------


class Agent:
    def __init__(self, display, sock, tmpdir, extra=()):
        self.logpath = os.path.join(tmpdir, "vdagent.log")
        self.log = open(self.logpath, "w")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
        self.proc = subprocess.Popen(
            [agent_binary(), "-x", "-d", "-S", sock, "--display", display]
            + list(extra), stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait(self, timeout=20):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            if self.wait(20) is None:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def logtext(self):
        with open(self.logpath) as f:
            return f.read()


class Setup:
    """X server + fake daemon + agent in a temp dir, torn down in order."""

    STARTERS = {"dummy": start_xorg_dummy, "xvfb": start_xvfb,
                "xspice": start_xspice}

    def __init__(self, tap, server="dummy", agent_args=(), skip_all=True):
        self.tap = tap
        self.tmp = tempfile.mkdtemp(prefix="vdagent-test-")
        self.x = None
        self.daemon = None
        self.agent = None
        self.available = True
        try:
            self.x = self.STARTERS[server](self.tmp)
        except RuntimeError as e:
            self.x = None
            tap.diag(str(e))
        if self.x is None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if skip_all:
                tap.skip_all(f"cannot start an X server ({server})")
            tap.diag(f"cannot start an X server ({server}): skipped")
            self.available = False
            return
        # a test that dies half-way must not leave servers behind
        atexit.register(self._kill_leftovers)
        self.sock = os.path.join(self.tmp, "vdagentd.sock")
        self.daemon = FakeDaemon(self.sock)
        self.agent = Agent(self.x.display, self.sock, self.tmp, agent_args)
        self.daemon.accept()

    def _kill_leftovers(self):
        for p in (self.agent.proc if self.agent else None,
                  self.x.proc if self.x else None):
            if p and p.poll() is None:
                p.kill()
                p.wait()

    def finish(self):
        """Tear down; returns the TAP exit status."""
        self.teardown()
        return self.tap.done()

    def teardown(self):
        if self.agent:
            rc = self.agent.stop()
            # ASan/UBSan make the agent exit non-zero (abort_on_error)
            self.tap.eq(rc, 0, "the agent exited cleanly on SIGTERM")
            if rc != 0:
                self.tap.diag(self.agent.logtext()[-4000:])
        if self.daemon:
            self.daemon.close()
        if self.x:
            self.x.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
