#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The mouse path of our vdagentd next to the reference spice-vdagentd.

One harness plays everything around a daemon, the same way for both:
  - the port: a unix socket the daemon connects to (-s), as Xspice offers;
    the harness sends MOUSE_STATE messages from the client, one per chunk;
  - fake uinput: a FIFO (-f -u) the harness reads struct input_event from;
  - the session agent: a small agent speaking the daemon's IPC (ours:
    protocol/vdp-ipc.h; the reference: its udscs socket) that reports a
    desktop of two displays, 1024x768+0+0 and 800x600+1024+0.

It prints, per daemon, in alternating rounds:
  - whether both produce the same pointer event records for the same input
    (bare SYN_REPORTs, which the reference sends for unchanged states, are
    not counted as events);
  - daemon CPU per mouse message, utime+stime from /proc/PID/stat (10 ms
    ticks) and the scheduler's exact runtime (/proc/PID/task/*/schedstat);
  - idle RSS (VmRSS) and context switches over a few idle seconds.
Figures only: nothing here is a timed assertion.  Exit status 1 only when a
daemon cannot be run at all or the event records differ.
"""

import argparse
import ctypes
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

EV_SYN, EV_KEY, EV_REL, EV_ABS = 0, 1, 2, 3
SYN_REPORT = 0
EVENT = struct.Struct("<qqHHi")  # struct input_event on 64-bit Linux
assert EVENT.size == 24

# Agent protocol (spice/vd_agent.h facts)
VD_AGENT_MOUSE_STATE = 1
VD_AGENT_ANNOUNCE_CAPABILITIES = 6
PORT_CLIENT = 1
BTN = {"left": 1 << 1, "middle": 1 << 2, "right": 1 << 3, "up": 1 << 4,
       "down": 1 << 5, "side": 1 << 6, "extra": 1 << 7}

DISPLAYS = [  # id, x, y, width, height
    (0, 0, 0, 1024, 768),
    (1, 1024, 0, 800, 600),
]
DESKTOP = (1824, 768)
TIMEOUT = 10.0


def agent_message(mtype, payload):
    msg = struct.pack("<IIQI", 1, mtype, 0, len(payload)) + payload
    return struct.pack("<II", PORT_CLIENT, len(msg)) + msg


def mouse_message(x, y, buttons, display):
    return agent_message(VD_AGENT_MOUSE_STATE,
                         struct.pack("<IIIB", x, y, buttons, display))


def wait_for(cond, what, timeout=TIMEOUT):
    # Polls a condition that has no fd to wait on (a path appearing).
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.005)


class Drain(threading.Thread):
    """Reads and discards whatever a socket sends, so the peer never blocks.

    It waits in select() for input, as spice-server's poll loop does, not
    in a blocking recv(): a thread asleep in recv() on the socket the
    harness also sends on is woken each time the daemon reads (the kernel
    signals "writable" on that socket's wait queue, and a recv() waiter
    does not filter events), and the daemon pays for that wakeup in its
    own read() on every message."""

    def __init__(self, sock):
        super().__init__(daemon=True)
        self.sock = sock
        self.received = 0

    def run(self):
        import select
        try:
            while True:
                select.select([self.sock], [], [])
                b = self.sock.recv(65536)
                if not b:
                    return
                self.received += len(b)
        except OSError:
            return


class Fifo:
    def __init__(self, path):
        self.path = path
        os.mkfifo(path, 0o600)
        # Open before the daemon: the reference opens its end blocking.
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.buf = b""

    def read_records(self, n, timeout=TIMEOUT):
        """Wait for n more records (type, code, value, sec, usec)."""
        import select
        want = n * EVENT.size
        end = time.monotonic() + timeout
        while len(self.buf) < want:
            left = end - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    b = os.read(self.fd, 1 << 16)
                except BlockingIOError:
                    continue
                self.buf += b
        take = min(len(self.buf), want) // EVENT.size * EVENT.size
        chunk, self.buf = self.buf[:take], self.buf[take:]
        out = []
        for i in range(0, len(chunk), EVENT.size):
            sec, usec, t, c, v = EVENT.unpack_from(chunk, i)
            out.append((t, c, v, sec, usec))
        return out

    def read_until(self, pred, timeout=TIMEOUT):
        """Records up to and including the first one for which pred is true."""
        out = []
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for rec in self.read_records(1, end - time.monotonic()):
                out.append(rec)
                if pred(rec):
                    return out
        raise RuntimeError("timed out reading the FIFO (%d records)" % len(out))

    def close(self):
        os.close(self.fd)


def connect_unix(path):
    # The path exists from bind(); listen() may not have happened yet.
    end = time.monotonic() + TIMEOUT
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except ConnectionRefusedError:
            sock.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.005)


class OurAgent:
    """A session agent on our IPC (protocol/vdp-ipc.h): HELLO, SCREEN_LAYOUT."""

    def __init__(self, path):
        self.sock = connect_unix(path)
        text = b"bench-mouse agent"
        hello = struct.pack("<II", 1, 0) + text
        layout = struct.pack("<III", DESKTOP[0], DESKTOP[1], len(DISPLAYS))
        for d in DISPLAYS:
            layout += struct.pack("<IiiII", *d)
        self.sock.sendall(struct.pack("<II", 1, len(hello)) + hello +
                          struct.pack("<II", 2, len(layout)) + layout)
        self.drain = Drain(self.sock)
        self.drain.start()

    def close(self):
        self.sock.close()


class RefAgent:
    """A session agent on the reference's udscs socket: header {type, arg1,
    arg2, size} (native u32), GUEST_XORG_RESOLUTION (type 0) with arg1/arg2
    the desktop size and {int width, height, x, y, display_id} per display."""

    def __init__(self, path):
        self.sock = connect_unix(path)
        data = b"".join(struct.pack("=iiiii", w, h, x, y, i)
                        for (i, x, y, w, h) in DISPLAYS)
        self.sock.sendall(struct.pack("=IIII", 0, DESKTOP[0], DESKTOP[1],
                                      len(data)) + data)
        self.drain = Drain(self.sock)
        self.drain.start()

    def close(self):
        self.sock.close()


def proc_cpu(pid):
    """(utime+stime in seconds from /proc/PID/stat, exact ns of all threads)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    ns = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                ns += int(f.read().split()[0])
        except OSError:
            pass
    return ticks / os.sysconf("SC_CLK_TCK"), ns


