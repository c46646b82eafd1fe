# SPDX-License-Identifier: MIT
"""VDIPORT_BENCH=1 boot-vdiport.py: 50 MB clipboard client -> guest and
guest -> client over the VDI port (vdagent_vdiport) and over virtio-serial
(the kernel's virtio_console), same patched QEMU binary, one run each;
prints both, the ratio, and the guest's interrupt counts per packet."""

import re


import guest as gu
import vdatest as vt
import spiceclient as sc

import os

MB = int(os.environ.get("VDIPORT_BENCH_MB", "50"))
SIZE = MB << 20
SEQ_N = MB * 130_000    # `seq 1 N` is ~1.02 MB per 130000 (50.9 MB at 50)


def irq_count(g, pattern):
    """Sum of the guest's interrupt counts on lines matching pattern."""
    rc, out = g.run("cat /proc/interrupts")
    total = 0
    for ln in out:
        if re.search(pattern, ln):
            total += sum(int(x) for x in ln.split()[1:] if x.isdigit())
    return total


def vdi_stats(g):
    """The VDI-port driver's counters (sysfs "stats"): {name: count}, or {}
    on virtio-serial."""
    rc, out = g.run("cat /sys/bus/pci/drivers/vdagent_vdiport/*/stats "
                    "2>/dev/null")
    st = {}
    for ln in out:
        k, _, v = ln.partition(" ")
        if v.strip().isdigit():
            st[k] = int(v)
    return st


def stats_line(a, b, packets):
    """What limits a VDI-port transfer, per 504-byte packet: NOTIFY
    writes (each an exit to QEMU), interrupts, and the waits for room in
    the 32-packet output ring."""
    d = {k: b.get(k, 0) - a.get(k, 0) for k in b}
    if not d or not packets:
        return ""
    return (f"; driver: {d['notifies'] / packets:.3f} NOTIFY, "
            f"{d['irqs'] / packets:.3f} interrupts per packet, "
            f"{d['tx_ring_full']} waits for a full output ring, "
            f"{d['tx_packets']} packets out, {d['rx_packets']} in")


def run(tap, qemu, kernel, initrd, tmp, VdiGuest):
    import importlib
    bv = importlib.import_module("__main__")
    # the guest holds the 50 MB several times over (X, xclip, the agent)
    firmware = ["-L", "/usr/share/qemu", "-L", "/usr/share/seabios",
                "-m", os.environ.get("VDIPORT_BENCH_MEM", "2048")]
    gu.QEMU = qemu
    out_bytes = len(bv.seq_bytes(SEQ_N))
    pk_in, pk_out = SIZE / 504, out_bytes / 504
    results = {}
    for name, cls, drv, irqpat in (
            ("vdiport", VdiGuest, "vdiport", r"vdagent_vdiport"),
            ("virtio-serial", gu.Guest, "kernel",
             # MSI-X: one vector per queue (virtio0-input, ...) or, with
             # too few vectors, a shared one (virtio0-virtqueues, seen)
             r"virtio\d+-(input|output|virtqueues)")):
        g = cls(kernel, initrd, tmp, "spice", "dummy", port_driver=drv,
                extra_args=firmware)
        try:
            if g.wait_line(r"^GUEST ready$", 0, 120) is None:
                tap.ok(False, f"{name}: guest booted")
                tap.diag(g.log())
                continue

            def steps(c):
                # spice-gtk drops a grab until the agent announced its caps;
                # client mouse mode says it has
                vt.wait_for(c.agent_connected, 60, 0.1)
                vt.wait_for(lambda: c.mouse_mode() == 2, 60, 0.1)
                rc, out = g.run("cat /proc/interrupts")
                tap.diag(f"{name}: counted /proc/interrupts lines: " +
                         " / ".join(" ".join(ln.split()) for ln in out
                                    if re.search(irqpat, ln)))
                i0, s0 = irq_count(g, irqpat), vdi_stats(g)
                ok_in, t_in = bv.clip_to_guest(g, c, bv.text_of(SIZE), 240)
                tap.diag(f"{name}: client -> guest {ok_in} {t_in:.1f} s")
                if not ok_in:
                    tap.diag("\n".join(g.log().splitlines()[-60:]))
                i1, s1 = irq_count(g, irqpat), vdi_stats(g)
                ok_out, t_out = bv.clip_from_guest(g, c, SEQ_N, 240)
                tap.diag(f"{name}: guest -> client {ok_out} {t_out:.1f} s")
                if not ok_out:
                    tap.diag("\n".join(g.log().splitlines()[-60:]))
                i2, s2 = irq_count(g, irqpat), vdi_stats(g)
                return (ok_in, t_in, i1 - i0, ok_out, t_out, i2 - i1,
                        (s0, s1, s2))

            r = sc.Client(g.spice_port).run(steps)
            ok_in, t_in, irq_in, ok_out, t_out, irq_out, st = r
            tap.ok(ok_in and ok_out, f"{name}: {MB} MB both ways intact")
            results[name] = r
            tap.diag(f"{name}: client -> guest {SIZE / t_in / 1e6:.2f} MB/s "
                     f"({t_in:.1f} s, {irq_in} interrupts, "
                     f"{irq_in / pk_in:.3f} per 504-byte packet); "
                     f"guest -> client {out_bytes / t_out / 1e6:.2f}"
                     f" MB/s ({t_out:.1f} s, {irq_out} interrupts, "
                     f"{irq_out / pk_out:.3f} per packet)")
            tap.diag(f"{name}: client -> guest" +
                     stats_line(st[0], st[1], pk_in))
            tap.diag(f"{name}: guest -> client" +
                     stats_line(st[1], st[2], pk_out))
        finally:
            g.stop()
    if len(results) == 2:
        v, s = results["vdiport"], results["virtio-serial"]
        tap.diag(f"ratio vdiport / virtio-serial time: client -> guest "
                 f"{v[1] / s[1]:.2f}x, guest -> client {v[4] / s[4]:.2f}x")
