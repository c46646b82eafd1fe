# SPDX-License-Identifier: MIT
"""Host side of the QEMU test guest: builds it (build-guest.sh), boots it
under TCG, reads its serial console, runs commands in it and talks QMP.

The guest's init (tests/e2e/guest/init) reads "<id> <command>" lines on the
console and answers "OUT <id>: ..." lines and "DONE <id> <status>"; the
evdev reader prints "EVDEV ..." lines, the daemon and agent logs come as
"VDAGENTD: ..." and "VDAGENT: ...".  Every wait has a deadline."""

import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU = "qemu-system-x86_64"


# The guest kernel's command line, for every boot.  no_timer_check: on a
# loaded host TCG can miss the kernel's early timer-IRQ check ("IO-APIC +
# timer doesn't work!"), which panics the boot.
KERNEL_ARGS = "console=ttyS0 quiet loglevel=3 panic=-1 no_timer_check"

class Unavailable(Exception):
    """The guest cannot be built or run on this machine (a TAP skip)."""


def build(builddir, outdir):
    if not shutil.which(QEMU):
        raise Unavailable(f"no {QEMU} (qemu-system-x86)")
    cache = os.environ.get("VDAGENT_GUEST_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or
        os.path.join(os.path.expanduser("~"), ".cache"), "vdagent-test-guest")
    guestbin = os.path.join(builddir, "tests", "e2e", "guest")
    release = os.path.join(builddir, "tests", "release")
    srcdir = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    r = subprocess.run(["/bin/sh", os.path.join(HERE, "build-guest.sh"),
                        srcdir, guestbin, release, outdir, cache],
                       capture_output=True, text=True)
    if r.returncode == 77:
        raise Unavailable(r.stderr.strip())
    if r.returncode != 0:
        raise RuntimeError("build-guest.sh failed:\n" + r.stdout + r.stderr)
    return (os.path.join(outdir, "vmlinuz"),
            os.path.join(outdir, "initramfs.cpio"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_vnc_display():
    for n in range(100 + os.getpid() % 500, 1000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", 5900 + n))
            except OSError:
                continue
            return n
    raise RuntimeError("no free VNC port")


class Qmp:
    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.f = self.sock.makefile("rwb", buffering=0)
        self.events = []
        self._read()  # greeting
        self.execute("qmp_capabilities")

    def _read(self, timeout=30):
        self.sock.settimeout(timeout)
        line = self.f.readline()
        if not line:
            raise EOFError("QMP closed")
        return json.loads(line)

    def execute(self, cmd, timeout=30, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._read(timeout)
            if "event" in r:
                self.events.append(r)
                continue
            if "error" in r:
                raise RuntimeError(f"QMP {cmd}: {r['error']}")
            return r.get("return")

    def wait_event(self, name, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                r = self._read(left)
            except (socket.timeout, TimeoutError):
                return None
            if "event" in r:
                self.events.append(r)

    def close(self):
        self.sock.close()


# The guest's driver for the virtio-serial port: the kernel's virtio_console,
# or ours (virtio-serial-driver/), with virtio_console kept from loading.
PORT_DRIVER_CMDLINE = {
    "kernel": "",
    "ours": " vport=ours module_blacklist=virtio_console "
            "modprobe.blacklist=virtio_console",
}


class Guest:
    """One boot of the guest.  host: "spice" or "qemu-vdagent"; xdriver:
    "dummy" or "modesetting"; gpu (with spice): "qxl" or "virtio"
    (virtio-vga with two outputs); port_driver: a PORT_DRIVER_CMDLINE key;
    extra_args: more QEMU arguments."""

    def __init__(self, kernel, initrd, tmpdir, host="spice", xdriver="dummy",
                 gpu="qxl", port_driver="kernel", extra_args=()):
        self.tmp = tmpdir
        self.lines = []
        self.cond = threading.Condition()
        self.next_id = 0
        self.qmp_path = os.path.join(tmpdir, f"qmp-{host}.sock")
        self.t0 = time.monotonic()
        argv = [QEMU, "-machine", "q35,accel=tcg", "-m", "512",
                "-nodefaults", "-no-user-config", "-no-reboot",
                "-display", "none", "-serial", "stdio", "-monitor", "none",
                "-kernel", kernel, "-initrd", initrd,
                "-append", f"{KERNEL_ARGS} xdriver={xdriver} gpu={gpu}" +
                PORT_DRIVER_CMDLINE[port_driver],
                "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        argv += list(self.PORT_BUS)
        if host == "spice":
            self.spice_port = free_port()
            # spice-server allows client mouse mode only with a primary
            # surface: the display device provides it (in VGA text mode
            # when the guest has no driver for it)
            if gpu == "virtio":
                argv += ["-vga", "none",
                         "-device", "virtio-vga,max_outputs=2"]
            else:
                argv += ["-vga", "qxl"]
            argv += ["-spice", f"port={self.spice_port},addr=127.0.0.1,"
                     "disable-ticketing=on",
                     "-chardev", "spicevmc,id=vdagent,name=vdagent"]
        else:
            self.vnc = free_vnc_display()
            argv += ["-vga", "std", "-vnc", f"127.0.0.1:{self.vnc}",
                     "-chardev", "qemu-vdagent,id=vdagent,name=vdagent,"
                     "mouse=on,clipboard=on"]
        argv += ["-device", self.PORT_DEVICE]
        argv += list(extra_args)
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._reader, daemon=True).start()
        try:
            self.qmp = Qmp(self.qmp_path)
        except Exception as e:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"no QMP from QEMU ({e!r}):\n{self.log()}")

    # the port's bus device (boot-vdiport.py: none, the VDI port is PCI)
    PORT_BUS = ("-device", "virtio-serial-pci,id=vser")
    PORT_DEVICE = ("virtserialport,bus=vser.0,chardev=vdagent,"
                   "name=com.redhat.spice.0,id=vdport")

    def _reader(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n").replace(
                "\r", "")
            with self.cond:
                self.lines.append((time.monotonic() - self.t0, line))
                self.cond.notify_all()
        with self.cond:
            self.lines.append((time.monotonic() - self.t0, "<console closed>"))
            self.cond.notify_all()

    def mark(self):
        """A position in the console log to wait from."""
        with self.cond:
            return len(self.lines)

    def wait_line(self, pattern, since=0, timeout=30):
        """First console line from index since matching the regex; the
        match, or None after timeout (or when QEMU is gone)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        i = since
        with self.cond:
            while True:
                while i < len(self.lines):
                    m = rx.search(self.lines[i][1])
                    if m:
                        return m
                    if self.lines[i][1] == "<console closed>":
                        return None
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def run(self, cmd, timeout=30):
        """Run a shell command in the guest: (status, output lines), or
        (None, lines so far) on a timeout."""
        self.next_id += 1
        cid = f"c{self.next_id}"
        start = self.mark()
        self.proc.stdin.write(f"{cid} {cmd}\n".encode())
        self.proc.stdin.flush()
        m = self.wait_line(rf"^DONE {cid} (\d+)$", start, timeout)
        with self.cond:
            out = [ln[len(cid) + 6:] for _, ln in self.lines[start:]
                   if ln.startswith(f"OUT {cid}: ")]
        return (int(m.group(1)) if m else None), out

    def log(self):
        with self.cond:
            return "\n".join(f"[{t:7.2f}] {ln}" for t, ln in self.lines)

    def stop(self):
        try:
            self.qmp.execute("quit", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.qmp.close()
        return self.proc.returncode
