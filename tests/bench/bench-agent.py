#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Benchmark: our vdagentd + vdagent against the reference spice-vdagentd +
spice-vdagent (Debian 12, 0.22.1) in the same harness: Xspice, the pair
under test, spice-gtk as the client.  One run each of:
  - 50 MB of text client -> guest (grab, then xclip -o until it has it all)
  - 50 MB of text guest -> client (xclip -i, grab seen, request -> data)
  - monitor config apply: send_monitor_config until xrandr shows the size
and the floor of guest -> client: our daemon alone on Xspice, a scripted
agent on its IPC socket answering the request with the same 50 MB already
in memory (no X, no agent), to spice-gtk.
Prints the times, our/reference ratios and our ratio to the floor.  Not part of `make check`.
`make bench` runs it on the release builds of tests/release.mk; by hand, from
a build directory:
  top_builddir=$PWD BENCH_OURS_DIR=tests/release \
    /usr/bin/python3 $srcdir/tests/bench/bench-agent.py
(without BENCH_OURS_DIR: vdagentd/vdagentd and vdagent/vdagent)
BENCH_CLIPBOARD_MB sets the size, BENCH_ONLY=ours|reference runs one pair,
BENCH_DAEMON_WRAP prefixes the daemon's command line (e.g. "strace -f -tt
-o /tmp/d.strace") to look at the daemon's system calls."""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "e2e"))
import vdatest as vt  # noqa: E402
import spiceclient as sc  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "daemon"))
import vdproto as vp  # noqa: E402

SIZE = int(os.environ.get("BENCH_CLIPBOARD_MB", "50")) * 1024 * 1024
_ours_dir = os.environ.get("BENCH_OURS_DIR")
OURS = ((os.path.join(vt.builddir(), _ours_dir, "vdagentd"),
         os.path.join(vt.builddir(), _ours_dir, "vdagent")) if _ours_dir else
        (os.path.join(vt.builddir(), "vdagentd", "vdagentd"),
         vt.agent_binary()))
REF = (shutil.which("spice-vdagentd") or "/usr/sbin/spice-vdagentd",
       shutil.which("spice-vdagent") or "/usr/bin/spice-vdagent")


class Stack:
    """Xspice with its agent socket and fake uinput, and a daemon on them
    (BENCH_DAEMON_WRAP prefixed); stop() ends what it started."""

    def __init__(self, label, daemon_bin):
        self.tmp = tempfile.mkdtemp(prefix=f"vdagent-bench-{label}-")
        self.virtio = os.path.join(self.tmp, "virtio")
        uinput = os.path.join(self.tmp, "uinput")
        self.sock = os.path.join(self.tmp, "sock")
        self.x = vt.start_xspice(self.tmp, extra=f'''    Option "SpiceVdagentEnabled" "True"
    Option "SpiceAgentMouse" "True"
    Option "SpiceVdagentVirtioPath" "{self.virtio}"
    Option "SpiceVdagentUinputPath" "{uinput}"''')
        self.logs, self.procs = [], []
        wrap = os.environ.get("BENCH_DAEMON_WRAP", "").split()
        self.spawn(wrap + [daemon_bin, "-x", "-f", "-X", "-s", self.virtio,
                          "-u", uinput, "-S", self.sock], "daemon")
        vt.wait_for(lambda: os.path.exists(self.sock), 20)

    def spawn(self, argv, name, env=None):
        log = open(os.path.join(self.tmp, name + ".log"), "w")
        self.logs.append(log)
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                             env=env)
        self.procs.append(p)
        return p

    def stop(self):
        for p in reversed(self.procs):
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in self.logs:
            log.close()
        self.x.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_pair(label, daemon_bin, agent_bin):
    st = Stack(label, daemon_bin)
    x = st.x
    st.spawn([agent_bin, "-x", "-S", st.sock, "-s", st.virtio], "agent", x.env)
    text = bench_text()
    res = {}

    def steps(c):
        if not vt.wait_for(c.agent_connected, 30):
            print(f"# {label}: agent did not connect")
            return
        # monitors: alternate two sizes, time until xrandr shows each
        times = []
        for i, (w, h) in enumerate([(1280, 800), (1440, 900), (1280, 720),
                                    (1600, 900)]):
            t0 = time.monotonic()
            c.monitors([(w, h, 0, 0)])
            ok = vt.wait_for(lambda: f"current {w} x {h}" in x.run(
                "xrandr").stdout.decode(), 10, 0.005)
            if not ok:
                times = None
                break
            times.append(time.monotonic() - t0)
        res["monitors"] = sum(times) / len(times) if times else None

        # client -> guest
        c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text})
        if vt.wait_for(lambda: b"UTF8_STRING" in x.run(
                "xclip", "-o", "-selection", "clipboard", "-t", "TARGETS",
                timeout=10).stdout, 20):
            t0 = time.monotonic()
            out = x.run("xclip", "-o", "-selection", "clipboard",
                        timeout=300).stdout
            dt = time.monotonic() - t0
            res["c2g"] = dt if out == text else None
        # guest -> client
        subprocess.run(["xclip", "-i", "-selection", "clipboard"], env=x.env,
                       input=text, timeout=120, stdout=subprocess.DEVNULL)
        if c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD, 30):
            t0 = time.monotonic()
            c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
            ev = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD, 300)
            dt = time.monotonic() - t0
            res["g2c"] = dt if ev and ev[3] == text else None

    try:
        sc.Client(x.spice_port).run(steps)
    finally:
        st.stop()
    return res