def proc_status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def ctx_switches(pid):
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if "ctxt_switches" in line:
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def die_with_parent():
    # PR_SET_PDEATHSIG: a daemon never outlives a harness that was killed.
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)


class Daemon:
    def __init__(self, kind, binary, workdir, prefix=()):
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix="bench-mouse-%s-" % kind, dir=workdir)
        self.port_path = os.path.join(self.dir, "port")
        self.ipc_path = os.path.join(self.dir, "ipc")
        self.log_path = os.path.join(self.dir, "log")
        self.fifo = Fifo(os.path.join(self.dir, "uinput"))
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.port_path)
        self.listener.listen(1)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            list(prefix) + [binary, "-x", "-X", "-f", "-u", self.fifo.path,
             "-s", self.port_path, "-S", self.ipc_path],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            preexec_fn=die_with_parent)
        self.pid = self.proc.pid
        self.agent = None
        self.port = None
        try:
            wait_for(lambda: os.path.exists(self.ipc_path) or
                     self.proc.poll() is not None, "the IPC socket")
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %d" % (kind, self.proc.returncode))
            self.agent = (OurAgent if kind == "ours" else RefAgent)(self.ipc_path)
            self.listener.settimeout(TIMEOUT)
            self.port, _ = self.listener.accept()
            self.port.settimeout(None)
            # Answer the daemon's announcement as a client would.
            caps = sum(1 << b for b in range(0, 18))
            self.port.sendall(agent_message(VD_AGENT_ANNOUNCE_CAPABILITIES,
                                            struct.pack("<II", 0, caps)))
            self.port_drain = Drain(self.port)
            self.port_drain.start()
        except Exception:
            self.stop()
            raise

    def send(self, data):
        self.port.sendall(data)

    def sync(self, serial):
        """Move to a unique point and wait for it: everything before is out."""
        x = 1000 + serial % 1000
        y = 700 - serial % 500
        self.send(mouse_message(x, y, 0, 0))
        return self.fifo.read_until(lambda r: r[0] == EV_ABS and r[1] == 1 and
                                    r[2] == y)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for s in (self.port, self.agent, self.listener):
            if s:
                s.close()
        self.fifo.close()
        self.log.close()

    def log_tail(self):
        with open(self.log_path, "rb") as f:
            return f.read()[-2000:].decode(errors="replace")


