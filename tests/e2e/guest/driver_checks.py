# SPDX-License-Identifier: MIT
"""The guest's port driver in test-guest: which drivers the boots run on
(GUEST_PORT_DRIVER=kernel|ours, unset: both), TAP names that say which one
a check ran on, and the checks of our driver (virtio-serial-driver/)."""

import hashlib
import os
import re

import vdatest as vt

DRIVERS = ("kernel", "ours")
MODULE = "vdagent_vserial"


class DriverTap(vt.Tap):
    """A Tap whose check names start with the driver of the boot."""

    def __init__(self):
        super().__init__()
        self.driver = None

    def ok(self, cond, what):
        if self.driver:
            what = f"[{self.driver}] {what}"
        return super().ok(cond, what)

    def skip(self, what, why):
        self.n += 1
        prefix = f"[{self.driver}] " if self.driver else ""
        print(f"ok {self.n} - {prefix}{what} # SKIP {why}", flush=True)


def drivers_from_env(tap, outdir):
    """The drivers to boot on: GUEST_PORT_DRIVER, else both.  Ours needs
    the module build-guest.sh built (outdir/vserial): without it, an
    explicit request fails and an implicit one is skipped."""
    env = os.environ.get("GUEST_PORT_DRIVER", "").strip()
    if env and env not in DRIVERS:
        tap.ok(False, f"GUEST_PORT_DRIVER={env!r} is kernel or ours")
        return []
    wanted = [env] if env else list(DRIVERS)
    if "ours" in wanted and not os.path.exists(
            os.path.join(outdir, "vserial", f"{MODULE}.ko")):
        try:
            with open(os.path.join(outdir, "vserial", "status")) as f:
                why = f.read().strip().splitlines()[-1]
        except (OSError, IndexError):
            why = "not built"
        if env:
            tap.ok(False, f"[ours] {MODULE}.ko built against the guest "
                   f"kernel: {why}")
        else:
            tap.skip(f"boots on {MODULE}", f"module not built: {why}")
        wanted.remove("ours")
    return wanted


def check_port_driver(tap, g, driver, name):
    """After boot: the port is served by the driver the boot is for, and
    the other one is not loaded."""
    rc, out = g.run("for d in /sys/bus/virtio/devices/*; do "
                    "test \"$(cat $d/device)\" = 0x0003 && "
                    "basename $(readlink $d/driver); done; "
                    "ls /sys/module | grep -E '^(virtio_console|"
                    f"{MODULE})$' | sed 's/^/loaded /'")
    bound = [ln for ln in out if not ln.startswith("loaded ")]
    loaded = [ln[7:] for ln in out if ln.startswith("loaded ")]
    want = MODULE if driver == "ours" else "virtio_console"
    tap.ok(bound == [want] and loaded == [want],
           f"{name}: the virtio-serial device is bound to {want}, "
           f"the only one loaded (bound {bound}, loaded {loaded})")


DMESG_BAD = re.compile(r"WARNING:|BUG:|Oops|Call Trace|kmemleak|"
                       r"memory leak|refcount_t:|list_del corruption|"
                       r"general protection|circular locking|UBSAN|KASAN|"
                       r"INFO: task .* blocked|vdagent_vserial.*(leak|lost)")


def check_dmesg(tap, g, name):
    """No warning, oops or leak report in the guest kernel's log."""
    rc, out = g.run("dmesg")
    bad = [ln for ln in out if DMESG_BAD.search(ln)]
    tap.ok(rc == 0 and not bad,
           f"{name}: dmesg has no warning, oops or leak report")
    if bad:
        tap.diag("\n".join(bad[:40]))
    return out


# ---- the driver boot: our module's own checks --------------------------------

CAP_CLIPBOARD_BY_DEMAND = 5  # VD_AGENT_CAP_CLIPBOARD_BY_DEMAND
TEST_NAME = "org.vdagent.test"
TEST_DEV = f"/dev/virtio-ports/{TEST_NAME}"
TEST_PORT = ("virtserialport,bus=vser2.0,chardev=tport,"
             f"name={TEST_NAME},id=testport")


_BLOCKS = [bytes(((7 * j + k) & 0xff) for j in range(4096))
           for k in range(256)]


