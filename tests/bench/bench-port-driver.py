#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Benchmark: the guest's virtio-serial port driver, ours
(virtio-serial-driver/) against the kernel's virtio_console, in the QEMU
test guest of tests/e2e/guest (same QEMU, same host side, same guest
build).  For each driver, one boot and:
  - 50 MB of text client -> guest clipboard (spice-gtk grab, then the
    guest's xclip -o until it has it all)
  - 50 MB of text guest -> client clipboard (xclip -i, grab seen, request
    -> data)
  - raw port bytes per second: a guest-side writer (vport-check write) on
    a second port, a host-side reader on its socket chardev; and the other
    way, a host-side writer and vport-check read
Prints the figures and ours/kernel ratios (for times, below 1 is faster).
Not part of `make check`.  From a build directory:
  top_builddir=$PWD /usr/bin/python3 $srcdir/tests/bench/bench-port-driver.py
BENCH_CLIPBOARD_MB (50) and BENCH_RAW_MB (64) set the sizes; BENCH_ONLY=
kernel|ours runs one driver."""

import os
import shutil
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GUEST = os.path.join(os.path.dirname(HERE), "e2e", "guest")
sys.path.insert(0, GUEST)
sys.path.insert(0, os.path.dirname(GUEST))
import guest as gu  # noqa: E402
import vdatest as vt  # noqa: E402
import driver_checks as dc  # noqa: E402
import spiceclient as sc  # noqa: E402

CLIP = int(os.environ.get("BENCH_CLIPBOARD_MB", "50")) << 20
RAW = int(os.environ.get("BENCH_RAW_MB", "64")) << 20
BENCH_PORT = ("virtserialport,bus=vser.0,chardev=bport,"
              f"name={dc.TEST_NAME},id=bport")


def guest_size(g):
    rc, out = g.run("xclip -o -selection clipboard | wc -c", timeout=600)
    try:
        return int(out[-1])
    except (IndexError, ValueError):
        return -1


def run_driver(driver, kernel, initrd, tmp):
    sock = os.path.join(tmp, f"bport-{driver}.sock")
    g = gu.Guest(kernel, initrd, tmp, "spice", "dummy", port_driver=driver,
                 extra_args=["-chardev", f"socket,id=bport,path={sock},"
                             "server=on,wait=off", "-device", BENCH_PORT])
    res = {}
    try:
        if not g.wait_line(r"^GUEST ready$", 0, 120):
            raise RuntimeError(f"{driver}: guest did not come up")
        text = (b"0123456789abcdefghijklmnopqrstuvwxyz" * 64 + b"\n")
        text = (text * (CLIP // len(text) + 1))[:CLIP]

        def steps(c):
            if not (vt.wait_for(c.agent_connected, 60, 0.1) and
                    vt.wait_for(lambda: c.loop_call(
                        c.main.agent_test_capability,
                        dc.CAP_CLIPBOARD_BY_DEMAND), 30, 0.1)):
                raise RuntimeError(f"{driver}: no agent")
            # client -> guest
            t0 = time.monotonic()
            c.grab(sc.SEL_CLIPBOARD, {sc.UTF8_TEXT: text})
            vt.wait_for(lambda: b"UTF8_STRING" in "".join(g.run(
                "xclip -o -selection clipboard -t TARGETS")[1]).encode(),
                60, 0.2)
            n = guest_size(g)
            res["c2g"] = time.monotonic() - t0
            res["c2g_ok"] = n == CLIP
            # guest -> client
            g.run(f"head -c {CLIP} /dev/zero | tr '\\0' x | "
                  "xclip -i -selection clipboard >/dev/null 2>&1", 300)
            if not c.wait_event("grab", lambda e: e[1] == sc.SEL_CLIPBOARD,
                                60):
                raise RuntimeError(f"{driver}: no grab from the guest")
            t0 = time.monotonic()
            c.request(sc.SEL_CLIPBOARD, sc.UTF8_TEXT)
            d = c.wait_event("data", lambda e: e[1] == sc.SEL_CLIPBOARD,
                             600)
            res["g2c"] = time.monotonic() - t0
            res["g2c_ok"] = d is not None and len(d[3]) == CLIP
        sc.Client(g.spice_port).run(steps)

        # raw port bytes, guest writer -> host reader
        host = dc.HostPort(sock)
        host.connect()
        got = {}
        th = threading.Thread(target=lambda: got.update(
            r=host.read_check(RAW, 600)), daemon=True)
        th.start()
        t0 = time.monotonic()
        g.run(f"vport-check write {dc.TEST_DEV} {RAW}", timeout=900)
        th.join(900)
        n, same, secs = got.get("r", (0, False, 0.0))
        res["raw"] = time.monotonic() - t0
        res["raw_ok"] = n == RAW and same
        host.close()

        # raw port bytes, host writer -> guest reader
        host = dc.HostPort(sock)
        host.connect()
        data = dc.pattern(0, RAW)
        th = threading.Thread(target=lambda: host.send(data), daemon=True)
        t0 = time.monotonic()
        th.start()
        rc, out = g.run(f"vport-check read {dc.TEST_DEV} {RAW}", timeout=900)
        res["raw_in"] = time.monotonic() - t0
        res["raw_in_ok"] = any(line.startswith(f"READ {RAW} ok")
                               for line in out)
        th.join(60)
        host.close()
    finally:
        g.stop()
    return res


def main():
    build = vt.builddir()
    kernel, initrd = gu.build(build, os.path.join(build,
                                                  "tests/e2e/guest/out"))
    if not os.path.exists(os.path.join(build, "tests/e2e/guest/out/vserial",
                                       f"{dc.MODULE}.ko")):
        print("bench-port-driver: our module is not built (see "
              "tests/e2e/guest/out/vserial/status)")
        return 77
    only = os.environ.get("BENCH_ONLY")
    drivers = [only] if only else ["kernel", "ours"]
    tmp = tempfile.mkdtemp(prefix="vdagent-bench-port-")
    results = {}
    try:
        for d in drivers:
            results[d] = run_driver(d, kernel, initrd, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    mb = CLIP >> 20
    rows = (("c2g", f"clipboard client -> guest, {mb} MB", CLIP),
            ("g2c", f"clipboard guest -> client, {mb} MB", CLIP),
            ("raw", f"raw port guest -> host, {RAW >> 20} MB", RAW),
            ("raw_in", f"raw port host -> guest, {RAW >> 20} MB", RAW))
    print(f"{'':40} " + " ".join(f"{d:>18}" for d in drivers) +
          ("   ours/kernel" if len(drivers) == 2 else ""))
    for key, what, size in rows:
        cells = []
        for d in drivers:
            r = results[d]
            ok = "" if r.get(key + "_ok") else " (!)"
            cells.append(f"{r[key]:6.2f} s {size / r[key] / 1e6:5.1f} MB/s"
                         f"{ok}")
        line = f"{what:40} " + " ".join(f"{c:>18}" for c in cells)
        if len(drivers) == 2:
            line += f"   {results['ours'][key] / results['kernel'][key]:.2f}"
        print(line)
    print("(!) marks a transfer that did not arrive whole")
    return 0 if all(r.get(k + "_ok") for r in results.values()
                    for k in ("c2g", "g2c", "raw", "raw_in")) else 1


if __name__ == "__main__":
    sys.exit(main())
