# SPDX-License-Identifier: MIT
"""The systemd boot of the guest test (test-guest-systemd, or
`GUEST_BOOT=systemd test-guest`): what users get from our Debian package.

1. scripts/build-deb.sh builds the .deb (cached by its sources), lintian
   clean; `apt-get install ./vdagent_*.deb` in a fresh `debootstrap
   --variant=minbase bookworm` chroot pulls in exactly the libraries its
   programs need.
2. build-image.sh makes a Debian root with systemd, logind, an X session and
   the .deb installed (cached), booted with the Debian kernel under QEMU TCG
   with qxl, virtio-serial and spicevmc, spice-gtk on the host:
   - udev and systemd start the daemon through our rule and units;
   - alice logs in on tty1 (getty autologin, startx, rootless Xorg through
     logind); our XDG autostart file starts the agent, the daemon
     authenticates it through logind and routes to it; bob's session on
     tty2 (Xvfb, same autostart) gets nothing while it is not active;
   - mouse, clipboard both ways, a resize; SESSION_LOCKED when locked;
   - port unplug/replug, `systemctl restart vdagentd` and a restart of
     systemd-logind with the client connected.

A failure prints the guest's console log and journal."""

import base64
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import guest as gu  # noqa: E402
import vdatest as vt  # noqa: E402

CACHE = os.environ.get("VDAGENT_SYSTEMD_GUEST_CACHE",
                       "/var/tmp/vdagent-systemd-guest")
ALICE = "runuser -u alice -- env DISPLAY=:0 XAUTHORITY=/home/alice/.Xauthority "
BOB = "runuser -u bob -- env DISPLAY=:5 "


def step(what):
    print(f"# --- {what}", flush=True)


def sh(argv, timeout=1800, env=None):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                       env=env)
    return r.returncode, r.stdout + r.stderr


# ---- 1. the package ---------------------------------------------------------

def build_deb(tap):
    step("the package: scripts/build-deb.sh")
    t0 = time.monotonic()
    out = os.path.join(CACHE, "deb")
    env = dict(os.environ, BUILD_DEB_NO_DEPS="1")
    rc, log = sh(["/bin/sh", os.path.join(SRC, "scripts/build-deb.sh"), out],
                 env=env)
    debs = sorted(glob.glob(os.path.join(out, "vdagent_*.deb")))
    if not tap.ok(rc == 0 and debs, f"build-deb.sh: dpkg-buildpackage and "
                  f"lintian clean ({time.monotonic() - t0:.0f} s)"):
        tap.diag(log[-3000:])
        return None
    tap.diag(log.strip().splitlines()[0])
    return debs[-1]