def pattern(start, n):
    """The bytes vport-check writes and expects: byte i is
    (i * 7 + i // 4096) & 0xff."""
    out = bytearray()
    i = start
    while len(out) < n:
        blk, j = divmod(i, 4096)
        k = min(4096 - j, n - len(out))
        out += _BLOCKS[blk & 0xff][j:j + k]
        i += k
    return bytes(out)


class HostPort:
    """The host end of the test port: a client of QEMU's socket chardev."""

    def __init__(self, path):
        self.path = path
        self.sock = None

    def connect(self, timeout=30):
        import socket
        import time
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(self.path)
                self.sock = s
                return True
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.05)

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def send(self, data):
        self.sock.settimeout(120)
        self.sock.sendall(data)

    def read_check(self, n, timeout=180):
        """Read n bytes and compare them with the pattern: (bytes read,
        matches, seconds from first byte to last)."""
        import time
        self.sock.settimeout(timeout)
        got, ok, t0 = 0, True, None
        while got < n:
            try:
                b = self.sock.recv(min(1 << 16, n - got))
            except OSError:
                break
            if not b:
                break
            if t0 is None:
                t0 = time.monotonic()
            ok = ok and b == pattern(got, len(b))
            got += len(b)
        return got, ok, (time.monotonic() - t0) if t0 else 0.0


# where a blocked reader or writer sleeps: a function of the driver
WCHAN = {"ours": ("vser_",), "kernel": ("port_fops_", "wait_port_")}


def _wchan_blocked(g, pids, driver):
    rc, out = g.run("for p in " + " ".join(pids) +
                    "; do echo $(cat /proc/$p/wchan)$(cut -d' ' -f3 "
                    "/proc/$p/stat); done")
    return len(out) == len(pids) and all(
        any(w in ln for w in WCHAN[driver]) and ln.endswith("S")
        for ln in out)


def _blocked_pair(tap, g, what, since, driver):
    """vport-check block runs in the guest: wait until both its reader and
    its writer sleep in our driver.  Their pids, or None."""
    import time
    r = g.wait_line(r"^BLOCK reader (\d+)$", since, 30)
    w = g.wait_line(r"^BLOCK writer (\d+)$", since, 30)
    if not (r and w):
        tap.ok(False, f"{what}: a reader and a writer started")
        return None
    pids = [r.group(1), w.group(1)]
    deadline = time.monotonic() + 60
    ok = False
    while time.monotonic() < deadline:
        if _wchan_blocked(g, pids, driver):
            ok = True
            break
        time.sleep(0.2)
    tap.ok(ok, f"{what}: reader and writer block in the driver "
           "(the host neither sends nor reads)")
    return pids if ok else None


def _woken(tap, g, since, what):
    tap.ok(g.wait_line(r"^BLOCK reader done -1 ENODEV$", since, 60)
           is not None, f"{what}: the blocked reader wakes with ENODEV")
    tap.ok(g.wait_line(r"^BLOCK writer done ENODEV$", since, 60)
           is not None, f"{what}: the blocked writer wakes with ENODEV")
    tap.ok(g.wait_line(r"^BLOCK closed$", since, 30) is not None,
           f"{what}: the port file closes")


def _one(g, cmd, timeout=60):
    rc, out = g.run(cmd, timeout)
    return rc, (out[-1] if out else "")


def _guest_to_host(g, host, n, timeout, join):
    """vport-check write of n pattern bytes while the host reads and checks
    them (waiting timeout for the guest, then join for the host): (the
    guest's last line, bytes the host read, all matched)."""
    import threading
    res = {}
    th = threading.Thread(target=lambda: res.update(
        r=host.read_check(n)), daemon=True)
    th.start()
    rc, last = _one(g, f"vport-check write {TEST_DEV} {n}", timeout)
    th.join(join)
    got, same, secs = res.get("r", (0, False, 0))
    return last, got, same


