# SPDX-License-Identifier: MIT
"""Test peers for vdagentd: a fake SPICE server on the port (a unix socket
the daemon connects to) and a small session agent speaking the IPC of
protocol/vdp-ipc.h.  Every wait has a deadline and wakes on the event
(socket readable, process exit); there are no fixed sleeps."""

import os
import select
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
from tap import Tap  # noqa: E402,F401  (the tests use it through this module)


TIMEOUT = 20.0

# ---- agent protocol ---------------------------------------------------------

MOUSE_STATE, MONITORS_CONFIG, REPLY, CLIPBOARD, DISPLAY_CONFIG, \
    ANNOUNCE_CAPABILITIES, CLIPBOARD_GRAB, CLIPBOARD_REQUEST, \
    CLIPBOARD_RELEASE, FILE_XFER_START, FILE_XFER_STATUS, FILE_XFER_DATA, \
    CLIENT_DISCONNECTED, MAX_CLIPBOARD, AUDIO_VOLUME_SYNC, \
    GRAPHICS_DEVICE_INFO = range(1, 17)

CAP_MOUSE_STATE, CAP_MONITORS_CONFIG, CAP_REPLY, CAP_CLIPBOARD, \
    CAP_DISPLAY_CONFIG, CAP_CLIPBOARD_BY_DEMAND, CAP_CLIPBOARD_SELECTION, \
    CAP_SPARSE_MONITORS_CONFIG, CAP_GUEST_LINEEND_LF, CAP_GUEST_LINEEND_CRLF, \
    CAP_MAX_CLIPBOARD, CAP_AUDIO_VOLUME_SYNC, CAP_MONITORS_CONFIG_POSITION, \
    CAP_FILE_XFER_DISABLED, CAP_FILE_XFER_DETAILED_ERRORS, \
    CAP_GRAPHICS_DEVICE_INFO, CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB, \
    CAP_CLIPBOARD_GRAB_SERIAL = range(18)

# what a current spice-gtk client announces
CLIENT_CAPS = [CAP_MOUSE_STATE, CAP_MONITORS_CONFIG, CAP_REPLY,
               CAP_CLIPBOARD_BY_DEMAND, CAP_CLIPBOARD_SELECTION,
               CAP_SPARSE_MONITORS_CONFIG, CAP_GUEST_LINEEND_LF,
               CAP_MAX_CLIPBOARD, CAP_MONITORS_CONFIG_POSITION,
               CAP_FILE_XFER_DETAILED_ERRORS, CAP_GRAPHICS_DEVICE_INFO,
               CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB,
               CAP_CLIPBOARD_GRAB_SERIAL]

XFER_CAN_SEND_DATA, XFER_CANCELLED, XFER_ERROR, XFER_SUCCESS, \
    XFER_NOT_ENOUGH_SPACE, XFER_SESSION_LOCKED, XFER_VDAGENT_NOT_CONNECTED, \
    XFER_DISABLED = range(8)


def caps_words(caps):
    w = 0
    for c in caps:
        w |= 1 << c
    return [w]


