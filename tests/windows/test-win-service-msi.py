#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The MSI (windows/installer/vdagent.wxs) under wine: its tables as
msiinfo shows them, then in a fresh prefix "msiexec /i ... /qn" installs
the files and starts the service (the agent runs), a newer version
replaces it (MajorUpgrade), and "msiexec /x ... /qn" stops and removes
the service and every installed file.

The agent is the build's vdagent.exe when built, else the stand-in
(VDS_TEST_AGENT=real|fake forces one).  The MSI under test is "make
msi"'s vdagent-VERSION-x64.msi from the build tree when it exists and the
agent is the real one, else one the test builds with wixl from the .wxs
like "make msi" does; the upgrade MSI is always built so, one version
up."""

import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import win_service_harness as h  # noqa: E402

UPGRADE_CODE = "{67EA6FE5-A3D5-4F1B-A245-792A6678A3E6}"
PIDS = "C:\\vdtest\\pids.txt"
INSTALLDIR = "C:\\Program Files\\SPICE vdagent"


def wixl(out, version, agent, service):
    """Build an MSI from the .wxs (wixl wants Source paths relative to
    where it runs: stage the executables next to the output)."""
    wxs = os.path.join(h.srcdir(), "windows", "installer", "vdagent.wxs")
    stage = os.path.dirname(out)
    shutil.copy(agent, os.path.join(stage, "stage-vdagent.exe"))
    shutil.copy(service, os.path.join(stage, "stage-vdservice.exe"))
    r = subprocess.run(["wixl", "-a", "x64", "-D", f"Version={version}",
                        "-D", "AgentExe=stage-vdagent.exe", "-D",
                        "ServiceExe=stage-vdservice.exe", "-o", out, wxs],
                       capture_output=True, text=True, timeout=120,
                       cwd=stage)
    if r.returncode != 0:
        raise RuntimeError("wixl: " + r.stderr)
    return out


def msi_table(msi, table):
    """msiinfo export: rows (lists of fields) after the 3 header lines."""
    r = subprocess.run(["msiinfo", "export", msi, table],
                       capture_output=True, text=True, timeout=60)
    lines = r.stdout.replace("\r", "").splitlines()[3:]
    return [line.split("\t") for line in lines]


def check_tables(t, msi, version):
    r = subprocess.run(["msiinfo", "suminfo", msi], capture_output=True,
                       text=True, timeout=60)
    t.ok("Template: x64;1033" in r.stdout, "msiinfo: x64 package")
    svc = msi_table(msi, "ServiceInstall")
    t.ok(len(svc) == 1 and svc[0][1] == "vdservice" and svc[0][3] == "16"
         and svc[0][4] == "2" and svc[0][8] == "LocalSystem",
         "msiinfo: ServiceInstall vdservice, own process, auto, LocalSystem")
    ctl = msi_table(msi, "ServiceControl")
    # 0x1 start on install, 0x2 stop on install, 0x20 stop on uninstall,
    # 0x80 delete on uninstall
    t.ok(len(ctl) == 1 and ctl[0][1] == "vdservice" and ctl[0][2] == "163",
         "msiinfo: ServiceControl starts, stops and removes vdservice")
    files = sorted(row[2] for row in msi_table(msi, "File"))
    t.eq(files, ["vdagent.exe", "vdservice.exe"], "msiinfo: the two files")
    dirs = {row[0]: row for row in msi_table(msi, "Directory")}
    t.ok(dirs.get("INSTALLDIR", [""] * 3)[1:] ==
         ["ProgramFiles64Folder", "SPICE vdagent"],
         "msiinfo: installs to ProgramFiles64Folder\\SPICE vdagent")
    up = msi_table(msi, "Upgrade")
    t.ok(any(row[0] == UPGRADE_CODE for row in up),
         "msiinfo: Upgrade table with the fixed UpgradeCode")
    props = {row[0]: row[1] for row in msi_table(msi, "Property")
             if len(row) > 1}
    t.eq(props.get("UpgradeCode"), UPGRADE_CODE, "msiinfo: UpgradeCode")
    t.eq(props.get("ProductVersion"), version, "msiinfo: ProductVersion")
    seq = [row[0] for row in msi_table(msi, "InstallExecuteSequence")]
    t.ok("RemoveExistingProducts" in seq,
         "msiinfo: RemoveExistingProducts (MajorUpgrade)")


def fake_text(wine):
    try:
        with open(wine.host_path(PIDS)) as f:
            return f.read()
    except FileNotFoundError:
        return ""


def main():
    t = h.Tap()
    mode, agent = h.agent_choice()
    service = h.built("windows/vdservice/vdservice")
    probe_exe = h.built("tests/windows/test-win-service-probe")
    missing = [p for p in (agent, service, probe_exe)
               if not os.path.exists(p)]
    if missing:
        t.skip_all("not built (mingw build tree?): " + ", ".join(missing))
    if not shutil.which("wixl") or not shutil.which("msiinfo"):
        t.skip_all("wixl or msiinfo missing (Debian packages wixl, msitools)")
    try:
        wine = h.Wine("msi")
    except FileNotFoundError:
        t.skip_all("no wine64")
    listener = None
    try:
        made = glob.glob(os.path.join(h.builddir(), "vdagent-*-x64.msi"))
        if mode == "real" and made:  # make msi's
            msi1 = made[0]
            version = re.search(r"vdagent-(.*)-x64\.msi$", msi1).group(1)
        else:
            version = "0.1.0"
            msi1 = wixl(os.path.join(wine.tmp, f"vdagent-{version}-x64.msi"),
                        version, agent, service)
        parts = [int(x) for x in version.split(".")]
        version2 = ".".join(str(x) for x in parts[:-1] + [parts[-1] + 1])
        msi2 = wixl(os.path.join(wine.tmp, f"vdagent-{version2}-x64.msi"),
                    version2, agent, service)
        t.diag(f"agent: {mode}; {os.path.basename(msi1)}, then "
               f"{os.path.basename(msi2)}")
        check_tables(t, msi1, version)

        w_msi1 = wine.install_file(msi1, "v1.msi")
        w_msi2 = wine.install_file(msi2, "v2.msi")
        wine.install_file(probe_exe, "probe.exe")
        probe = h.Probe(wine, "C:\\vdtest\\probe.exe")
        wine.start_hold("C:\\vdtest\\probe.exe")
        if mode == "fake":
            args = f"--pid-file {PIDS}"
        else:
            listener = h.AgentListener()
            args = os.environ.get("VDS_TEST_AGENT_ARGS",
                                  f"--port tcp:127.0.0.1:{listener.port}")
        # What an administrator does to give the agent arguments
        # (service-config.h); it must survive the upgrade.
        rc, out = wine.run("reg", "add", "HKLM\\SOFTWARE\\vdagent", "/v",
                           "AgentArguments", "/d", args, "/f")
        t.eq(rc, 0, "AgentArguments set in the registry")

        rc, out = wine.run("msiexec", "/i", w_msi1, "/qn")
        if not t.eq(rc, 0, "msiexec /i /qn"):
            t.diag(out)
        t.eq(len(probe.related(UPGRADE_CODE)), 1, "the product is installed")
        for exe in ("vdagent.exe", "vdservice.exe"):
            t.ok(os.path.isfile(wine.host_path(f"{INSTALLDIR}\\{exe}")),
                 f"{exe} installed")
        c = probe.config()
        t.ok("SPICE vdagent\\vdservice.exe" in c.get("binary", "") and
             c.get("start_type") == "2",
             "service registered, automatic, for the installed exe")
        t.ok(h.wait_for(lambda: probe.state() == "running"),
             "service running after install")
        pids = h.wait_for(lambda: probe.pids())
        t.eq(len(pids), 1, "the agent runs")
        if listener:
            t.ok(h.wait_for(lambda: listener.conns),
                 "the agent connected to its port")
            conns = len(listener.conns)

        rc, out = wine.run("msiexec", "/i", w_msi2, "/qn")
        if not t.eq(rc, 0, f"msiexec /i version {version2} (upgrade)"):
            t.diag(out)
        t.ok(h.wait_for(lambda: probe.state() == "running"),
             "service running after the upgrade")
        pids2 = h.wait_for(lambda: probe.pids())
        t.eq(len(pids2), 1, "one agent runs after the upgrade")
        t.ok(os.path.isfile(wine.host_path(f"{INSTALLDIR}\\vdservice.exe")),
             "files still installed after the upgrade")
        t.eq(len(probe.related(UPGRADE_CODE)), 1,
             "one product of our UpgradeCode installed after the upgrade")
        if mode == "fake":
            t.ok(pids2 and h.wait_for(lambda: f"start {pids2[0]}" in
                                      fake_text(wine)),
                 "the agent after the upgrade got AgentArguments")
        else:
            t.ok(h.wait_for(lambda: len(listener.conns) > conns),
                 "the agent after the upgrade connected (AgentArguments)")

        rc, out = wine.run("msiexec", "/x", w_msi2, "/qn")
        if not t.eq(rc, 0, "msiexec /x /qn"):
            t.diag(out)
        t.eq(probe.state(), "missing", "service removed")
        t.eq(probe.related(UPGRADE_CODE), [], "no product of ours left")
        t.ok(h.wait_for(lambda: not probe.pids(), timeout=30),
             "no agent after uninstall")
        t.ok(not os.path.exists(wine.host_path(INSTALLDIR)),
             "installed files and folder gone")
        if mode == "fake":
            lines = fake_text(wine).split("\n")
            if not t.ok(f"stop {pids2[0] if pids2 else 0}" in lines,
                        "the agent was stopped by its stop event"):
                t.diag("pids.txt: " + " | ".join(lines))
    except Exception as e:  # a broken step fails the test, not the TAP
        t.ok(False, f"test ran to its end: {type(e).__name__}: {e}")
    finally:
        if listener:
            listener.close()
        wine.close()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