def chroot_install(tap, deb):
    """A fresh minbase chroot: apt-get install ./vdagent_*.deb."""
    step("apt-get install ./vdagent_*.deb in a fresh minbase chroot")
    t0 = time.monotonic()
    root = tempfile.mkdtemp(prefix="vdagent-chroot-", dir="/var/tmp")
    try:
        # a fresh minbase root, kept as a tarball for a week
        tarball = os.path.join(CACHE, "minbase-bookworm.tar")
        fresh = (os.path.exists(tarball) and
                 time.time() - os.path.getmtime(tarball) < 7 * 86400)
        if fresh:
            rc, log = sh(["tar", "-x", "-C", root, "-f", tarball])
        else:
            os.makedirs(os.path.join(CACHE, "apt"), exist_ok=True)
            rc, log = sh(["debootstrap", "--variant=minbase",
                          f"--cache-dir={CACHE}/apt", "bookworm", root,
                          mirror()])
            if rc == 0:
                rc, log = sh(["tar", "-c", "-C", root, "-f", tarball + ".tmp",
                              "."])
                os.replace(tarball + ".tmp", tarball)
        if not tap.ok(rc == 0, "debootstrap --variant=minbase bookworm" +
                      (" (cached root)" if fresh else "")):
            tap.diag(log[-2000:])
            return
        shutil.copy("/etc/resolv.conf", os.path.join(root, "etc"))
        shutil.copy(deb, os.path.join(root, "tmp"))
        before = set(dpkg_list(root))
        name = os.path.basename(deb)
        rc, log = sh(["chroot", root, "sh", "-c",
                      "apt-get update -q && DEBIAN_FRONTEND=noninteractive "
                      f"apt-get install -y -q ./tmp/{name}"])
        # apt-get runs in the chroot's cwd, /
        if not tap.ok(rc == 0, f"apt-get install ./{name} "
                      f"({time.monotonic() - t0:.0f} s with debootstrap)"):
            tap.diag(log[-3000:])
            return
        new = sorted(set(dpkg_list(root)) - before - {"vdagent"})
        tap.diag("pulled in: " + " ".join(new))
        # every library the programs load resolves in the chroot
        rc, log = sh(["chroot", root, "sh", "-c",
                      "ldd /usr/sbin/vdagentd /usr/bin/vdagent "
                      "/usr/bin/vdagent-dump"])
        tap.ok(rc == 0 and "not found" not in log,
               "ldd: every library of vdagentd, vdagent, vdagent-dump found")
        # the packages Depends names are exactly the owners of the
        # libraries the programs link (NEEDED), plus init-system-helpers
        # for the maintainer scripts
        rc, needed = sh(["sh", "-c",
                         f"objdump -p {root}/usr/sbin/vdagentd "
                         f"{root}/usr/bin/vdagent {root}/usr/bin/vdagent-dump"
                         " | sed -n 's/^ *NEEDED *//p' | sort -u"])
        owners = set()
        for so in needed.split():
            rc, o = sh(["chroot", root, "dpkg", "-S", f"*/{so}"])
            owners |= {ln.split(":")[0] for ln in o.splitlines()
                       if ln.strip() and rc == 0}
        rc, dep = sh(["chroot", root, "dpkg-query", "-W",
                      "-f=${Depends}", "vdagent"])
        depends = {d.split()[0].split(":")[0]
                   for d in dep.split(",") if d.strip()}
        ok = depends - {"init-system-helpers"} == owners
        if not tap.ok(ok, "Depends is exactly the packages of the linked "
                      f"libraries: {' '.join(sorted(depends))}"):
            tap.diag(f"libraries from: {' '.join(sorted(owners))}")
        rc, out = sh(["chroot", root, "dpkg-query", "-W",
                      "-f=${Status}", "vdagent"])
        tap.ok(out == "install ok installed",
               f"dpkg: vdagent '{out}'")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def dpkg_list(root):
    rc, out = sh(["chroot", root, "dpkg-query", "-W", "-f=${Package}\n"])
    return out.split()


def mirror():
    try:
        with open("/etc/apt/sources.list.d/debian.sources") as f:
            for ln in f:
                m = re.match(r"URIs:\s*(\S+/debian)/?\s*$", ln)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return "http://deb.debian.org/debian"


# ---- 2. the systemd guest ----------------------------------------------------

class SystemdGuest(gu.Guest):
    """gu.Guest's console, command and QMP helpers on a disk image booted
    into systemd (the command server is test-console.service)."""

    def __init__(self, img, tmpdir):
        import threading
        self.tmp = tmpdir
        self.lines = []
        self.cond = threading.Condition()
        self.next_id = 0
        self.qmp_path = os.path.join(tmpdir, "qmp-systemd.sock")
        self.t0 = time.monotonic()
        self.spice_port = gu.free_port()
        self.argv = [
            gu.QEMU, "-machine", "q35,accel=tcg", "-smp", "2", "-m", "1024",
            "-nodefaults", "-no-user-config", "-no-reboot",
            "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-kernel", os.path.join(img, "vmlinuz"),
            "-initrd", os.path.join(img, "initrd.cpio"),
            "-append", f"{gu.KERNEL_ARGS} systemd.show_status=false",
            "-drive", f"file={os.path.join(img, 'root.ext4')},if=virtio,"
            "format=raw,snapshot=on",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            "-vga", "qxl",
            "-spice", f"port={self.spice_port},addr=127.0.0.1,"
            "disable-ticketing=on",
            "-device", "virtio-serial-pci,id=vser",
            "-chardev", "spicevmc,id=vdagent,name=vdagent",
            "-device", self.PORT_DEVICE]
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._reader, daemon=True).start()
        try:
            self.qmp = gu.Qmp(self.qmp_path)
        except Exception as e:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"no QMP from QEMU ({e!r}):\n{self.log()}")

    def out(self, cmd, timeout=30):
        rc, lines = self.run(cmd, timeout)
        return rc, "\n".join(lines)

    def journal_wait(self, pattern, unit="vdagentd", since="", timeout=60):
        """The first journal line of unit matching the regex."""
        rx = re.compile(pattern)
        found = []

        def look():
            rc, out = self.out(f"journalctl -q -o cat -u {unit} {since}")
            found[:] = [ln for ln in out.splitlines() if rx.search(ln)]
            return bool(found)
        vt.wait_for(look, timeout, 0.5)
        return found[0] if found else None