def pattern():
    """The input of the equality check: moves, every button, the wheel, the
    second display, unchanged states; first point non-zero on both axes."""
    s = []
    s.append((10, 20, 0, 0))
    s.append((10, 20, 0, 0))                 # unchanged
    s.append((11, 20, 0, 0))
    s.append((11, 25, 0, 0))
    for name in ("left", "middle", "right", "side", "extra"):
        s.append((11, 25, BTN[name], 0))
        s.append((12, 26, BTN[name], 0))     # drag
        s.append((12, 26, 0, 0))
    s.append((12, 26, BTN["left"] | BTN["right"], 0))
    s.append((12, 26, BTN["right"], 0))
    s.append((12, 26, 0, 0))
    for name in ("up", "down"):
        s.append((12, 26, BTN[name], 0))
        s.append((12, 26, BTN[name], 0))     # held: no second step
        s.append((12, 26, 0, 0))
    s.append((5, 6, 0, 1))                   # second display
    s.append((799, 599, BTN["left"], 1))
    s.append((799, 599, 0, 1))
    s.append((1023, 767, BTN["up"] | BTN["middle"], 0))
    s.append((1023, 767, 0, 0))
    for i in range(200):
        s.append((300 + (i * 7) % 500, 100 + (i * 13) % 400,
                  BTN["left"] if i % 5 == 0 else 0, i % 2))
    s.append((1, 1, 0, 0))
    return s


def events_only(records):
    """(type, code, value) of every real event; a SYN_REPORT counts only
    when it closes a report that had events."""
    out, pending = [], False
    for t, c, v, _, _ in records:
        if t == EV_SYN:
            if pending:
                out.append((t, c, v))
            pending = False
        else:
            out.append((t, c, v))
            pending = True
    return out


def check_records(d, serial):
    """Play pattern() and return (events, raw records, bad timestamps)."""
    d.send(b"".join(mouse_message(*m) for m in pattern()))
    recs = d.sync(serial)
    bad_time = sum(1 for r in recs if r[3] or r[4])
    # Leave the device state where it started for the CPU run.
    return events_only(recs), len(recs), bad_time


def cpu_run(d, n, batch):
    """n moves, each changing both axes (ABS_X, ABS_Y, SYN): CPU seconds."""
    msgs = []
    for i in range(n):
        msgs.append(mouse_message(1 + i % 1000, 1 + (i * 7) % 700, 0, 0))
    t0, ns0 = proc_cpu(d.pid)
    wall0 = time.monotonic()
    for i in range(0, n, batch):
        part = msgs[i:i + batch]
        d.send(b"".join(part))
        got = d.fifo.read_records(3 * len(part))
        if len(got) != 3 * len(part):
            raise RuntimeError("%s: %d of %d records" % (d.kind, len(got), 3 * len(part)))
    wall = time.monotonic() - wall0
    t1, ns1 = proc_cpu(d.pid)
    return t1 - t0, (ns1 - ns0) / 1e9, wall


