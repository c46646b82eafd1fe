#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The main job: Xspice (Xorg with spice-server inside) runs our vdagentd on
its agent socket and input FIFO and our vdagent on its display; a scripted
spice-gtk client then drives them through a resize, two monitors, the mouse,
the clipboard both ways and a file transfer.  Each step prints what the
client did and what the guest side shows.  Afterwards the stack keeps
running for a real client until Ctrl-C (MAIN_JOB_EXIT=1: stop at once;
MAIN_JOB_DEBUG=1: debug logs from both).

Run from scripts/main-job.sh, which installs and builds first."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.environ.get("top_builddir") or os.path.join(top, "build")
os.environ["top_builddir"] = build
sys.path.insert(0, os.path.join(top, "tests", "e2e"))
import vdatest as vt  # noqa: E402
import spiceclient as sc  # noqa: E402

failures = []


def say(msg):
    print(msg, flush=True)


def result(ok, what):
    say(f"   {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


class Stack:
    """Xspice + our daemon + our agent, in a temporary directory."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="vdagent-main-job-")
        self.procs = []
        virtio = os.path.join(self.tmp, "virtio")
        uinput = os.path.join(self.tmp, "uinput")
        self.sock = os.path.join(self.tmp, "vdagentd.sock")
        self.xferdir = os.path.join(self.tmp, "received")
        os.mkdir(self.xferdir)
        self.x = vt.start_xspice(self.tmp, port=int(
            os.environ.get("SPICE_PORT", "0")) or None, extra=f'''\
    Option "SpiceAgentMouse" "True"
    Option "SpiceVdagentEnabled" "True"
    Option "SpiceVdagentVirtioPath" "{virtio}"
    Option "SpiceVdagentUinputPath" "{uinput}"''')
        if self.x is None:
            raise RuntimeError("Xspice is not installed (xserver-xspice)")
        say(f"Xspice on display {self.x.display}, SPICE port "
            f"{self.x.spice_port}")
        debug = ["-d", "-d"] if os.environ.get("MAIN_JOB_DEBUG") else []
        rec = ["--record", os.path.join(self.tmp, "port.rec")] if debug else []
        self.spawn("vdagentd", [os.path.join(build, "vdagentd", "vdagentd"),
                                "-x", "-f", "-X", "-s", virtio, "-u", uinput,
                                "-S", self.sock] + debug + rec)
        if not vt.wait_for(lambda: os.path.exists(self.sock), 20):
            raise RuntimeError("vdagentd did not start:\n" + self.log("vdagentd"))
        self.spawn("vdagent", [vt.agent_binary(), "-x", "-S", self.sock,
                               "--display", self.x.display, "-f", self.xferdir]
                   + debug[:1])
        say(f"vdagentd and vdagent running; logs in {self.tmp}")

    def spawn(self, name, argv):
        log = open(os.path.join(self.tmp, name + ".log"), "w")
        self.procs.append((subprocess.Popen(argv, stdout=log,
                                            stderr=subprocess.STDOUT), log))

    def log(self, name):
        with open(os.path.join(self.tmp, name + ".log"), errors="replace") as f:
            return f.read()[-3000:]

    def run(self, *argv):
        return self.x.run(*argv, timeout=60).stdout

    def copy_in_guest(self, text):
        # xclip -i stays in the background to serve the selection: no pipes
        subprocess.run(["xclip", "-i", "-selection", "clipboard"],
                       env=self.x.env, input=text, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def outputs(self):
        out = self.run("xrandr").decode()
        return {m[0]: tuple(int(v) for v in m[1:]) for m in re.findall(
            r"^(\S+) connected (?:primary )?(\d+)x(\d+)\+(\d+)\+(\d+)", out,
            re.M)}

    def pointer(self):
        m = re.search(rb"x:(\d+) y:(\d+)", self.run("xdotool",
                                                     "getmouselocation"))
        return (int(m[1]), int(m[2])) if m else None

    def stop(self):
        for p, log in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            log.close()
        self.x.stop()
        if os.environ.get("MAIN_JOB_DEBUG"):
            say(f"logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def steps(s, c):
    say("1. the client connects")
    result(vt.wait_for(c.agent_connected, 30), "client: agent connected")

    say("2. resize: the client asks for one monitor of 1280x800")
    c.monitors([(1280, 800, 0, 0)])
    ok = vt.wait_for(lambda: s.outputs() == {"qxl-0": (1280, 800, 0, 0)}, 20)
    result(ok, f"xrandr: {s.outputs()}")

    say("3. two monitors side by side: 1280x800 and 1024x768 at x=1280")
    c.monitors([(1280, 800, 0, 0), (1024, 768, 1280, 0)])
    want = {"qxl-0": (1280, 800, 0, 0), "qxl-1": (1024, 768, 1280, 0)}
    result(vt.wait_for(lambda: s.outputs() == want, 20),
           f"xrandr: {s.outputs()}")

    say("4. client-mode mouse")
    result(vt.wait_for(lambda: c.mouse_mode() == 2, 20),
           "client: mouse mode is client (absolute)")
    for x, y, disp, want in ((100, 200, 0, (100, 200)),
                             (300, 400, 1, (1580, 400))):
        # a real client streams motion; one lost event must not end the demo
        ok = vt.wait_for(lambda: c.position(x, y, disp) or
                         vt.wait_for(lambda: s.pointer() == want, 1), 15)
        result(ok, f"client: {x},{y} on monitor {disp} -> "
               f"X pointer at {s.pointer()}")

    say("5. clipboard, client -> guest")
    text = "Grüße aus dem Client ✓ 漢字\n" * 1000
    c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text.encode()})
    vt.wait_for(lambda: b"UTF8_STRING" in s.run(
        "xclip", "-o", "-selection", "clipboard", "-t", "TARGETS"), 20)
    got = s.run("xclip", "-o", "-selection", "clipboard")
    result(got == text.encode(), f"xclip -o: {len(got)} bytes, "
           f"{'identical' if got == text.encode() else 'different'}")

    say("6. clipboard, guest -> client")
    gtext = "copied in the guest ✓\n" * 500
    s.copy_in_guest(gtext.encode())
    g = c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD, 20)
    result(g is not None, "client: sees the guest's grab")
    c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
    d = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD, 30)
    result(d is not None and d[3] == gtext.encode(),
           f"client: received {len(d[3]) if d else 0} bytes, "
           f"{'identical' if d and d[3] == gtext.encode() else 'different'}")

    say("7. file transfer into the guest")
    src = os.path.join(s.tmp, "hello from the client.bin")
    payload = os.urandom(3 * 1024 * 1024)
    with open(src, "wb") as f:
        f.write(payload)
    ok, err = c.copy_file(src)
    dst = os.path.join(s.xferdir, os.path.basename(src))
    same = os.path.exists(dst) and open(dst, "rb").read() == payload
    result(ok and same, f"{len(payload)} bytes -> {dst}"
           + (f" ({err})" if err else ""))


def main():
    try:
        s = Stack()
    except RuntimeError as e:
        say(f"main job: {e}")
        return 1
    try:
        try:
            client = sc.Client(s.x.spice_port)
            client.session.set_property("enable-audio", False)  # no noise
            client.run(lambda c: steps(s, c))
        except Exception as e:  # a broken step still tears down
            result(False, f"steps ran to the end: {e!r}")
        if failures:
            say(f"\n{len(failures)} step(s) failed; vdagentd log:\n"
                + s.log("vdagentd") + "\nvdagent log:\n" + s.log("vdagent"))
        else:
            say("\nall steps passed")
        if os.environ.get("MAIN_JOB_EXIT") != "1" and not failures:
            say(f"\nConnect by hand:  remote-viewer spice://127.0.0.1:"
                f"{s.x.spice_port}\n(Ctrl-C stops Xspice, vdagentd and "
                "vdagent)")
            while True:
                signal.pause()
    except KeyboardInterrupt:
        say("stopping")
    finally:
        s.stop()
    return 1 if failures else 0


def on_term(sig, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    # Ctrl-C and SIGTERM stop the stack, also when started with them ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_term)
    sys.exit(main())
