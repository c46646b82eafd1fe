#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Record the agent port byte stream of a real SPICE session.

Real peers only: Xspice (spice-server inside Xorg) listens for the agent on
a unix socket; the reference spice-vdagentd connects to it through a tee
that this script puts in between; spice-vdagent runs in the Xspice
session; a real spice-gtk client (SpiceClientGLib through GI) connects and
drives a scripted session: monitors config, mouse, clipboard both ways,
a file transfer, then disconnects.

Both directions of the port are written byte for byte:
  PREFIX.agent-in.bin    what spice-server sent to the agent
  PREFIX.agent-out.bin   what the agent sent to spice-server

Needs root (Xorg), Debian 12 packages xserver-xspice, spice-vdagent,
python3-gi, gir1.2-spiceclientglib-2.0, xclip.  Run with Debian's python:
  /usr/bin/python3 tests/data/record-sample.py tests/data/xspice-session
"""

import argparse
import ctypes
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import gi

gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import Gio, GLib, GObject  # noqa: E402
from gi.repository import SpiceClientGLib as Spice  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "e2e"))
import vdatest as vt  # noqa: E402

# Agent protocol facts used to follow the session (see protocol/vdp-wire.h).
MSG = {
    "MOUSE_STATE": 1, "MONITORS_CONFIG": 2, "REPLY": 3, "CLIPBOARD": 4,
    "ANNOUNCE_CAPABILITIES": 6, "CLIPBOARD_GRAB": 7, "CLIPBOARD_REQUEST": 8,
    "CLIPBOARD_RELEASE": 9, "FILE_XFER_START": 10, "FILE_XFER_STATUS": 11,
    "FILE_XFER_DATA": 12, "CLIENT_DISCONNECTED": 13,
}
CAP_MONITORS_CONFIG = 1
SEL_CLIPBOARD, SEL_PRIMARY = 0, 1
TYPE_UTF8 = 1
MOUSE_MODE_CLIENT = 2
SPICE_BUTTON_LEFT, SPICE_BUTTON_UP = 1, 4
SPICE_MASK_LEFT = 1

IN, OUT = "in", "out"  # as seen from the agent

TIMEOUT = 20.0

CLIENT_TEXT = ("Hello from the spice-gtk client \u2713 \u00e9t\u00e9\n"
               + "".join("line %03d of a clipboard that spans several "
                         "2048-byte chunks\n" % i for i in range(60)))
GUEST_TEXT = "guest PRIMARY selection: tab\there, quote \" and \u00fc\n"
XFER_TEXT = "file transferred by spice-gtk into the guest\n" * 4


def log(fmt, *args):
    print("record: " + (fmt % args if args else fmt), file=sys.stderr,
          flush=True)


class StreamFollower:
    """Reassembles chunks into messages just far enough to wait on them."""

    def __init__(self):
        self.buf = b""
        self.partial = {}  # port -> bytes of the message so far

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 8:
            port, size = struct.unpack_from("<II", self.buf)
            if len(self.buf) < 8 + size:
                break
            chunk, self.buf = self.buf[8:8 + size], self.buf[8 + size:]
            msg = self.partial.get(port, b"") + chunk
            while len(msg) >= 20:
                _, mtype, _, msize = struct.unpack_from("<IIQI", msg)
                if len(msg) < 20 + msize:
                    break
                out.append((port, mtype, msg[20:20 + msize]))
                msg = msg[20 + msize:]
            self.partial[port] = msg
        return out


class Tee:
    """Listens where spice-vdagentd expects the port, connects to Xspice,
    copies both directions and writes each to its file."""

    def __init__(self, listen_path, target_path, prefix):
        self.target_path = target_path
        self.files = {IN: open(prefix + ".agent-in.bin", "wb"),
                      OUT: open(prefix + ".agent-out.bin", "wb")}
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(listen_path)
        self.srv.listen(1)
        self.cond = threading.Condition()
        self.seen = []  # (direction, port, type, payload)
        self.threads = []
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()

    def _accept(self):
        agent, _ = self.srv.accept()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.connect(self.target_path)
        log("tee: spice-vdagentd connected, linked to Xspice")
        for src, dst, d in ((server, agent, IN), (agent, server, OUT)):
            t = threading.Thread(target=self._pump, args=(src, dst, d),
                                 daemon=True)
            t.start()
            self.threads.append(t)

    def _pump(self, src, dst, direction):
        follower = StreamFollower()
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            self.files[direction].write(data)
            self.files[direction].flush()
            dst.sendall(data)
            msgs = follower.feed(data)
            if msgs:
                with self.cond:
                    for port, mtype, payload in msgs:
                        self.seen.append((direction, port, mtype, payload))
                    self.cond.notify_all()

    def mark(self):
        with self.cond:
            return len(self.seen)

    def wait_for(self, direction, name, since=0, pred=None, timeout=TIMEOUT):
        mtype = MSG[name]

        def find():
            for d, _, t, p in self.seen[since:]:
                if d == direction and t == mtype and (pred is None or pred(p)):
                    return p
            return None

        with self.cond:
            if not self.cond.wait_for(lambda: find() is not None, timeout):
                raise TimeoutError("no %s %s message" % (direction, name))
            return find()

    def close(self):
        for f in self.files.values():
            f.close()


def as_list(ptr, ctype, n):
    """A gpointer signal argument: GI may hand over a list or an address."""
    if isinstance(ptr, int):
        return list((ctype * n).from_address(ptr))
    return list(ptr)[:n]


class Client:
    """The spice-gtk client; every GLib call goes through the main loop."""

    def __init__(self, uri):
        self.session = Spice.Session()
        self.session.set_property("uri", uri)
        self.main = None
        self.inputs = None
        self.events = {k: threading.Event() for k in
                       ("agent", "client-mouse", "inputs", "guest-data")}
        self.guest_data = None
        self.client_text = CLIENT_TEXT.encode()
        GObject.Object.connect(self.session, "channel-new", self._channel_new)

    def _channel_new(self, session, channel):
        if isinstance(channel, Spice.MainChannel):
            self.main = channel
            for sig, cb in (
                    ("main-agent-update", self._agent_update),
                    ("main-mouse-update", self._mouse_update),
                    ("main-clipboard-selection-request", self._request),
                    ("main-clipboard-selection-grab", self._grab),
                    ("main-clipboard-selection", self._data)):
                GObject.Object.connect(channel, sig, cb)
        elif isinstance(channel, Spice.InputsChannel):
            self.inputs = channel
            GObject.Object.connect(channel, "channel-event", self._inputs_event)
        Spice.Channel.connect(channel)

    def _inputs_event(self, ch, event):
        log("client: inputs event %s", event)
        if event == Spice.ChannelEvent.OPENED:
            self.events["inputs"].set()

    def _agent_update(self, ch):
        if (ch.get_property("agent-connected")
                and ch.agent_test_capability(CAP_MONITORS_CONFIG)):
            self.events["agent"].set()

    def _mouse_update(self, ch):
        log("client: mouse mode %d", ch.get_property("mouse-mode"))
        if ch.get_property("mouse-mode") == MOUSE_MODE_CLIENT:
            self.events["client-mouse"].set()

    def _request(self, ch, selection, vtype):
        log("client: agent requests selection %d type %d", selection, vtype)
        if selection == SEL_CLIPBOARD and vtype == TYPE_UTF8:
            ch.clipboard_selection_notify(selection, vtype,
                                          list(self.client_text))
            return True
        return False

    def _grab(self, ch, selection, types_ptr, ntypes):
        types = as_list(types_ptr, ctypes.c_uint32, ntypes)
        log("client: agent grabs selection %d types %s", selection, types)
        if selection == SEL_PRIMARY and TYPE_UTF8 in types:
            GLib.idle_add(lambda: ch.clipboard_selection_request(
                selection, TYPE_UTF8) and False)
        return True

    def _data(self, ch, selection, vtype, data_ptr, size):
        self.guest_data = bytes(as_list(data_ptr, ctypes.c_uint8, size))
        log("client: got %d bytes for selection %d", size, selection)
        self.events["guest-data"].set()


def call(fn):
    """Run fn in the GLib main loop and return its result."""
    done = threading.Event()
    box = {}

    def run():
        try:
            box["result"] = fn()
        except Exception as e:  # noqa: BLE001 - handed back to the caller
            box["error"] = e
        done.set()
        return False

    GLib.idle_add(run)
    if not done.wait(TIMEOUT):
        raise TimeoutError("main loop did not run the call")
    if "error" in box:
        raise box["error"]
    return box.get("result")


def wait_event(ev, what):
    if not ev.wait(TIMEOUT):
        raise TimeoutError("client: " + what)


def scenario(tee, client, env, workdir):
    wait_event(client.events["agent"], "agent never connected")
    log("client: agent connected")

    # Monitors: one head with a physical size, then two side by side.
    # spice-gtk 0.42 sends 16 entries with flags=3; spice-vdagentd 0.22.1
    # drops that on a size check and never replies, so no REPLY is awaited.
    m = tee.mark()

    def one_head():
        client.main.update_display_enabled(0, True, False)
        client.main.update_display(0, 0, 0, 1024, 768, False)
        client.main.update_display_mm(0, 271, 203, False)
        return client.main.send_monitor_config()
    call(one_head)
    tee.wait_for(IN, "MONITORS_CONFIG", m)

    m = tee.mark()

    def two_heads():
        client.main.update_display_enabled(1, True, False)
        client.main.update_display(1, 1024, 0, 800, 600, False)
        client.main.update_display_mm(1, 211, 158, False)
        return client.main.send_monitor_config()
    call(two_heads)
    tee.wait_for(IN, "MONITORS_CONFIG", m)
    log("monitors config sent twice")

    # Mouse, in client mode only.
    wait_event(client.events["client-mouse"], "no client mouse mode")
    wait_event(client.events["inputs"], "inputs channel not open")
    m = tee.mark()
    call(lambda: client.inputs.position(100, 200, 0, 0))
    tee.wait_for(IN, "MOUSE_STATE", m,
                 lambda p: struct.unpack_from("<II", p) == (100, 200))
    m = tee.mark()
    call(lambda: client.inputs.button_press(SPICE_BUTTON_LEFT,
                                            SPICE_MASK_LEFT))
    tee.wait_for(IN, "MOUSE_STATE", m,
                 lambda p: struct.unpack_from("<I", p, 8)[0] != 0)
    m = tee.mark()
    call(lambda: client.inputs.button_release(SPICE_BUTTON_LEFT, 0))
    tee.wait_for(IN, "MOUSE_STATE", m,
                 lambda p: struct.unpack_from("<I", p, 8)[0] == 0)
    m = tee.mark()
    call(lambda: client.inputs.position(300, 150, 1, 0))
    tee.wait_for(IN, "MOUSE_STATE", m, lambda p: p[12] == 1)
    m = tee.mark()
    call(lambda: client.inputs.button_press(SPICE_BUTTON_UP, 0))
    call(lambda: client.inputs.button_release(SPICE_BUTTON_UP, 0))
    tee.wait_for(IN, "MOUSE_STATE", m,
                 lambda p: struct.unpack_from("<I", p, 8)[0] != 0)
    log("mouse states seen")

    # Client owns CLIPBOARD; an X client pastes it in the guest.
    m = tee.mark()
    call(lambda: client.main.clipboard_selection_grab(SEL_CLIPBOARD,
                                                      [TYPE_UTF8]))
    tee.wait_for(IN, "CLIPBOARD_GRAB", m)
    # The agent takes the X selection a moment after the grab reached it;
    # until then xclip finds no owner and fails.
    for _ in range(100):
        out = subprocess.run(["xclip", "-o", "-selection", "clipboard"],
                             env=env, capture_output=True, timeout=TIMEOUT)
        if out.returncode == 0:
            break
        time.sleep(0.1)
    if out.stdout != client.client_text:
        raise RuntimeError("guest pasted %r" % out.stdout[:80])
    tee.wait_for(IN, "CLIPBOARD", m)
    m = tee.mark()
    call(lambda: client.main.clipboard_selection_release(SEL_CLIPBOARD))
    tee.wait_for(IN, "CLIPBOARD_RELEASE", m)
    log("client -> guest clipboard pasted by xclip")

    # A guest X client owns PRIMARY; the client fetches it.
    m = tee.mark()
    xclip = subprocess.Popen(["xclip", "-i", "-selection", "primary",
                              "-quiet"], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    xclip.stdin.write(GUEST_TEXT.encode())
    xclip.stdin.close()
    tee.wait_for(OUT, "CLIPBOARD_GRAB", m)
    wait_event(client.events["guest-data"], "no PRIMARY data")
    if client.guest_data != GUEST_TEXT.encode():
        raise RuntimeError("client got %r" % client.guest_data)
    tee.wait_for(OUT, "CLIPBOARD", m)
    m = tee.mark()
    xclip.terminate()
    xclip.wait(TIMEOUT)
    tee.wait_for(OUT, "CLIPBOARD_RELEASE", m)
    log("guest -> client PRIMARY fetched")

    # File transfer into the guest.
    path = os.path.join(workdir, "hello.txt")
    with open(path, "w") as f:
        f.write(XFER_TEXT)
    m = tee.mark()
    call(lambda: client.main.file_copy_async(
        [Gio.File.new_for_path(path)], Gio.FileCopyFlags.NONE, None,
        None, None, None, None))
    tee.wait_for(OUT, "FILE_XFER_STATUS", m,
                 lambda p: struct.unpack_from("<I", p, 4)[0] == 3)
    log("file transfer succeeded")

    m = tee.mark()
    call(lambda: client.session.disconnect())
    tee.wait_for(IN, "CLIENT_DISCONNECTED", m)
    log("client disconnected")


def wait_path(path, proc, what):
    deadline = time.monotonic() + TIMEOUT
    while not os.path.exists(path):
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %d" % (what, proc.returncode))
        if time.monotonic() > deadline:
            raise TimeoutError("%s did not create %s" % (what, path))
        time.sleep(0.05)


# Xspice as the tests start it (tests/e2e/vdatest.py), with its agent port and
# fake-uinput FIFO in the work directory and the mouse through the agent.
XSPICE_AGENT_OPTIONS = """\
    Option "SpiceAgentMouse" "True"
    Option "SpiceVdagentEnabled" "True"
    Option "SpiceVdagentVirtioPath" "{dir}/virtio"
    Option "SpiceVdagentUinputPath" "{dir}/uinput"
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("prefix", help="output path prefix")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work directory and logs")
    args = ap.parse_args()
    prefix = os.path.abspath(args.prefix)

    work = tempfile.mkdtemp(prefix="vdagent-record-")
    procs = []
    tee = None
    x = None
    status = 1
    try:
        x = vt.start_xspice(work, extra=XSPICE_AGENT_OPTIONS.format(dir=work))
        if x is None:
            raise RuntimeError("Xspice is not installed (xserver-xspice)")
        port, env = x.spice_port, x.env
        xlog = open(os.path.join(work, "daemons.log"), "w")
        wait_path(os.path.join(work, "virtio"), x.proc, "Xorg")
        log("Xspice on %s, spice port %d", x.display, port)

        tee = Tee(os.path.join(work, "port"), os.path.join(work, "virtio"),
                  prefix)
        daemon = subprocess.Popen(
            ["spice-vdagentd", "-x", "-X", "-o", "-f", "-d",
             "-u", os.path.join(work, "uinput"),
             "-s", os.path.join(work, "port"),
             "-S", os.path.join(work, "vdagentd.sock")],
            stdout=xlog, stderr=xlog)
        procs.append(daemon)
        wait_path(os.path.join(work, "vdagentd.sock"), daemon,
                  "spice-vdagentd")
        xfer_dir = os.path.join(work, "xfer")
        os.mkdir(xfer_dir)
        agent = subprocess.Popen(
            ["spice-vdagent", "-x", "-d", "-o", "0", "-f", xfer_dir,
             "-s", os.path.join(work, "port"),
             "-S", os.path.join(work, "vdagentd.sock"),
             "--display", x.display],
            env=env, stdout=xlog, stderr=xlog)
        procs.append(agent)

        client = Client("spice://127.0.0.1:%d" % port)
        loop = GLib.MainLoop()
        result = {}

        def drive():
            try:
                scenario(tee, client, env, work)
                result["ok"] = True
            except Exception as e:  # noqa: BLE001 - reported below
                result["error"] = e
            GLib.idle_add(loop.quit)

        driver = threading.Thread(target=drive, daemon=True)
        GLib.idle_add(lambda: Spice.Session.connect(client.session) and False)
        driver.start()
        loop.run()
        if "error" in result:
            log("FAILED: %s", result["error"])
        else:
            status = 0
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if tee:
            for t in tee.threads:
                t.join(5)
            tee.close()
        if x:
            x.stop()
        if args.keep or status:
            log("work directory kept: %s", work)
        else:
            shutil.rmtree(work)
    if status == 0:
        log("wrote %s.agent-in.bin and %s.agent-out.bin", prefix, prefix)
    return status


if __name__ == "__main__":
    sys.exit(main())
