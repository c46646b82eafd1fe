#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Benchmark: the clipboard of the Wayland backend on a headless sway
against the X11 backend on Xspice, same client (spice-gtk), same daemon,
one run each of 5 MB and 50 MB of text, both ways:
  client -> guest: grab, then the guest's paste (xclip -o / wl-paste) until
                   it has it all
  guest -> client: the guest's copy (xclip -i / wl-copy), the grab seen,
                   request -> data
Xspice is the SPICE server in both (its agent socket); the X11 agent runs
on its display, the Wayland agent on sway.  Prints the times and the
Wayland/X11 ratios.  Not part of `make check`.  From a build directory:
  top_builddir=$PWD BENCH_OURS_DIR=tests/release \\
    /usr/bin/python3 $srcdir/tests/bench/bench-wl-clipboard.py
(without BENCH_OURS_DIR: vdagentd/vdagentd and vdagent/vdagent)"""

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "e2e"))
import vdatest as vt  # noqa: E402
import wltest as wt  # noqa: E402
import spiceclient as sc  # noqa: E402

SIZES = (5, 50)
_ours = os.environ.get("BENCH_OURS_DIR")
DAEMON, AGENT = ((os.path.join(vt.builddir(), _ours, "vdagentd"),
                  os.path.join(vt.builddir(), _ours, "vdagent")) if _ours else
                 (os.path.join(vt.builddir(), "vdagentd", "vdagentd"),
                  vt.agent_binary()))


def text_of(mb):
    n = mb * 1024 * 1024
    return ("0123456789 Grüße ✓ abcdefghijklmnopqrstuvwxyz\n" *
            (n // 40)).encode()[:n].decode("utf-8", "ignore").encode()


class X11Guest:
    name = "x11 (Xspice)"

    def __init__(self, x):
        self.x = x
        self.env = x.env

    def has_grab(self):
        return b"UTF8_STRING" in self.x.run(
            "xclip", "-o", "-selection", "clipboard", "-t", "TARGETS",
            timeout=10).stdout

    def paste(self):
        return self.x.run("xclip", "-o", "-selection", "clipboard",
                          timeout=600).stdout

    def copy(self, data):
        subprocess.run(["xclip", "-i", "-selection", "clipboard"],
                       env=self.env, input=data, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class WaylandGuest:
    name = "wayland (sway)"

    def __init__(self, sway):
        self.sway = sway
        self.env = sway.env

    def has_grab(self):
        return b"text/plain" in self.sway.run("wl-paste", "--list-types",
                                              timeout=10).stdout

    def paste(self):
        return self.sway.run("wl-paste", "--no-newline", timeout=600).stdout

    def copy(self, data):
        subprocess.run(["wl-copy"], env=self.env, input=data, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(c, guest, res):
    for mb in SIZES:
        text = text_of(mb)
        c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text})
        if vt.wait_for(guest.has_grab, 30):
            t0 = time.monotonic()
            out = guest.paste()
            dt = time.monotonic() - t0
            res[(guest.name, mb, "c2g")] = dt if out == text else None
        guest.copy(text)
        if c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD, 60):
            t0 = time.monotonic()
            c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
            ev = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD, 600)
            dt = time.monotonic() - t0
            res[(guest.name, mb, "g2c")] = dt if ev and ev[3] == text else None


def main():
    tmp = wt.mktemp()
    os.chmod(tmp, 0o755)
    virtio, uinput = os.path.join(tmp, "virtio"), os.path.join(tmp, "uinput")
    sock = os.path.join(tmp, "sock")
    extra = f'''    Option "SpiceVdagentEnabled" "True"
    Option "SpiceAgentMouse" "True"
    Option "SpiceVdagentVirtioPath" "{virtio}"
    Option "SpiceVdagentUinputPath" "{uinput}"'''
    x = vt.start_xspice(tmp, extra=extra)
    os.mkdir(os.path.join(tmp, "sway"))
    sway = wt.Sway(os.path.join(tmp, "sway"))
    procs = []

    def spawn(argv, name, env):
        log = open(os.path.join(tmp, name + ".log"), "w")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                             env=env)
        procs.append((p, log))
        return p

    def stop(p):
        p.terminate()
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

    spawn([DAEMON, "-x", "-f", "-X", "-s", virtio, "-u", uinput, "-S", sock],
          "daemon", None)
    vt.wait_for(lambda: os.path.exists(sock), 30)
    res = {}

    def steps(c):
        for guest, env in ((X11Guest(x), x.env), (WaylandGuest(sway),
                                                   sway.env)):
            a = spawn([AGENT, "-x", "-S", sock], guest.name.split()[0], env)
            if not vt.wait_for(c.agent_connected, 60):
                print(f"# {guest.name}: the agent did not connect")
            else:
                measure(c, guest, res)
            stop(a)
            vt.wait_for(lambda: not c.agent_connected(), 30)

    try:
        sc.Client(x.spice_port).run(steps)
    finally:
        for p, log in reversed(procs):
            if p.poll() is None:
                stop(p)
            log.close()
        sway.stop()
        x.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    def fmt(v):
        return f"{v:7.3f} s" if v is not None else "   failed"
    for mb in SIZES:
        for key, what in (("c2g", "client->guest"), ("g2c", "guest->client")):
            xv = res.get(("x11 (Xspice)", mb, key))
            wv = res.get(("wayland (sway)", mb, key))
            ratio = (f"{wv / xv:5.2f}" if xv and wv else "  n/a")
            print(f"clipboard {mb:2d} MB {what}: x11 {fmt(xv)}  "
                  f"wayland {fmt(wv)}  wayland/x11 {ratio}")


main()