def driver_boot(tap, gu, sc, kernel, initrd, tmp, step, driver="ours"):
    """One boot with a second, legacy-only virtio-serial device behind a
    hot-plug PCIe port, holding a console port (which ours refuses) and a
    test port on a socket chardev.  On the kernel's driver the same checks
    (but those of our module only) show the two behave alike."""
    import os
    import time
    name = "port driver checks"
    sock = os.path.join(tmp, "tport.sock")
    extra = ["-device", "pcie-root-port,id=vrp,bus=pcie.0,chassis=7",
             "-device", "virtio-serial-pci,id=vser2,bus=vrp,"
             "disable-legacy=off,disable-modern=on,max_ports=4",
             "-chardev", f"socket,id=tport,path={sock},server=on,wait=off",
             "-device", TEST_PORT,
             "-chardev", "null,id=tcon",
             "-device", "virtconsole,bus=vser2.0,chardev=tcon,id=tcon0"]
    t0 = time.monotonic()
    try:
        g = gu.Guest(kernel, initrd, tmp, "spice", "dummy",
                     port_driver=driver, extra_args=extra)
    except RuntimeError as e:
        tap.ok(False, f"{name}: QEMU starts")
        tap.diag(str(e))
        return
    hosts = [HostPort(sock)]
    failed = tap.failed
    try:
        ready = g.wait_line(r"^GUEST ready$", 0, 90)
        tap.ok(ready is not None, f"{name}: guest booted "
               f"({time.monotonic() - t0:.1f} s)")
        if ready:
            _driver_steps(tap, g, sc, hosts, step, driver)
    except Exception as e:
        tap.ok(False, f"{name}: steps ran to the end: {e!r}")
    finally:
        for h in hosts:
            h.close()
        g.stop()
        tap.diag(f"{name}: QEMU ran {time.monotonic() - t0:.1f} s")
        if tap.failed > failed:
            tap.diag(f"{name}: guest console:\n{g.log()}")