def caps_from_words(words):
    return {i for i in range(32 * len(words)) if words[i // 32] >> (i % 32) & 1}


def announce(request, caps=CLIENT_CAPS):
    return struct.pack("<I", request) + b"".join(
        struct.pack("<I", w) for w in caps_words(caps))


def message(mtype, data, protocol=1):
    return struct.pack("<IIQI", protocol, mtype, 0, len(data)) + data


def chunks(msg, port=1, size=2048):
    out = b""
    for i in range(0, len(msg), size):
        part = msg[i:i + size]
        out += struct.pack("<II", port, len(part)) + part
    return out


def monitors_config(mons, flags=0, mm=None):
    out = struct.pack("<II", len(mons), flags)
    for (w, h, x, y) in mons:
        out += struct.pack("<IIIii", h, w, 32, x, y)
    if mm is not None:
        for (wmm, hmm) in mm:
            out += struct.pack("<HH", hmm, wmm)
    return out


def spice_gtk_monitors():
    """The Debian 12 spice-gtk message: flags=3, 16 entries, sparse."""
    mons = [(1024, 768, 0, 0)] + [(0, 0, 0, 0)] * 15
    return monitors_config(mons, flags=3, mm=[(270, 203)] + [(0, 0)] * 15)


def sel_prefix(sel):
    return struct.pack("<B3x", sel)


class MessagePeer:
    """A socket whose bytes _parse() turns into (type, payload) in msgs."""

    label = "peer"
    default_skip = ()  # types expect() drops unless told otherwise
    buf = b""
    eof = False

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.sock], [], [], left)
        if not r:
            return False
        try:
            data = self.sock.recv(1 << 20)
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        self._parse()
        return True

    def expect(self, mtype, timeout=TIMEOUT, skip=None):
        """Next message of mtype (other types in skip are dropped)."""
        skip = self.default_skip if skip is None else skip
        deadline = time.monotonic() + timeout
        while True:
            while self.msgs:
                t, d = self.msgs.pop(0)
                if t == mtype:
                    return d
                if t not in skip:
                    raise AssertionError(f"{self.label}: got type {t} "
                                         f"({d[:32]!r}), want {mtype}")
            if not self._fill(deadline):
                raise AssertionError(f"{self.label}: no message of type "
                                     f"{mtype} ({'EOF' if self.eof else 'timeout'})")

    def wait_eof(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while not self.eof:
            if not self._fill(deadline) and not self.eof:
                return False
        return True


class PortPeer(MessagePeer):
    """One port connection as the SPICE server sees it."""

    label = "port"

    def __init__(self, conn):
        self.sock = conn
        self.buf = b""
        self.partial = {}
        self.msgs = []
        self.eof = False
        self.server_chunks = 0  # to the server port: spice-server drops them

    def send(self, raw):
        self.sock.sendall(raw)

    def send_msg(self, mtype, data, port=1):
        self.send(chunks(message(mtype, data), port))

    def _parse(self):
        while len(self.buf) >= 8:
            port, size = struct.unpack_from("<II", self.buf)
            if len(self.buf) < 8 + size:
                return
            body = self.buf[8:8 + size]
            self.buf = self.buf[8 + size:]
            if port == 2:
                self.server_chunks += 1
                continue
            acc = self.partial.get(port, b"") + body
            while len(acc) >= 20:
                proto, mtype, _opaque, msize = struct.unpack_from("<IIQI", acc)
                if len(acc) < 20 + msize:
                    break
                self.msgs.append((mtype, acc[20:20 + msize]))
                acc = acc[20 + msize:]
            self.partial[port] = acc

    def wait_server_chunk(self, timeout=TIMEOUT):
        """Whether a chunk for the server port arrived (within timeout)."""
        deadline = time.monotonic() + timeout
        while not self.server_chunks:
            if not self._fill(deadline):
                return False
        return True

    def handshake(self, caps=CLIENT_CAPS):
        """Read the daemon's announce (request=1) and answer it like a
        client; returns the daemon's capability set."""
        d = self.expect(ANNOUNCE_CAPABILITIES)
        req = struct.unpack_from("<I", d)[0]
        if req != 1:
            raise AssertionError("daemon announce without request")
        words = struct.unpack_from(f"<{(len(d) - 4) // 4}I", d, 4)
        self.send_msg(ANNOUNCE_CAPABILITIES, announce(1, caps))
        d2 = self.expect(ANNOUNCE_CAPABILITIES)
        if struct.unpack_from("<I", d2)[0] != 0:
            raise AssertionError("answer to our announce has request set")
        return caps_from_words(list(words))

    def close(self):
        self.sock.close()


class FdSocket:
    """A character device end (a pty master) with the socket calls
    PortPeer uses."""

    def __init__(self, fd):
        self.fd = fd

    def fileno(self):
        return self.fd

    def recv(self, n):
        try:
            return os.read(self.fd, n)
        except OSError:
            return b""

    def sendall(self, data):
        while data:
            data = data[os.write(self.fd, data):]

    def close(self):
        os.close(self.fd)


class FakeServer:
    """The SPICE server side of the port: a unix socket the daemon
    connects to, like Xspice's."""

    def __init__(self, path):
        self.path = path
        self.lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.lsock.bind(path)
        self.lsock.listen(4)

    def accept(self, timeout=TIMEOUT):
        r, _, _ = select.select([self.lsock], [], [], timeout)
        if not r:
            raise AssertionError("the daemon did not connect to the port")
        conn, _ = self.lsock.accept()
        return PortPeer(conn)

    def close(self):
        self.lsock.close()

# ---- IPC --------------------------------------------------------------------

IPC_HELLO, IPC_SCREEN_LAYOUT, IPC_MONITORS_CONFIG, IPC_GRAPHICS_DEVICE_INFO, \
    IPC_AUDIO_VOLUME_SYNC, IPC_CLIENT_CAPS, IPC_CLIPBOARD_GRAB, \
    IPC_CLIPBOARD_REQUEST, IPC_CLIPBOARD_DATA, IPC_CLIPBOARD_RELEASE, \
    IPC_FILE_XFER_START, IPC_FILE_XFER_DATA, IPC_FILE_XFER_STATUS, \
    IPC_CLIENT_DISCONNECTED, IPC_MONITORS_RESULT = range(1, 16)
IPC_VERSION = 1
IPC_HELLO_FILE_XFER_DISABLED, IPC_HELLO_MONITORS_RESULT = 1, 2
REPLY_SUCCESS, REPLY_ERROR = 1, 2


def ipc(mtype, data=b""):
    return struct.pack("<II", mtype, len(data)) + data


class Agent(MessagePeer):
    """A minimal session agent."""

    label = "agent"
    default_skip = (IPC_CLIENT_CAPS,)

    def __init__(self, path, timeout=TIMEOUT):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                # the daemon creates its socket at start: wait for it
                time.sleep(0.02)
        self.buf = b""
        self.msgs = []
        self.eof = False

    def send(self, mtype, data=b""):
        self.sock.sendall(ipc(mtype, data))

    def hello(self, flags=0, text=b"test agent"):
        self.send(IPC_HELLO, struct.pack("<II", IPC_VERSION, flags) + text)
        d = self.expect(IPC_HELLO)
        self.daemon_flags = struct.unpack_from("<I", d, 4)[0]
        return struct.unpack_from("<II", d)

    def monitors_result(self, serial, result):
        self.send(IPC_MONITORS_RESULT, struct.pack("<II", serial, result))

    def layout(self, displays, width=None, height=None):
        if width is None:
            width = max(x + w for (_i, x, _y, w, _h) in displays)
            height = max(y + h for (_i, _x, y, _w, h) in displays)
        out = struct.pack("<III", width, height, len(displays))
        for (i, x, y, w, h) in displays:
            out += struct.pack("<IiiII", i, x, y, w, h)
        self.send(IPC_SCREEN_LAYOUT, out)

    def _parse(self):
        while len(self.buf) >= 8:
            t, size = struct.unpack_from("<II", self.buf)
            if len(self.buf) < 8 + size:
                return
            self.msgs.append((t, self.buf[8:8 + size]))
            self.buf = self.buf[8 + size:]

    def pending(self):
        """Messages already sent to us, without waiting."""
        while True:
            r, _, _ = select.select([self.sock], [], [], 0)
            if not r:
                break
            data = self.sock.recv(1 << 20)
            if not data:
                self.eof = True
                break
            self.buf += data
            self._parse()
        out, self.msgs = self.msgs, []
        return out

    def close(self):
        self.sock.close()

# ---- the daemon -------------------------------------------------------------

def builddir():
    return os.environ.get("top_builddir") or os.getcwd()


def daemon_binary():
    return os.path.join(builddir(), "vdagentd", "vdagentd")


class Daemon:
    def __init__(self, tmpdir, name, extra=(), uinput=None, sessions=False,
                 env=None, port_path=None):
        self.port_path = port_path or os.path.join(tmpdir, name + "-port")
        self.ipc_path = os.path.join(tmpdir, name + "-ipc", "socket")
        self.uinput = uinput or os.path.join(tmpdir, name + "-uinput")
        if not os.path.exists(self.uinput):
            open(self.uinput, "wb").close()
        self.log_path = os.path.join(tmpdir, name + ".log")
        self.server = None if port_path else FakeServer(self.port_path)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [daemon_binary(), "-x", "-d", "-d", "-f",
             *([] if sessions else ["-X"]),
             "-s", self.port_path, "-u", self.uinput, "-S", self.ipc_path,
             *extra],
            stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(os.environ, **(env or {})))

    def alive(self):
        return self.proc.poll() is None

    def agent(self, hello=True, layout=True, flags=0):
        a = Agent(self.ipc_path)
        if hello:
            a.hello(flags=flags)
        if layout:
            a.layout([(0, 0, 0, 1024, 768)])
        return a

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        rc = self.proc.poll()
        if rc is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        if self.server:
            self.server.close()
        self.log.close()
        return rc


