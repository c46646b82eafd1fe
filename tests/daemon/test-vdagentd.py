#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Integration tests of the real vdagentd binary: the test plays the SPICE
server on a unix-socket port and one or more session agents on the IPC
socket, and checks what each side receives.  TAP output."""

import fcntl
import os
import select
import signal
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vdproto import *  # noqa: E402,F403

tap = Tap()
tmp = tempfile.TemporaryDirectory(prefix="vdagentd-test-")


case = case_runner(tap)


def client_text_requested(a, peer):
    """The client grabs CLIPBOARD with text and the agent asks for it."""
    peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<II", 0, 1))
    a.expect(IPC_CLIPBOARD_GRAB)
    a.send(IPC_CLIPBOARD_REQUEST, struct.pack("<B3xI", 0, 1))
    peer.expect(CLIPBOARD_REQUEST)


# ---- command line -----------------------------------------------------------

@case
def help_and_man_page():
    out = subprocess.run([daemon_binary(), "--help"], capture_output=True,
                         text=True, timeout=TIMEOUT)
    tap.eq(out.returncode, 0, "--help exits 0")
    longs = set(re.findall(r"--([a-z-]+)", out.stdout))
    shorts = set(re.findall(r"^\s+-([a-zA-Z]),", out.stdout, re.M))
    tap.eq(shorts, set("dsSufxoXh"), "--help lists -d -s -S -u -f -x -o -X -h")
    man = os.path.join(os.environ.get("top_srcdir", "."), "vdagentd",
                       "vdagentd.8")
    with open(man) as f:
        text = f.read().replace("\\-", "-")
    missing = [o for o in sorted(longs) if "--" + o not in text]
    tap.eq(missing, [], "the man page documents every --help option")
    bad = subprocess.run([daemon_binary(), "--no-such-option"],
                         capture_output=True, timeout=TIMEOUT)
    tap.ok(bad.returncode != 0, "an unknown option fails")

# ---- main paths -------------------------------------------------------------

@case
def attach_monitors_clipboard():
    d = Daemon(tmp.name, "main")
    try:
        a = d.agent(hello=False, layout=False)
        ver, flags = a.hello()
        tap.eq(ver, IPC_VERSION, "daemon answers HELLO with the IPC version")
        a.layout([(0, 0, 0, 1024, 768)])
        peer = d.server.accept()
        tap.ok(True, "port attached once an agent reported its layout")
        caps = peer.handshake()
        tap.ok({CAP_MOUSE_STATE, CAP_MONITORS_CONFIG, CAP_REPLY,
                CAP_CLIPBOARD_BY_DEMAND, CAP_CLIPBOARD_SELECTION,
                CAP_SPARSE_MONITORS_CONFIG, CAP_CLIPBOARD_GRAB_SERIAL,
                CAP_FILE_XFER_DETAILED_ERRORS} <= caps,
               "announced capabilities (request=1), answered ours")
        tap.ok(CAP_AUDIO_VOLUME_SYNC not in caps,
               "no AUDIO_VOLUME_SYNC: nothing here applies a volume (and "
               "spice-gtk would start its audio stack for it)")
        cc = a.expect(IPC_CLIENT_CAPS, skip=())
        maxclip, nwords = struct.unpack_from("<iI", cc)
        got = caps_from_words(list(struct.unpack_from(f"<{nwords}I", cc, 8)))
        tap.ok(CAP_CLIPBOARD_SELECTION in got and CAP_MOUSE_STATE in got,
               "agent gets the negotiated CLIENT_CAPS")

        # MONITORS_CONFIG as Debian 12's spice-gtk sends it
        mc = spice_gtk_monitors()
        peer.send_msg(MONITORS_CONFIG, mc)
        tap.eq(a.expect(IPC_MONITORS_CONFIG), mc,
               "16-entry flags=3 MONITORS_CONFIG forwarded verbatim")
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "REPLY success for MONITORS_CONFIG")
        peer.send_msg(MONITORS_CONFIG, mc[:-3])
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 2),
               "REPLY error for a truncated MONITORS_CONFIG")
        peer.send_msg(MONITORS_CONFIG, struct.pack("<II", 0, 0))
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 2),
               "REPLY error for zero monitors")
        peer.send_msg(DISPLAY_CONFIG, struct.pack("<II", 1, 0))
        tap.eq(peer.expect(REPLY), struct.pack("<II", DISPLAY_CONFIG, 1),
               "REPLY success for DISPLAY_CONFIG")
        tap.eq([t for t, _ in a.pending()], [],
               "invalid configurations never reach the agent")

        # clipboard client -> guest, CLIPBOARD selection, serial 0
        peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<III", 0, 1, 99))
        g = a.expect(IPC_CLIPBOARD_GRAB)
        tap.eq(g, struct.pack("<B3xII", 0, 1, 1),
               "client grab -> agent, unknown type filtered")
        a.send(IPC_CLIPBOARD_REQUEST, struct.pack("<B3xI", 0, 1))
        tap.eq(peer.expect(CLIPBOARD_REQUEST), sel_prefix(0) + struct.pack("<I", 1),
               "agent request -> client with selection prefix")
        text = "grüße ".encode() * 1000
        peer.send_msg(CLIPBOARD, sel_prefix(0) + struct.pack("<I", 1) + text)
        tap.eq(a.expect(IPC_CLIPBOARD_DATA), struct.pack("<B3xI", 0, 1) + text,
               "client data (multi-chunk) -> agent")
        peer.send_msg(CLIPBOARD, sel_prefix(0) + struct.pack("<I", 1) + b"x")
        peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<II", 7, 1))
        peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<II", 1, 1))
        tap.eq(a.expect(IPC_CLIPBOARD_GRAB), struct.pack("<B3xII", 0, 1, 1),
               "unrequested data and a stale-serial grab dropped; next grab passes")

        # clipboard guest -> client, PRIMARY
        a.send(IPC_CLIPBOARD_GRAB, struct.pack("<B3xIII", 1, 2, 1, 2))
        tap.eq(peer.expect(CLIPBOARD_GRAB),
               sel_prefix(1) + struct.pack("<III", 0, 1, 2),
               "agent grab -> client with prefix and serial")
        peer.send_msg(CLIPBOARD_REQUEST, sel_prefix(1) + struct.pack("<I", 1))
        tap.eq(a.expect(IPC_CLIPBOARD_REQUEST), struct.pack("<B3xI", 1, 1),
               "client request -> agent")
        big = bytes(range(256)) * 20000  # 5 MB
        a.send(IPC_CLIPBOARD_DATA, struct.pack("<B3xI", 1, 1) + big)
        got = peer.expect(CLIPBOARD_DATA if False else CLIPBOARD)
        tap.eq(len(got), 8 + len(big), "5 MB agent data -> client, length")
        tap.ok(got == sel_prefix(1) + struct.pack("<I", 1) + big,
               "5 MB agent data -> client, content")
        peer.send_msg(CLIPBOARD_REQUEST, sel_prefix(0) + struct.pack("<I", 1))
        tap.eq(peer.expect(CLIPBOARD), sel_prefix(0) + struct.pack("<I", 0),
               "request for a selection the agent does not own: no data")
        a.send(IPC_CLIPBOARD_GRAB, struct.pack("<B3xII", 0, 1, 1))
        tap.eq(peer.expect(CLIPBOARD_GRAB), sel_prefix(0) + struct.pack("<II", 2, 1),
               "serials count per selection")

        # MAX_CLIPBOARD
        peer.send_msg(MAX_CLIPBOARD, struct.pack("<i", 100))
        cc = a.expect(IPC_CLIENT_CAPS, skip=())
        tap.eq(struct.unpack_from("<i", cc)[0], 100, "MAX_CLIPBOARD reaches the agent")
        peer.send_msg(CLIPBOARD_REQUEST, sel_prefix(0) + struct.pack("<I", 1))
        a.expect(IPC_CLIPBOARD_REQUEST)
        a.send(IPC_CLIPBOARD_DATA, struct.pack("<B3xI", 0, 1) + b"y" * 101)
        tap.eq(peer.expect(CLIPBOARD), sel_prefix(0) + struct.pack("<I", 0),
               "data over MAX_CLIPBOARD -> client gets no data")

        # volume and device info pass through
        vol = struct.pack("<BBBHH", 1, 0, 2, 1000, 2000)
        peer.send_msg(AUDIO_VOLUME_SYNC, vol)
        tap.eq(a.expect(IPC_AUDIO_VOLUME_SYNC), vol, "AUDIO_VOLUME_SYNC forwarded")
        addr = b"pci/0000/02.0\0"
        gdi = struct.pack("<IIIII", 1, 0, 0, 1, len(addr)) + addr
        peer.send_msg(GRAPHICS_DEVICE_INFO, gdi)
        tap.eq(a.expect(IPC_GRAPHICS_DEVICE_INFO), gdi,
               "GRAPHICS_DEVICE_INFO forwarded")

        # the agent leaves while it owns PRIMARY and CLIPBOARD
        a.close()
        tap.eq(peer.expect(CLIPBOARD_RELEASE), sel_prefix(0),
               "agent gone: its CLIPBOARD grab released to the client")
        tap.eq(peer.expect(CLIPBOARD_RELEASE), sel_prefix(1),
               "agent gone: its PRIMARY grab released to the client")
        tap.ok(peer.wait_eof(), "no agent left: port detached")

        # a new agent gets the kept monitors configuration and device info
        b = d.agent()
        tap.eq(b.expect(IPC_MONITORS_CONFIG), mc,
               "a later agent gets the last MONITORS_CONFIG")
        tap.eq(b.expect(IPC_GRAPHICS_DEVICE_INFO), gdi,
               "a later agent gets the last GRAPHICS_DEVICE_INFO")
        peer2 = d.server.accept()
        peer2.handshake()
        tap.ok(True, "port re-attached for the new agent")
        peer2.send_msg(CLIENT_DISCONNECTED, b"")
        b.expect(IPC_CLIENT_DISCONNECTED)
        tap.ok(True, "CLIENT_DISCONNECTED reaches the agent")
        tap.ok(d.alive(), "daemon alive")
    finally:
        rc = d.stop()
        tap.eq(rc, 0, "daemon exits 0 on SIGTERM")


@case
def large_clipboard_to_a_slow_agent():
    d = Daemon(tmp.name, "slow")
    try:
        a, peer, _ = attach(d)
        client_text_requested(a, peer)
        big = os.urandom(12 << 20)
        # the agent reads nothing while 12 MB arrive: the daemon must
        # pause the port instead of buffering without bound or closing it
        peer.send_msg(CLIPBOARD, sel_prefix(0) + struct.pack("<I", 1) + big)
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        got = a.expect(IPC_CLIPBOARD_DATA)
        tap.ok(got == struct.pack("<B3xI", 0, 1) + big,
               "12 MB client data reaches a slow agent intact")
        a.expect(IPC_MONITORS_CONFIG)
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "the port is served again after the agent caught up")
        tap.ok("reading paused" in d.log_text(), "port reading was paused")
    finally:
        d.stop()


@case
def file_transfer():
    d = Daemon(tmp.name, "xfer")
    try:
        a, peer, _ = attach(d)
        start = struct.pack("<I", 5) + b"[vdagent-file-xfer]\nname=a.txt\nsize=3\n\0"
        peer.send_msg(FILE_XFER_START, start)
        s = a.expect(IPC_FILE_XFER_START)
        tap.eq(s[:4], struct.pack("<I", 5), "START forwarded to the agent")
        tap.ok(b"name=a.txt" in s, "START carries the key file")
        peer.send_msg(FILE_XFER_DATA, struct.pack("<IQ", 6, 3) + b"bad")
        a.send(IPC_FILE_XFER_STATUS, struct.pack("<II", 5, XFER_CAN_SEND_DATA))
        tap.eq(peer.expect(FILE_XFER_STATUS), struct.pack("<II", 5, XFER_CAN_SEND_DATA),
               "agent CAN_SEND_DATA -> client")
        peer.send_msg(FILE_XFER_DATA, struct.pack("<IQ", 5, 3) + b"abc")
        tap.eq(a.expect(IPC_FILE_XFER_DATA), struct.pack("<I", 5) + b"abc",
               "DATA forwarded; DATA of a transfer never started was dropped")
        a.send(IPC_FILE_XFER_STATUS, struct.pack("<II", 9, XFER_SUCCESS))
        a.send(IPC_FILE_XFER_STATUS, struct.pack("<IIQ", 5, XFER_NOT_ENOUGH_SPACE, 77))
        tap.eq(peer.expect(FILE_XFER_STATUS),
               struct.pack("<IIQ", 5, XFER_NOT_ENOUGH_SPACE, 77),
               "detailed NOT_ENOUGH_SPACE passed on; status for an unknown id dropped")
        peer.send_msg(FILE_XFER_DATA, struct.pack("<IQ", 5, 1) + b"z")
        peer.send_msg(FILE_XFER_START, struct.pack("<I", 6) + b"[vdagent-file-xfer]\nname=b\nsize=1\n")
        tap.eq(a.expect(IPC_FILE_XFER_START)[:4], struct.pack("<I", 6),
               "DATA after the end of a transfer dropped")
        # client cancels; then the agent disables transfers
        peer.send_msg(FILE_XFER_STATUS, struct.pack("<II", 6, XFER_CANCELLED))
        tap.eq(a.expect(IPC_FILE_XFER_STATUS), struct.pack("<II", 6, XFER_CANCELLED),
               "client cancel reaches the agent")
        a.send(IPC_HELLO, struct.pack("<II", IPC_VERSION, 1) + b"disabled")
        caps = peer.expect(ANNOUNCE_CAPABILITIES)
        tap.ok(CAP_FILE_XFER_DISABLED in caps_from_words(
            list(struct.unpack_from("<I", caps, 4))),
            "agent disabling transfers re-announces FILE_XFER_DISABLED")
        peer.send_msg(FILE_XFER_START, struct.pack("<I", 7) + b"[vdagent-file-xfer]\nname=c\nsize=1\n")
        tap.eq(peer.expect(FILE_XFER_STATUS), struct.pack("<II", 7, XFER_DISABLED),
               "START refused with DISABLED")
        # a client without detailed errors gets plain ERROR
        peer.send_msg(ANNOUNCE_CAPABILITIES, announce(
            1, [c for c in CLIENT_CAPS if c != CAP_FILE_XFER_DETAILED_ERRORS]))
        peer.expect(ANNOUNCE_CAPABILITIES)
        peer.send_msg(FILE_XFER_START, struct.pack("<I", 8) + b"[vdagent-file-xfer]\nname=c\nsize=1\n")
        tap.eq(peer.expect(FILE_XFER_STATUS), struct.pack("<II", 8, XFER_ERROR),
               "without DETAILED_ERRORS: plain ERROR")
        # transfer in flight, agent leaves: the client is told
        a.send(IPC_HELLO, struct.pack("<II", IPC_VERSION, 0) + b"enabled")
        peer.expect(ANNOUNCE_CAPABILITIES)
        peer.send_msg(FILE_XFER_START, struct.pack("<I", 9) + b"[vdagent-file-xfer]\nname=d\nsize=1\n")
        a.expect(IPC_FILE_XFER_START,
                 skip=(IPC_CLIENT_CAPS, IPC_CLIENT_DISCONNECTED))
        a.close()
        tap.eq(peer.expect(FILE_XFER_STATUS), struct.pack("<II", 9, XFER_CANCELLED),
               "agent gone: its transfer cancelled towards the client")
    finally:
        d.stop()


@case
def reattach_and_hostile_port():
    d = Daemon(tmp.name, "hostile")
    try:
        a, peer, _ = attach(d)
        peer.close()
        peer = d.server.accept()
        peer.handshake()
        tap.ok(True, "re-attached and announced after port EOF")
        a.expect(IPC_CLIENT_DISCONNECTED)
        tap.ok(True, "agent told the client went away")
        hostile = [
            ("oversize chunk", struct.pack("<II", 1, 4096) + b"\0" * 4096),
            ("4 GiB declared size",
             chunks(struct.pack("<IIQI", 1, CLIPBOARD, 0, 0xFFFFFFFF) + b"abc")),
            ("bad chunk port", struct.pack("<II", 7, 20) + message(REPLY, b"")),
            ("wrong protocol", chunks(message(REPLY, b"", protocol=2))),
            ("garbage", bytes((i * 37 + 11) % 256 for i in range(5000))),
        ]
        for name, raw in hostile:
            peer.send(raw)
            tap.ok(peer.wait_eof(), f"{name}: port detached")
            peer.close()
            peer = d.server.accept()
            peer.handshake()
            peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
            peer.expect(REPLY)
            tap.ok(d.alive(), f"{name}: daemon alive, re-attached and serving")
        # bad messages inside a good stream are dropped, the port stays
        peer.send_msg(99, b"whatever")
        peer.send_msg(MOUSE_STATE, b"\1\2")
        peer.send_msg(CLIPBOARD_GRAB, b"\1")
        peer.send_msg(FILE_XFER_DATA, struct.pack("<IQ", 1, 10) + b"ab")
        peer.send_msg(ANNOUNCE_CAPABILITIES, b"")
        peer.send_msg(MONITORS_CONFIG, monitors_config([(640, 480, 0, 0)]))
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "unknown type and malformed messages dropped; port still served")
        tap.ok(not peer.eof, "... without a detach")
    finally:
        d.stop()


@case
def hostile_ipc():
    d = Daemon(tmp.name, "ipc")
    try:
        a, peer, _ = attach(d)
        idle = []
        for _ in range(200):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(d.ipc_path)
            idle.append(s)
        peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<II", 0, 1))
        tap.eq(a.expect(IPC_CLIPBOARD_GRAB), struct.pack("<B3xII", 0, 1, 1),
               "200 idle IPC connections: the agent is still served")
        a.send(IPC_CLIPBOARD_REQUEST, struct.pack("<B3xI", 0, 1))
        peer.expect(CLIPBOARD_REQUEST)
        tap.ok(True, "... both ways")
        late = Agent(d.ipc_path)
        late.hello()
        tap.ok(True, "an agent connecting after 200 idle connections is served")
        tap.eq(d.log_text().count("connection limit reached"), 1,
               "connection cap logged once")
        late.close()
        for s in idle:
            s.close()
        # an agent declaring a huge message is closed, the real one stays
        bad = Agent(d.ipc_path)
        bad.sock.sendall(ipc(IPC_HELLO, struct.pack("<II", IPC_VERSION, 0)))
        bad.expect(IPC_HELLO)
        bad.sock.sendall(struct.pack("<II", IPC_SCREEN_LAYOUT, 0xFFFFFFF0))
        tap.ok(bad.wait_eof(), "oversize IPC message: connection closed")
        early = Agent(d.ipc_path)
        early.send(IPC_CLIPBOARD_GRAB, struct.pack("<B3xI", 0, 0))
        tap.ok(early.wait_eof(), "message before HELLO: connection closed")
        unknown = Agent(d.ipc_path)
        unknown.send(77, b"")
        tap.ok(unknown.wait_eof(), "unknown IPC type: connection closed")
        daemon_only = Agent(d.ipc_path)
        daemon_only.send(IPC_CLIENT_CAPS, struct.pack("<iII", 0, 1, 0))
        tap.ok(daemon_only.wait_eof(), "daemon-only IPC type: connection closed")
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        a.expect(IPC_MONITORS_CONFIG)
        tap.ok(True, "the real agent still gets its traffic")
    finally:
        d.stop()


@case
def second_agent_single_mode():
    d = Daemon(tmp.name, "single")
    try:
        a, peer, _ = attach(d)
        b = d.agent()
        b.expect(IPC_CLIENT_CAPS, skip=())
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<II", 0, 1))
        a.expect(IPC_MONITORS_CONFIG)
        a.expect(IPC_CLIPBOARD_GRAB)
        tap.eq([t for t, _ in b.pending()], [],
               "a second agent gets nothing in single mode")
        b.send(IPC_CLIPBOARD_GRAB, struct.pack("<B3xII", 0, 1, 1))
        b.send(IPC_CLIPBOARD_REQUEST, struct.pack("<B3xI", 0, 1))
        tap.eq(b.expect(IPC_CLIPBOARD_DATA), struct.pack("<B3xI", 0, 0),
               "its request is answered with no data")
        a.send(IPC_CLIPBOARD_REQUEST, struct.pack("<B3xI", 0, 1))
        tap.eq(peer.expect(CLIPBOARD_REQUEST, skip=(REPLY,)),
               sel_prefix(0) + struct.pack("<I", 1),
               "its grab never reached the client")
        a.close()
        tap.eq(b.expect(IPC_MONITORS_CONFIG), monitors_config([(800, 600, 0, 0)]),
               "when the first agent leaves, the second takes over")
        peer.send_msg(CLIPBOARD_GRAB, sel_prefix(0) + struct.pack("<II", 1, 1))
        tap.eq(b.expect(IPC_CLIPBOARD_GRAB), struct.pack("<B3xII", 0, 1, 1),
               "... and gets the client's clipboard traffic")
    finally:
        d.stop()


@case
def chardev_port():
    import tty
    master, slave = os.openpty()
    tty.setraw(slave)  # a virtio port is a raw byte pipe: so is this pty
    d = Daemon(tmp.name, "pty", port_path=os.ttyname(slave))
    try:
        a = d.agent()
        peer = PortPeer(FdSocket(master))
        peer.handshake()
        tap.ok(True, "character device port: attached and announced")
        peer.send_msg(MONITORS_CONFIG, spice_gtk_monitors())
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "character device port: REPLY")
        a.expect(IPC_MONITORS_CONFIG)
        peer.close()
        os.close(slave)
        a.expect(IPC_CLIENT_DISCONNECTED)
        tap.ok(d.alive(), "character device gone: detached, daemon alive")
    finally:
        d.stop()


@case
def logind_sessions():
    logind, d = logind_daemon(tmp.name, "logind")
    if not d:
        tap.ok(True, "# SKIP logind sessions: dbus-daemon not installed")
        return
    try:
        a, peer, _ = attach(d)
        tap.ok("using systemd-logind" in d.log_text(),
               "logind backend in use")
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        a.expect(IPC_MONITORS_CONFIG)
        tap.ok(True, "agent of the active session c1 served")
        twin = Agent(d.ipc_path)
        twin.send(IPC_HELLO, struct.pack("<II", IPC_VERSION, 0))
        tap.ok(twin.wait_eof(), "a second agent in the same session refused")
        logind.command("lock c1 1")
        start = struct.pack("<I", 1) + b"[vdagent-file-xfer]\nname=x\nsize=1\n"
        peer.send_msg(FILE_XFER_START, start)
        tap.eq(peer.expect(FILE_XFER_STATUS, skip=(REPLY,)),
               struct.pack("<II", 1, XFER_SESSION_LOCKED),
               "locked session: START refused with SESSION_LOCKED")
        logind.command("lock c1 0")
        peer.send_msg(FILE_XFER_START, start)
        a.expect(IPC_FILE_XFER_START)
        tap.ok(True, "unlocked: START forwarded")
        logind.command("session c2")
        b = d.agent()
        tap.eq([t for t, _ in b.pending() if t != IPC_CLIENT_CAPS], [],
               "agent of the inactive session c2 gets nothing")
        logind.command("active c2")
        tap.eq(peer.expect(FILE_XFER_STATUS),
               struct.pack("<II", 1, XFER_CANCELLED),
               "switch to c2: c1's transfer cancelled")
        tap.eq(b.expect(IPC_MONITORS_CONFIG), monitors_config([(800, 600, 0, 0)]),
               "switch to c2: its agent gets the kept MONITORS_CONFIG")
        logind.command("active c3")
        tap.ok(peer.wait_eof(), "switch to a session without agent: port detached")
        logind.command("active c1")
        peer = d.server.accept()
        peer.handshake()
        tap.ok(True, "back to c1: port attached again")
    finally:
        d.stop()
        logind.stop()


@case
def socket_activation():
    path = os.path.join(tmp.name, "activated-socket")
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(path)
    ls.listen(8)

    def as_systemd_does():
        os.dup2(ls.fileno(), 3)
        os.environ["LISTEN_PID"] = str(os.getpid())
        os.environ["LISTEN_FDS"] = "1"

    port = os.path.join(tmp.name, "act-port")
    server = FakeServer(port)
    log = open(os.path.join(tmp.name, "act.log"), "wb")
    proc = subprocess.Popen(
        [daemon_binary(), "-x", "-X", "-f", "-s", port,
         "-u", os.path.join(tmp.name, "act-uinput"),
         "-S", os.path.join(tmp.name, "unused", "socket")],
        stdout=log, stderr=subprocess.STDOUT, preexec_fn=as_systemd_does,
        pass_fds=tuple(sorted({3, ls.fileno()})))
    try:
        a = Agent(path)
        ver, _ = a.hello()
        tap.eq(ver, IPC_VERSION, "socket activation: the passed socket is served")
        tap.ok(not os.path.exists(os.path.join(tmp.name, "unused")),
               "socket activation: -S path not created")
    finally:
        proc.terminate()
        proc.wait(TIMEOUT)
        server.close()
        log.close()


@case
def one_session():
    d = Daemon(tmp.name, "once", extra=["-o"])
    try:
        a, peer, _ = attach(d)
        peer.close()
        rc = d.proc.wait(TIMEOUT)
        tap.eq(rc, 0, "-o: exits 0 after the port session ends")
    finally:
        d.stop()


@case
def record():
    rec = os.path.join(tmp.name, "rec")
    d = Daemon(tmp.name, "rec", extra=["--record", rec])
    try:
        a, peer, _ = attach(d)
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        peer.expect(REPLY)
    finally:
        d.stop()
    with open(rec, "rb") as f:
        got = f.read()
    with open(rec + ".out", "rb") as f:
        out = f.read()
    tap.ok(chunks(message(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))) in got,
           "--record: received stream recorded")
    tap.ok(chunks(message(REPLY, struct.pack("<II", MONITORS_CONFIG, 1))) in out,
           "--record: sent stream recorded")


def uinput_records(path):
    """(type, code, value) of the input_event records in the fake device."""
    with open(path, "rb") as f:
        data = f.read()
    return [struct.unpack_from("<HHi", data, off + 16)
            for off in range(0, len(data) - len(data) % 24, 24)]


@case
def mouse_for_a_display_not_yet_reported():
    d = Daemon(tmp.name, "mouse")
    try:
        a, peer, _ = attach(d)
        # the client knows display 1 before the agent reported it
        peer.send_msg(MOUSE_STATE, struct.pack("<IIIB", 5, 6, 0, 1))
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        peer.expect(REPLY)
        tap.eq(uinput_records(d.uinput), [],
               "mouse on a display not in the layout: nothing written yet")
        a.layout([(0, 0, 0, 1024, 768), (1, 1024, 0, 800, 600)])
        want = [(3, 0, 1029), (3, 1, 6), (0, 0, 0)]
        deadline = time.monotonic() + TIMEOUT
        while uinput_records(d.uinput) != want and time.monotonic() < deadline:
            time.sleep(0.01)
        tap.eq(uinput_records(d.uinput), want,
               "... written once the layout has it: 1024+5, 6, SYN")
        tap.eq(peer.server_chunks, 0, "small messages: no writer nudge")
    finally:
        d.stop()


@case
def writer_nudged_after_a_backlog():
    d = Daemon(tmp.name, "nudge")
    try:
        a, peer, _ = attach(d)
        client_text_requested(a, peer)
        tap.eq(peer.server_chunks, 0, "no nudge before a backlog")
        # Xspice's spice-server retries a write that found the socket full
        # only on a 100 ms timer or when the daemon writes: pile up 100 KB
        # while the daemon is stopped, then it must answer its drain
        data = os.urandom(100 * 1024)
        os.kill(d.proc.pid, signal.SIGSTOP)
        try:
            peer.send_msg(CLIPBOARD, sel_prefix(0) + struct.pack("<I", 1) + data)
        finally:
            os.kill(d.proc.pid, signal.SIGCONT)
        tap.ok(peer.wait_server_chunk(), "a drained backlog: a chunk for "
               "the server port (which spice-server discards) wakes the writer")
        tap.ok(a.expect(IPC_CLIPBOARD_DATA) == struct.pack("<B3xI", 0, 1) + data,
               "... and the data reached the agent intact")
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "... the client port stream is unaffected")
    finally:
        d.stop()


class FifoReader:
    """The reading end of a fake-uinput FIFO, with a small pipe so that a
    burst fills it; it reads only when told to, like a stalled X server."""

    def __init__(self, path):
        os.mkfifo(path)
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        fcntl.fcntl(self.fd, fcntl.F_SETPIPE_SZ, 4096)
        self.partial = b""
        self.x = self.y = None
        self.keys = set()
        self.presses = self.releases = self.wheel = self.bad_order = 0

    def read_until(self, done, timeout=TIMEOUT):
        """Replay what arrives until done(self) or the deadline."""
        deadline = time.monotonic() + timeout
        while not done(self) and time.monotonic() < deadline:
            select.select([self.fd], [], [], 0.2)
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            data = self.partial + data
            end = len(data) - len(data) % 24
            for off in range(0, end, 24):
                self.replay(*struct.unpack_from("<HHi", data, off + 16))
            self.partial = data[end:]
        return done(self)

    def replay(self, etype, code, value):
        if etype == 3:
            if code == 0:
                self.x = value
            else:
                self.y = value
        elif etype == 2 and code == 8:
            self.wheel += value
        elif etype == 1:
            if (code in self.keys) == bool(value):
                self.bad_order += 1
            if value:
                self.keys.add(code)
                self.presses += code == 0x110
            else:
                self.keys.discard(code)
                self.releases += code == 0x110

    def close(self):
        os.close(self.fd)


def mouse_burst(messages):
    """The port bytes of MOUSE_STATE messages (x, y, buttons) on display 0."""
    return b"".join(chunks(message(MOUSE_STATE, struct.pack("<IIIB", x, y, b, 0)))
                    for x, y, b in messages)


@case
def mouse_burst_through_a_stalled_fifo():
    fifo = FifoReader(os.path.join(tmp.name, "burst-fifo"))
    d = Daemon(tmp.name, "burst", uinput=os.path.join(tmp.name, "burst-fifo"))
    try:
        a, peer, _ = attach(d)
        # the report: 20 000 messages while the reader does not read, a left
        # click every 100, a wheel step up every 100, a new last position
        burst = [(i % 1000, (i // 7) % 700,
                  (2 if (i // 50) % 2 == 0 else 0) | (16 if i % 100 == 25 else 0))
                 for i in range(20000)]
        burst.append((1010, 710, 0))
        peer.send(mouse_burst(burst))
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "burst into a full FIFO: the daemon keeps serving the port")
        tap.ok(fifo.read_until(lambda f: (f.x, f.y) == (1010, 710) and
                               f.presses == 200 and f.releases == 200 and
                               f.wheel == 200),
               "the reader resumes: every press, release and wheel step, "
               f"and the last position ({fifo.presses}, {fifo.releases}, "
               f"{fifo.wheel}, {fifo.x},{fifo.y})")
        tap.eq(fifo.bad_order, 0, "... key transitions in order")
        tap.ok(d.alive(), "... the daemon is still up")
    finally:
        d.stop()
        fifo.close()


@case
def mouse_fifo_reader_stopped_for_good():
    fifo = FifoReader(os.path.join(tmp.name, "stuck-fifo"))
    d = Daemon(tmp.name, "stuck", uinput=os.path.join(tmp.name, "stuck-fifo"))
    try:
        a, peer, _ = attach(d)
        # a click with every message: nothing merges, the queue fills
        peer.send(mouse_burst([(i % 1000, i % 700, 2 * (i % 2)) for i in range(60000)]))
        peer.send_msg(MONITORS_CONFIG, monitors_config([(800, 600, 0, 0)]))
        tap.eq(peer.expect(REPLY), struct.pack("<II", MONITORS_CONFIG, 1),
               "reader gone for good: the daemon keeps serving the port")
        a.send(IPC_CLIPBOARD_GRAB, struct.pack("<B3xII", 0, 1, 1))
        tap.ok(peer.expect(CLIPBOARD_GRAB) is not None,
               "... and the agents")
        said = d.log_text().count("not accepting events")
        tap.eq(said, 1, "... and says once that the device is not accepting events")
        tap.ok(d.alive(), "... the daemon is still up")
    finally:
        d.stop()
        fifo.close()


sys.exit(tap.done())