def _driver_steps(tap, g, sc, hosts, step, driver):
    host = hosts[0]
    import time
    vt_wait = vt.wait_for

    mod = MODULE if driver == "ours" else "virtio_console"
    step(f"both virtio-serial devices on {mod}; modern and legacy")
    rc, out = g.run("for d in /sys/bus/virtio/devices/*; do "
                    "test \"$(cat $d/device)\" = 0x0003 || continue; "
                    "echo $(basename $(readlink $d/driver)) "
                    "$(cut -c33 $d/features); done")
    tap.ok(sorted(out) == [f"{mod} 0", f"{mod} 1"],
           f"two virtio console devices bound to {mod}, one legacy "
           f"and one modern (driver, VERSION_1: {out})")
    tap.ok(g.wait_line(rf"^HOTPLUG (add|change) vport\d+p\d+ .*{TEST_DEV}",
                       0, 30) is not None,
           f"udev names the test port {TEST_DEV} (the name attribute)")
    if driver == "ours":
        rc, out = g.run("dmesg | grep -c 'port 0 is a console port'; "
                        "ls /dev | grep -c 'vport.*p0$'")
        tap.ok(out == ["1", "0"], "the console port is refused with a log "
               f"line and gets no device node ({out})")
        rc, out = g.run(f"modinfo /lib/vserial/{MODULE}.ko")
        info = "\n".join(out)
        tap.ok(rc == 0 and all(k in info for k in (
            "description:", "Dual MIT/GPL", "tx_limit", "rx_pages",
            "alias:", "virtio:d00000003v")),
            "modinfo: description, licence, parameters, device alias")
        if rc == 0:
            tap.diag(info)

    if sc is not None:
        step("the SPICE client connects and disconnects, traffic each time")
        for i in range(3):
            since = g.mark()

            def steps(c, i=i):
                # the client sends grabs once the agent's capabilities came
                ok = vt_wait(c.agent_connected, 60, 0.1) and \
                    vt_wait(lambda: c.mouse_mode() == 2, 30, 0.1) and \
                    vt_wait(lambda: c.loop_call(
                        c.main.agent_test_capability,
                        CAP_CLIPBOARD_BY_DEMAND), 30, 0.1)
                text = f"round {i} ✓\n".encode() * (200 * (i + 1))
                c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text})
                ok2 = vt_wait(lambda: g.run(
                    "xclip -o -selection clipboard | md5sum")[1][:1] ==
                    [hashlib.md5(text).hexdigest() + "  -"],
                    30, 0.3)
                g.run("echo guest-round-%d | xclip -i -selection clipboard "
                      ">/dev/null 2>&1" % i)
                grab = c.wait_event("grab", lambda e: e[1] ==
                                    sc.SEL_CLIPBOARD, 30)
                if grab:
                    c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
                d = c.wait_event("data", lambda e: e[1] ==
                                 sc.SEL_CLIPBOARD, 30)
                return ok, ok2, d is not None and \
                    d[3] == f"guest-round-{i}\n".encode()
            ok, ok2, ok3 = sc.Client(g.spice_port).run(steps)
            tap.ok(ok and ok2 and ok3, f"client connection {i + 1}: agent "
                   f"connected {ok}, clipboard client -> guest {ok2}, "
                   f"guest -> client {ok3}")

    step("the test port while the host side is closed")
    # virtio_console also says IN there (a read would not block: EOF)
    got = _one(g, f"vport-check poll {TEST_DEV} 0")[1]
    tap.ok(got == "POLL hup" or (driver == "kernel" and got == "POLL in hup"),
           f"poll: HUP and no OUT while the host side is closed ({got})")
    tap.eq(_one(g, f"vport-check nbread {TEST_DEV}")[1], "NBREAD 0 -",
           "read: end of file while the host side is closed")
    tap.eq(_one(g, f"vport-check busy {TEST_DEV}")[1], "BUSY EBUSY",
           "a second open while open: EBUSY")
    t = time.monotonic()
    rc, last = _one(g, f"vport-check openloop {TEST_DEV} 1000", 300)
    tap.eq(last, "OPENLOOP 1000 0 -",
           f"open and close 1000 times ({time.monotonic() - t:.1f} s)")

    step("hang-up and reopen of the host side, seen by poll")
    since = g.mark()
    g.run(f"vport-check waitpoll {TEST_DEV} 120000 hup nohup hup nohup in "
          ">/dev/console 2>&1 &")
    tap.ok(g.wait_line(r"^WAITPOLL got hup$", since, 30) is not None,
           "poll: HUP before the host connects")
    host.connect()
    tap.ok(g.wait_line(r"^WAITPOLL got nohup$", since, 30) is not None,
           "poll: HUP clears when the host connects")
    m = g.mark()  # before the close: the guest may answer at once
    host.close()
    tap.ok(g.wait_line(r"^WAITPOLL got hup$", m, 30) is not None,
           "poll: HUP again when the host leaves")
    m = g.mark()
    host.connect()
    tap.ok(g.wait_line(r"^WAITPOLL got nohup$", m, 30) is not None,
           "poll: HUP clears when the host reconnects")
    host.send(b"x")
    tap.ok(g.wait_line(r"^WAITPOLL got in$", m, 30) is not None,
           "poll: IN with data from the reconnected host")
    tap.eq(_one(g, f"vport-check poll {TEST_DEV} 0")[1], "POLL out",
           "poll: OUT and no HUP with the host connected")
    tap.eq(_one(g, f"vport-check nbread {TEST_DEV}")[1],
           "NBREAD -1 EAGAIN", "non-blocking read without data: EAGAIN")

    step("the host side leaves and returns before the reader looks")
    # the reader must see the first session end: one end of file among the
    # data; virtio_console loses it when the host is back before the
    # reader reads.  Where it falls is the device's order of the data and
    # control queues, which virtio does not define ("a|b" or "ab|")
    host.close()
    g.run("rm -f /tmp/late; mkfifo /tmp/late")
    since = g.mark()
    g.run(f"vport-check lateread {TEST_DEV} /tmp/late >/dev/console 2>&1 &")
    opened = g.wait_line(r"^LATE opened$", since, 30) is not None
    host.connect()
    host.send(b"a")
    host.close()
    host.connect()
    host.send(b"b")
    # the guest's console command comes after the port's events
    g.run("echo go > /tmp/late")
    m = g.wait_line(r"^LATE ([ab|]+)$", since, 30)
    got = m.group(1) if m else None
    if driver == "kernel":
        tap.diag(f"virtio_console: a late reader reads {got!r}")
    else:
        tap.ok(opened and got is not None and got.count("|") == 1 and
               got.replace("|", "") == "ab", "a late reader sees the data "
               f"and one end of file ({got!r})")

    step("data both ways, checked byte for byte")
    n = 4 << 20
    last, got, same = _guest_to_host(g, host, n, 300, 200)
    tap.ok(last.startswith(f"WROTE {n} ") and got == n and same,
           f"guest -> host: {n} bytes intact ({last}; host read {got})")
    since = g.mark()
    g.run(f"vport-check read {TEST_DEV} {n} >/dev/console 2>&1 &")
    if g.wait_line(r"^READ opened$", since, 30):
        host.send(pattern(0, n))
    m = g.wait_line(rf"^READ {n} (\S+)", since, 300)
    tap.ok(m is not None and m.group(1) == "ok",
           f"host -> guest: {n} bytes intact")

    step("fasync: SIGIO on data")
    since = g.mark()
    g.run(f"vport-check sigio {TEST_DEV} 30000 >/dev/console 2>&1 &")
    if g.wait_line(r"^SIGIO armed$", since, 30):
        host.send(b"ping")
    tap.ok(g.wait_line(r"^SIGIO 1$", since, 40) is not None,
           "SIGIO arrives when the host sends")

    step("unplug the port under a blocked reader and a blocked writer")
    since = g.mark()
    g.run(f"vport-check block {TEST_DEV} >/dev/console 2>&1 &")
    if _blocked_pair(tap, g, "port unplug", since, driver):
        g.qmp.execute("device_del", id="testport")
        tap.ok(g.qmp.wait_event("DEVICE_DELETED", 30) is not None,
               "QMP: DEVICE_DELETED (test port)")
        _woken(tap, g, since, "port unplug")
        tap.ok(g.wait_line(r"^HOTPLUG remove vport\d+p\d+ ", since, 30)
               is not None, "udev: the test port went away")
    host.close()

    step("plug it back, on a fresh chardev")
    # the old chardev, without a frontend, never noticed the host leave
    sock2 = host.path + "2"
    g.qmp.execute("chardev-add", id="tport2", backend={
        "type": "socket", "data": {
            "addr": {"type": "unix", "data": {"path": sock2}},
            "server": True, "wait": False}})
    host = HostPort(sock2)
    hosts.append(host)
    since = g.mark()
    dev = dict(x.split("=", 1) for x in TEST_PORT.split(",")[1:])
    dev["chardev"] = "tport2"
    g.qmp.execute("device_add", driver="virtserialport", **dev)
    tap.ok(g.wait_line(rf"^HOTPLUG (add|change) vport\d+p\d+ .*{TEST_DEV}",
                       since, 30) is not None, f"{TEST_DEV} is back")
    host.connect()
    n = 1 << 20
    last, got, same = _guest_to_host(g, host, n, 120, 120)
    tap.ok(got == n and same, f"after the replug: {n} bytes guest -> host "
           f"({last}; host read {got})")

    step("unplug the whole virtio-serial device under blocked waiters")
    since = g.mark()
    g.run(f"vport-check block {TEST_DEV} >/dev/console 2>&1 &")
    if _blocked_pair(tap, g, "device unplug", since, driver):
        g.qmp.execute("device_del", id="vser2")
        tap.ok(g.qmp.wait_event("DEVICE_DELETED", 60) is not None,
               "QMP: DEVICE_DELETED (virtio-serial device)")
        _woken(tap, g, since, "device unplug")
    host.close()
    rc, out = g.run("ls /sys/bus/virtio/drivers/" + mod +
                    " | grep -c virtio")
    tap.eq(out, ["1"], f"one virtio console device left on {mod}")

    step("module unload")
    rc, out = g.run(f"rmmod {mod}; echo rc=$?; "
                    f"test -d /sys/module/{mod} && echo loaded")
    tap.ok("rc=0" not in out and "loaded" in out,
           f"rmmod refused while vdagentd holds a port open ({out})")
    g.run("kill $(pidof vdagentd)")
    ok = vt_wait(lambda: g.run("pidof vdagentd")[0] == 1, 30, 0.2)
    tap.ok(ok, "vdagentd stopped (the agent port is closed)")
    rc, out = g.run(f"rmmod {mod}; echo rc=$?; "
                    f"test -d /sys/module/{mod} || echo gone; "
                    "ls /dev/virtio-ports 2>/dev/null | wc -l")
    tap.eq(out[-3:], ["rc=0", "gone", "0"],
           "rmmod succeeds with no port open; the nodes are gone")
    check_dmesg(tap, g, "port driver checks")