def burst_run(d):
    """The bug report's burst: 20 000 messages in one send, a left click
    every 100 and a wheel step every 100, into a FIFO with a 4 KiB pipe, the
    last one at a position not seen before.  Returns (seconds until the last
    position arrived or None, presses, wheel steps)."""
    import fcntl
    fcntl.fcntl(d.fifo.fd, fcntl.F_SETPIPE_SZ, 4096)
    msgs = []
    for i in range(20000):
        b = (BTN["left"] if (i // 50) % 2 == 0 else 0) | \
            (BTN["up"] if i % 100 == 25 else 0)
        msgs.append(mouse_message(i % 1000, (i // 7) % 700, b, 0))
    msgs.append(mouse_message(1010, 710, 0, 0))
    blob = b"".join(msgs)
    t0 = time.monotonic()
    # The reference stalls on the FIFO and stops reading the port: send
    # from a thread while this one reads.
    sender = threading.Thread(target=d.send, args=(blob,), daemon=True)
    sender.start()
    try:
        recs = d.fifo.read_until(lambda r: r[0] == EV_ABS and r[1] == 1 and r[2] == 710)
        took = time.monotonic() - t0
    except RuntimeError:
        recs, took = [], None
    sender.join(TIMEOUT)
    presses = sum(1 for r in recs if r[0] == EV_KEY and r[1] == 0x110 and r[2] == 1)
    wheel = sum(1 for r in recs if r[0] == EV_REL)
    return took, presses, wheel


def main():
    top_builddir = os.environ.get("top_builddir", ".")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ours", default=os.path.join(top_builddir, "vdagentd", "vdagentd"))
    ap.add_argument("--ref", default="/usr/sbin/spice-vdagentd")
    ap.add_argument("-n", type=int, default=20000, help="mouse messages per CPU run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, action="append",
                    help="messages sent per burst (repeatable; default 1 and 200)")
    ap.add_argument("--idle", type=float, default=3.0, help="idle seconds for wakeups")
    ap.add_argument("-v", action="store_true", help="print each daemon's pid")
    ap.add_argument("--only", choices=("ours", "reference"), help="run one daemon")
    ap.add_argument("--prefix", default="",
                    help="command to run the daemons under (profiling), e.g. 'strace -c -o FILE'")
    args = ap.parse_args()

    daemons = []
    for kind, binary in (("reference", args.ref), ("ours", args.ours)):
        if args.only and kind != args.only:
            continue
        if os.access(binary, os.X_OK):
            daemons.append((kind, binary))
        else:
            print("# %s daemon %s not found: skipped" % (kind, binary))
    if not daemons:
        return 1

    print("# mouse path: %s" % ", ".join("%s=%s" % d for d in daemons))
    batches = args.batch or [1, 200]
    print("# N=%d messages per CPU run, %d rounds alternating, bursts of %s"
          % (args.n, args.rounds, " and ".join(str(b) for b in batches)))
    workdir = tempfile.mkdtemp(prefix="bench-mouse-")
    res = {k: {"us_tick": {b: [] for b in batches}, "us_exact": {b: [] for b in batches},
               "rss": [], "rss_after": [], "ctx": [], "events": None, "nrec": 0,
               "burst": [],
               "bad_time": 0}
           for k, _ in daemons}
    failed = False
    try:
        for rnd in range(args.rounds):
            for kind, binary in daemons:
                try:
                    d = Daemon(kind, binary, workdir, args.prefix.split())
                    if args.v:
                        print("# %s pid %d" % (kind, d.pid), flush=True)
                except Exception as e:
                    print("# %s could not be started: %s" % (kind, e))
                    failed = True
                    continue
                try:
                    r = res[kind]
                    ev, nrec, bad = check_records(d, rnd)
                    if r["events"] is None:
                        r["events"], r["nrec"], r["bad_time"] = ev, nrec, bad
                    # idle: RSS and context switches with nothing happening
                    c0 = ctx_switches(d.pid)
                    time.sleep(args.idle)
                    r["ctx"].append(ctx_switches(d.pid) - c0)
                    r["rss"].append(proc_status(d.pid, "VmRSS"))
                    for b in batches:
                        tick, exact, wall = cpu_run(d, args.n, b)
                        r["us_tick"][b].append(tick / args.n * 1e6)
                        r["us_exact"][b].append(exact / args.n * 1e6)
                    r["rss_after"].append(proc_status(d.pid, "VmRSS"))
                    r["burst"].append(burst_run(d))
                except Exception as e:
                    print("# %s failed: %s" % (kind, e))
                    print("# log: " + d.log_tail().replace("\n", "\n# log: "))
                    failed = True
                finally:
                    d.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    med = statistics.median
    ok = [k for k, _ in daemons if res[k]["rss"]]
    print("%-10s %-28s %-22s %-22s %s" % ("", "CPU per message (us)", "", "idle VmRSS (MiB)",
                                         "idle context switches"))
    for b in batches:
        for kind in ok:
            r = res[kind]
            print("%-10s burst %-4d  %7.2f schedstat  %7.2f stat   rounds: %s"
                  % (kind, b, med(r["us_exact"][b]), med(r["us_tick"][b]),
                     " ".join("%.2f" % u for u in r["us_exact"][b])))
    for kind in ok:
        r = res[kind]
        print("%-10s idle VmRSS %5.2f MiB (after the CPU runs %5.2f MiB), context switches in %gs idle: %s"
              % (kind, med(r["rss"]) / 1024, med(r["rss_after"]) / 1024, args.idle,
                 "/".join(str(c) for c in r["ctx"])))
    for kind in ok:
        runs = res[kind]["burst"]
        print("%-10s burst of 20000 into a 4 KiB FIFO: last position after %s; "
              "presses %s of 200, wheel steps %s of 200"
              % (kind, " ".join("never" if t is None else "%.3f s" % t for t, _, _ in runs),
                 "/".join(str(p) for _, p, _ in runs), "/".join(str(w) for _, _, w in runs)))
    if "ours" in ok and "reference" in ok:
        o, f = res["ours"], res["reference"]
        to = [t for t, _, _ in o["burst"] if t is not None]
        tf = [t for t, _, _ in f["burst"] if t is not None]
        if to and tf:
            print("ratio ours/reference, time until the burst's last position: %.2f"
                  % (med(to) / med(tf)))
        for b in batches:
            print("ratio ours/reference, CPU per message, burst %d: %.2f (schedstat), %s (stat)"
                  "   [target <= 0.5]"
                  % (b, med(o["us_exact"][b]) / med(f["us_exact"][b]),
                     "%.2f" % (med(o["us_tick"][b]) / med(f["us_tick"][b]))
                     if med(f["us_tick"][b]) > 0 else "n/a"))
        print("ratio ours/reference, idle VmRSS: %.2f (%.2f vs %.2f MiB)   [target <= 4 MiB]"
              % (med(o["rss"]) / med(f["rss"]), med(o["rss"]) / 1024, med(f["rss"]) / 1024))
        same = o["events"] == f["events"]
        print("pointer events identical for the same input: %s (%d events; records "
              "written: ours %d, reference %d; non-zero timestamps: ours %d, reference %d)"
              % ("yes" if same else "NO", len(f["events"] or []), o["nrec"], f["nrec"],
                 o["bad_time"], f["bad_time"]))
        if not same:
            failed = True
            a, b = o["events"] or [], f["events"] or []
            for i in range(max(len(a), len(b))):
                if i >= len(a) or i >= len(b) or a[i] != b[i]:
                    print("# first difference at event %d: ours %s, reference %s"
                          % (i, a[i] if i < len(a) else None, b[i] if i < len(b) else None))
                    break
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