def logind_daemon(tmpdir, name):
    """(FakeLogind, Daemon using it), or (None, None) without dbus-daemon."""
    import shutil
    if not shutil.which("dbus-daemon"):
        return None, None
    logind = FakeLogind(tmpdir)
    return logind, Daemon(tmpdir, name, sessions=True,
                          env={"DBUS_SYSTEM_BUS_ADDRESS": logind.address})


def attach(d, agent=None):
    """Agent with a layout connected: the daemon attaches to the port.
    Returns (agent, port peer, the daemon's capabilities)."""
    a = agent or d.agent()
    peer = d.server.accept()
    caps = peer.handshake()
    a.expect(IPC_CLIENT_CAPS, skip=())
    return a, peer, caps


def case_runner(tap):
    """A decorator running one scenario; an exception is one failed test
    point."""
    import traceback

    def case(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            tap.ok(False, f"{fn.__name__}: {e}")
            tap.diag(traceback.format_exc())
        return fn
    return case


def read_line(f, timeout=TIMEOUT):
    r, _, _ = select.select([f], [], [], timeout)
    if not r:
        raise AssertionError("no line in time")
    return f.readline().decode().strip()


class FakeLogind:
    """A private bus with tests/daemon/fake-logind.py on it."""

    def __init__(self, tmpdir):
        self.bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1",
             "--address=unix:path=" + os.path.join(tmpdir, "system_bus")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.address = read_line(self.bus.stdout)
        here = os.path.dirname(os.path.abspath(__file__))
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(here, "fake-logind.py"),
             self.address], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if read_line(self.proc.stdout) != "ready":
            raise AssertionError("fake logind did not start")

    def command(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        if read_line(self.proc.stdout) != "done":
            raise AssertionError("fake logind did not answer")

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(TIMEOUT)
        self.bus.terminate()
        self.bus.wait(TIMEOUT)