def bench_text():
    text = ("0123456789 Grüße ✓ abcdefghijklmnopqrstuvwxyz\n" *
            (SIZE // 40))[:SIZE].encode()[:SIZE]
    return text.decode("utf-8", "ignore").encode()


def run_floor(daemon_bin):
    """Guest -> client with nothing of ours but the daemon: a scripted agent
    grabs CLIPBOARD and answers the request with the payload it holds."""
    st = Stack("floor", daemon_bin)
    text = bench_text()
    res = {}
    agent = vp.Agent(st.sock)
    agent.hello()
    agent.layout([(0, 0, 0, 1024, 768)])

    def steps(c):
        if not vt.wait_for(c.agent_connected, 30):
            print("# floor: the daemon did not connect")
            return
        agent.send(vp.IPC_CLIPBOARD_GRAB, struct.pack("<B3xII", 0, 1, sc.UTF8_TEXT))
        if not c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD, 30):
            return
        t0 = time.monotonic()
        c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
        agent.expect(vp.IPC_CLIPBOARD_REQUEST, skip=(vp.IPC_CLIENT_CAPS,
                                                   vp.IPC_GRAPHICS_DEVICE_INFO,
                                                   vp.IPC_MONITORS_CONFIG))
        agent.send(vp.IPC_CLIPBOARD_DATA,
                   struct.pack("<B3xI", 0, sc.UTF8_TEXT) + text)
        ev = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD, 300)
        dt = time.monotonic() - t0
        res["g2c"] = dt if ev and ev[3] == text else None

    try:
        sc.Client(st.x.spice_port).run(steps)
    finally:
        agent.close()
        st.stop()
    return res


def fmt(v):
    return "failed" if v is None else f"{v * 1000:8.1f} ms"


only = os.environ.get("BENCH_ONLY", "")
ours = run_pair("ours", *OURS) if only != "reference" else {}
ref = run_pair("reference", *REF) if only != "ours" and all(
    os.access(p, os.X_OK) for p in REF) else {}
print(f"{'':28} {'ours':>12} {'reference':>12}  ratio")
for key, what in (("c2g", f"clipboard {SIZE >> 20} MB client->guest"),
                  ("g2c", f"clipboard {SIZE >> 20} MB guest->client"),
                  ("monitors", "monitor config apply")):
    o, r = ours.get(key), ref.get(key)
    ratio = f"{o / r:.2f}" if o and r else "n/a"
    print(f"{what:28} {fmt(o):>12} {fmt(r):>12}  {ratio}")
if only != "reference":
    floor = run_floor(OURS[0]).get("g2c")
    print(f"{'guest->client floor':28} {fmt(floor):>12}  (daemon + Xspice + "
          "spice-gtk, the data already in memory)")
    g = ours.get("g2c")
    if g and floor:
        print(f"ratio ours/floor, clipboard {SIZE >> 20} MB guest->client: "
              f"{g / floor:.2f}   [target <= 1.2]")