def build_image(tap, deb, mode=""):
    step(f"the guest image{' for the upgrade' if mode else ''}: "
         "build-image.sh (debootstrap, dpkg, mke2fs -d)")
    t0 = time.monotonic()
    out = os.path.join(CACHE, "image" + (f"-{mode}" if mode else ""))
    r = subprocess.run(["/bin/sh", os.path.join(HERE, "build-image.sh"),
                        SRC, deb, CACHE, out] + ([mode] if mode else []),
                       capture_output=True, text=True)
    if r.returncode == 77:
        return None, r.stderr.strip()
    if not tap.ok(r.returncode == 0, f"guest image built "
                  f"({time.monotonic() - t0:.0f} s)"):
        tap.diag((r.stdout + r.stderr)[-3000:])
        return None, None
    return out, None


def guest_clip(g, who, target=None):
    t = f" -t {target}" if target else ""
    rc, out = g.run(f"{who}xclip -o -selection clipboard{t} | base64")
    if rc != 0:
        return None
    try:
        return base64.b64decode("".join(out))
    except ValueError:
        return None


def screen_size(g):
    rc, out = g.out(ALICE + "xrandr --current")
    m = re.search(r"current (\d+) x (\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def pointer(g):
    rc, out = g.out(ALICE + "xdotool getmouselocation")
    m = re.search(r"x:(\d+) y:(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def near(p, q):
    return p is not None and abs(p[0] - q[0]) <= 1 and abs(p[1] - q[1]) <= 1


def units_and_session(tap, g, c):
    step("udev and systemd start the daemon through our rule and units")
    tap.ok(vt.wait_for(c.agent_connected, 180, 0.2),
           "spice-gtk sees the guest agent connected")
    rc, out = g.out("udevadm info -q property "
                    "/dev/virtio-ports/com.redhat.spice.0")
    tap.ok("SYSTEMD_WANTS=vdagentd.socket" in out,
           "udev: the port wants vdagentd.socket (70-vdagentd.rules)")
    rc, out = g.out("systemctl is-active vdagentd.socket vdagentd.service")
    tap.ok(out.split() == ["active", "active"],
           f"systemctl: vdagentd.socket and .service active ({out.split()})")
    rc, out = g.out("systemctl show -p TriggeredBy -p MainPID "
                    "vdagentd.service")
    tap.ok("TriggeredBy=vdagentd.socket" in out,
           "vdagentd.service was triggered by vdagentd.socket")
    rc, cg = g.out("cat /proc/$(pidof vdagentd)/cgroup")
    tap.ok("/system.slice/vdagentd.service" in cg,
           f"the daemon runs in vdagentd.service ({cg.strip()})")
    rc, out = g.out("journalctl -q -o cat -u vdagentd -b | head -3")
    tap.diag("daemon: " + " / ".join(out.splitlines()))

    step("a real logind session: alice on seat0, tty1, X")
    rc, out = g.out("loginctl list-sessions --no-legend")
    tap.diag("sessions: " + " / ".join(out.splitlines()))
    sess = {}
    for ln in out.splitlines():
        f = ln.split()
        if len(f) >= 3:
            rc, p = g.out(f"loginctl show-session {f[0]} -p Name -p Seat "
                          "-p TTY -p Active -p Type")
            props = dict(x.split("=", 1) for x in p.splitlines() if "=" in x)
            sess[props.get("Name")] = (f[0], props)
    alice = sess.get("alice")
    tap.ok(alice is not None and alice[1].get("Seat") == "seat0" and
           alice[1].get("TTY") == "tty1" and alice[1].get("Active") == "yes",
           f"logind: alice's session on seat0 tty1 is active ({alice})")
    rc, out = g.out("for p in $(pgrep -x vdagent); do "
                    "echo $(stat -c %U /proc/$p) $(cat /proc/$p/cgroup); done")
    tap.diag("agents: " + " / ".join(out.splitlines()))
    tap.ok(alice is not None and re.search(
        rf"^alice .*session-{alice[0]}\.scope", out, re.M) is not None,
        "alice's agent runs in her session (started by XDG autostart)")
    line = g.journal_wait(r"ipc: agent .* uid 1000 .* session " +
                          re.escape(alice[0] if alice else "?") + "$")
    tap.ok(line is not None, f"daemon: the agent authenticated through "
           f"logind ({line})")
    line = g.journal_wait(r"router: active agent: .* -> .* uid 1000$")
    tap.ok(line is not None, f"daemon routes to it ({line})")
    return sess


def mouse_clipboard_resize(tap, g, c):
    step("client mouse through alice's session")
    tap.ok(vt.wait_for(lambda: c.mouse_mode() == 2, 30, 0.1),
           "mouse mode is client")
    size = screen_size(g)
    tap.diag(f"alice's X screen: {size}")
    w, h = size or (1024, 768)
    for x, y in ((100, 200), (w // 2, h // 3), (w - 1, h - 1)):
        c.position(x, y, 0, 0)
        # libinput scales the tablet's range to the screen: within a pixel
        ok = vt.wait_for(lambda: near(pointer(g), (x, y)), 30, 0.3)
        tap.ok(ok, f"alice's X pointer at {x},{y} within 1 px "
               f"(xdotool: {pointer(g)})")

    step("clipboard client -> guest")
    text = "Grüße aus dem Client ✓\n".encode() * 20
    c.grab(0, {1: text})
    ok = vt.wait_for(lambda: b"UTF8_STRING" in (
        guest_clip(g, ALICE, "TARGETS") or b""), 30, 0.3)
    tap.ok(ok and guest_clip(g, ALICE) == text,
           f"alice's xclip reads the client's {len(text)} bytes")
    tap.ok(guest_clip(g, BOB, "TARGETS") is None,
           "bob's inactive session got nothing (no clipboard owner on :5)")

    step("clipboard guest -> client")
    gtext = "aus der Sitzung ✓\n".encode() * 20
    b64 = base64.b64encode(gtext).decode()
    g.run(f"echo {b64} | base64 -d | {ALICE}xclip -i -selection clipboard "
          ">/dev/null 2>&1")
    grab = c.wait_event("grab", lambda e: e[1] == 0, 30)
    tap.ok(grab is not None and 1 in grab[2], "client sees alice's grab")
    c.request(0, 1)
    d = c.wait_event("data", lambda e: e[1] == 0, 30)
    tap.ok(d is not None and d[3] == gtext,
           f"client receives alice's {len(gtext)} bytes")
    # bob's grab while inactive does not reach the client
    g.run(f"echo bob | {BOB}xclip -i -selection clipboard >/dev/null 2>&1")
    tap.ok(c.wait_event("grab", lambda e: e[1] == 0, 5) is None,
           "bob's grab in his inactive session does not reach the client")

    step("client resize: qxl takes it, alice's agent follows")
    c.monitors([(1152, 720, 0, 0)])
    ok = vt.wait_for(lambda: screen_size(g) == (1152, 720), 90, 0.5)
    tap.ok(ok, f"alice's xrandr: 1152 x 720 ({screen_size(g)})")


def lock(tap, g, c, sess):
    step("a locked session refuses file transfers (SESSION_LOCKED)")
    sid = sess["alice"][0]
    obj = f"/org/freedesktop/login1/session/_3{sid}" if sid[0].isdigit() \
        else f"/org/freedesktop/login1/session/{sid}"
    rc, out = g.out(f"runuser -u alice -- busctl call org.freedesktop.login1 "
                    f"{obj} org.freedesktop.login1.Session SetLockedHint b true")
    tap.ok(rc == 0, f"alice's session: SetLockedHint true (as a screen "
           f"locker does) {out.strip()}")
    path = os.path.join(g.tmp, "locked.txt")
    with open(path, "wb") as f:
        f.write(b"not while locked\n")
    ok, err = c.copy_file(path, timeout=60)
    tap.ok(not ok, f"the client's transfer fails: {err!r}")
    line = g.journal_wait(r"xfer \d+ refused: the session is locked")
    tap.ok(line is not None, f"daemon: SESSION_LOCKED ({line})")
    rc, out = g.out("ls /home/alice")
    tap.ok("locked.txt" not in out.split(), "no file written")
    g.out(f"runuser -u alice -- busctl call org.freedesktop.login1 "
          f"{obj} org.freedesktop.login1.Session SetLockedHint b false")
    with open(path, "wb") as f:
        f.write(b"after unlocking\n")
    ok, err = c.copy_file(path, timeout=120)
    tap.ok(ok, f"unlocked: the transfer succeeds ({err})")
    rc, out = g.out("cat /home/alice/locked.txt")
    tap.ok(out.strip() == "after unlocking", "alice has the file")


def switch_session(tap, g, c, sess):
    """loginctl activate: logind switches the VT, as a display manager's
    user switch does"""
    step("bob's session becomes active (tty2), then alice's again")
    rc, out = g.out(f"loginctl activate {sess['bob'][0]}")
    tap.ok(rc == 0, f"loginctl activate {sess['bob'][0]} (bob) {out}")
    line = g.journal_wait(r"router: active agent: .* uid 1000 -> .* uid 1001$")
    tap.ok(line is not None, f"daemon routes to bob's agent ({line})")
    text = b"for bob\n"
    c.grab(0, {1: text})
    ok = vt.wait_for(lambda: guest_clip(g, BOB) == text, 60, 0.5)
    tap.ok(ok, "bob's xclip reads the client's clipboard")
    rc, out = g.out(f"loginctl activate {sess['alice'][0]}")
    tap.ok(rc == 0, f"loginctl activate {sess['alice'][0]} (alice) {out}")
    line = g.journal_wait(r"router: active agent: .* uid 1001 -> .* uid 1000$")
    tap.ok(line is not None, f"back to alice's agent ({line})")
    clip_roundtrip(tap, g, c, "back in alice's session")


def hotplug(tap, g, c):
    step("port unplug (QMP device_del) and replug")
    rc, pid0 = g.out("pidof vdagentd")
    g.qmp.execute("device_del", id="vdport")
    tap.ok(g.qmp.wait_event("DEVICE_DELETED", 30) is not None,
           "QMP: DEVICE_DELETED")
    tap.ok(vt.wait_for(lambda: not c.agent_connected(), 30, 0.2),
           "client sees the agent disconnected")
    line = g.journal_wait(r"device removed; detaching|detaching")
    tap.ok(line is not None, f"daemon stops its port use ({line})")
    dev = dict(x.split("=", 1) for x in g.PORT_DEVICE.split(",")[1:])
    g.qmp.execute("device_add", driver="virtserialport", **dev)
    tap.ok(vt.wait_for(c.agent_connected, 90, 0.2),
           "replug: client sees the agent connected again")
    rc, pid1 = g.out("pidof vdagentd")
    tap.ok(pid0.strip() and pid0 == pid1,
           f"the same daemon resumed (pid {pid1.strip()})")


def restarts(tap, g, c):
    step("systemctl restart vdagentd with the client connected")
    rc, pid0 = g.out("pidof vdagentd")
    rc, out = g.out("systemctl restart vdagentd.service")
    tap.ok(rc == 0, "systemctl restart vdagentd.service")
    ok = vt.wait_for(lambda: g.out("pidof vdagentd")[1].strip() not in
                     ("", pid0.strip()), 60, 0.5)
    tap.ok(ok, "a new daemon runs")
    tap.ok(vt.wait_for(c.agent_connected, 90, 0.2),
           "client sees the agent connected after the restart")
    clip_roundtrip(tap, g, c, "after the daemon restart")

    step("systemctl restart systemd-logind with the client connected")
    rc, out = g.out("systemctl restart systemd-logind.service")
    tap.ok(rc == 0, "systemctl restart systemd-logind")
    vt.wait_for(lambda: g.out("systemctl is-active systemd-logind")[1]
                .strip() == "active", 60, 0.5)
    tap.ok(vt.wait_for(c.agent_connected, 60, 0.2),
           "client still sees the agent connected")
    clip_roundtrip(tap, g, c, "after the logind restart")


def clip_roundtrip(tap, g, c, what):
    text = f"{what} ✓\n".encode()
    c.grab(0, {1: text})
    ok = vt.wait_for(lambda: guest_clip(g, ALICE) == text, 60, 0.5)
    tap.ok(ok, f"clipboard client -> alice {what}")


def upgrade_steps(tap, g, c, deb):
    step("Debian's spice-vdagent runs")
    tap.ok(vt.wait_for(c.agent_connected, 180, 0.2),
           "spice-gtk sees spice-vdagent connected")
    rc, out = g.out("systemctl is-active spice-vdagentd.service; "
                    "pgrep -u alice -x spice-vdagent")
    tap.ok(rc == 0 and out.split()[0] == "active",
           "spice-vdagentd.service active, alice's spice-vdagent runs")

    step("apt-get install ./vdagent_*.deb over it")
    name = os.path.basename(deb)
    rc, out = g.out("cd /root && DEBIAN_FRONTEND=noninteractive "
                    f"apt-get install -y -q ./{name}", 600)
    if not tap.ok(rc == 0, f"apt-get install ./{name}"):
        tap.diag(out[-3000:])
    tap.diag(" / ".join(ln for ln in out.splitlines()
                        if re.match(r"(The following|  |Removing|Unpacking"
                                    r"|Setting up)", ln))[:600])
    rc, out = g.out("dpkg-query -W -f='${Package}:${Status}\\n' "
                    "spice-vdagent vdagent")
    st = dict(ln.split(":", 1) for ln in out.splitlines() if ":" in ln)
    tap.ok(st.get("spice-vdagent", "").split()[-1:] != ["installed"] and
           st.get("vdagent") == "install ok installed",
           f"dpkg: spice-vdagent removed, vdagent installed ({st})")
    rc, out = g.out("pgrep -l -x spice-vdagentd; "
                    "systemctl is-active spice-vdagentd.service "
                    "spice-vdagentd.socket vdagentd.socket")
    # "failed": spice-vdagentd 0.22.1 sometimes crashes (SIGSEGV) in its
    # own shutdown when its prerm stops it; it is not running either way
    st = out.split()
    tap.ok(len(st) == 3 and st[0] in ("inactive", "failed") and
           st[1:] == ["inactive", "active"],
           f"spice-vdagentd and its socket stopped, vdagentd.socket "
           f"listens ({' '.join(st)})")

    # the old session agents stay until their sessions end (they retry
    # the old socket); maintainer scripts do not kill users' processes
    rc, out = g.out("pgrep -a spice-vdagent")
    tap.diag("after the install, still running: " +
             " / ".join(out.splitlines()))

    step("alice and bob log in again: our agent, socket-activated daemon")
    rc, out = g.out("loginctl terminate-session $(loginctl list-sessions "
                    "--no-legend | awk '{print $1}')")
    tap.ok(vt.wait_for(c.agent_connected, 240, 0.3) and
           vt.wait_for(lambda: g.out("pgrep -u alice -x vdagent && "
                                     "pgrep -u bob -x vdagent")[0] == 0,
                       90, 0.5),
           "client sees the agent connected; alice's and bob's vdagent run")
    rc, out = g.out("systemctl show -p TriggeredBy vdagentd.service; "
                    "pgrep -l 'spice-vdagent'")
    tap.ok("TriggeredBy=vdagentd.socket" in out and "spice" not in
           out.replace("TriggeredBy", ""),
           f"vdagentd.service started by its socket; nothing of "
           f"spice-vdagent runs ({' '.join(out.split())})")


def run_boot(tap, img, name, body):
    tmp = tempfile.mkdtemp(prefix="vdagent-sdguest-")
    t0 = time.monotonic()
    try:
        g = SystemdGuest(img, tmp)
    except RuntimeError as e:
        tap.ok(False, f"{name}: QEMU starts")
        tap.diag(str(e))
        shutil.rmtree(tmp, ignore_errors=True)
        return
    failed = tap.failed
    try:
        ready = g.wait_line(r"^GUEST ready$", 0, 300)
        tap.ok(ready is not None, f"{name}: systemd booted to the test "
               f"console ({time.monotonic() - t0:.0f} s)")
        if ready:
            import spiceclient as sc
            try:
                sc.Client(g.spice_port).run(lambda c: body(g, c, t0))
            except Exception as e:
                tap.ok(False, f"{name}: steps ran to the end: {e!r}")
    finally:
        if tap.failed > failed:
            try:
                rc, j = g.out("journalctl -b -q --no-pager -o short-monotonic"
                              " | tail -150", 60)
                tap.diag("guest journal:\n" + j)
            except Exception:
                pass
        g.stop()
        tap.diag(f"{name}: QEMU ran {time.monotonic() - t0:.0f} s")
        if tap.failed > failed:
            tap.diag(f"guest console:\n{g.log()}")
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    tap = vt.Tap()
    T0 = time.monotonic()
    if os.geteuid() != 0:
        tap.skip_all("the systemd guest needs root (debootstrap, chroot)")
    for tool in ("debootstrap", "dpkg-buildpackage", "mke2fs", "lintian",
                 gu.QEMU):
        if not shutil.which(tool):
            tap.skip_all(f"no {tool}")
    try:
        import spiceclient  # noqa: F401
    except (ImportError, ValueError) as e:
        tap.skip_all(f"no SpiceClientGLib ({e})")
    os.makedirs(CACHE, exist_ok=True)
    deb = build_deb(tap)
    if deb is None:
        sys.exit(tap.done())
    if os.environ.get("GUEST_SYSTEMD_CHROOT", "1") != "0":
        chroot_install(tap, deb)
    img, why = build_image(tap, deb)
    if img is None:
        if why:
            tap.ok(False, f"guest image: {why}")
        sys.exit(tap.done())

    def installed(g, c, t0):
        sess = units_and_session(tap, g, c)
        tap.diag(f"agent connected {time.monotonic() - t0:.0f} s "
                 "after QEMU started")
        mouse_clipboard_resize(tap, g, c)
        if "alice" in sess:
            lock(tap, g, c, sess)
        if "alice" in sess and "bob" in sess:
            switch_session(tap, g, c, sess)
        hotplug(tap, g, c)
        restarts(tap, g, c)
    run_boot(tap, img, "installed", installed)

    if os.environ.get("GUEST_SYSTEMD_UPGRADE", "1") != "0":
        img, why = build_image(tap, deb, "upgrade")
        if why:
            tap.ok(False, f"upgrade image: {why}")
        if img is not None:
            run_boot(tap, img, "upgrade",
                     lambda g, c, t0: upgrade_steps(tap, g, c, deb))
    tap.diag(f"total {time.monotonic() - T0:.0f} s")
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
