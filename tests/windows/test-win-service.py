#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vdservice.exe under wine: install (service registered as configured),
the agent started, restarted with a new pid after it is killed, stopped
with the service, and the service gone after uninstall.

The agent is the build's vdagent.exe (given a TCP peer to connect to)
when it is built, else the stand-in tests/windows/test-win-service-agent.exe;
VDS_TEST_AGENT=real|fake forces one.  Inputs: WIN_BUILDDIR or top_builddir
(a mingw build tree), top_srcdir."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import win_service_harness as h  # noqa: E402

PIDS = "C:\\vdtest\\pids.txt"
LOG = "C:\\ProgramData\\vdagent\\vdservice.log"


def fake_lines(wine):
    try:
        with open(wine.host_path(PIDS)) as f:
            return [line.split() for line in f]
    except FileNotFoundError:
        return []


def check_config(t, probe):
    c = probe.config()
    t.eq(c.get("type"), "16", "service: own process")
    t.eq(c.get("start_type"), "2", "service: automatic start")
    t.eq(c.get("start_name"), "LocalSystem", "service: runs as LocalSystem")
    t.eq(c.get("display_name"), "SPICE guest agent", "service: display name")
    t.ok(c.get("binary", "").startswith('"C:\\vdtest\\vdservice.exe"'),
         "service: quoted path of the installed vdservice.exe")
    t.ok("vdagent.exe" in c.get("description", ""), "service: description")
    if c.get("failure_error") == "124":
        # wine's SCM accepts failure actions but does not store them
        t.ok(True, "service: failure actions # SKIP wine does not keep them")
    else:
        t.eq(c.get("failure_action0"), "1/5000",
             "service: restart 5 s after a failure")


def main():
    t = h.Tap()
    mode, agent = h.agent_choice()
    exes = {
        "vdservice.exe": h.built("windows/vdservice/vdservice"),
        "vdagent.exe": agent,
        "probe.exe": h.built("tests/windows/test-win-service-probe"),
    }
    missing = [p for p in exes.values() if not os.path.exists(p)]
    if missing:
        t.skip_all("not built (mingw build tree?): " + ", ".join(missing))
    try:
        wine = h.Wine("service")
    except FileNotFoundError:
        t.skip_all("no wine64")
    listener = None
    try:
        for name, src in exes.items():
            wine.install_file(src, name)
        probe = h.Probe(wine, "C:\\vdtest\\probe.exe")
        wine.start_hold("C:\\vdtest\\probe.exe")
        vds = "C:\\vdtest\\vdservice.exe"
        if mode == "fake":
            agent_args = f"--pid-file {PIDS}"
        else:
            listener = h.AgentListener()
            agent_args = os.environ.get(
                "VDS_TEST_AGENT_ARGS",
                f"--port tcp:127.0.0.1:{listener.port}")
        t.diag(f"agent: {mode} ({agent}), arguments: {agent_args}")

        rc, out = wine.run(vds, "--version")
        if not t.ok(rc == 0 and out.startswith("vdservice "), "--version"):
            t.diag(f"exit {rc}: {out!r}")
        rc, out = wine.run(vds, "--help")
        t.ok(rc == 0 and "uninstall" in out, "--help")
        rc, out = wine.run(vds)
        t.ok(rc == 2 and "not started by the service control manager" in out,
             "without the SCM it says so and exits 2")
        rc, out = wine.run(vds, "--bogus")
        t.ok(rc == 2 and "unknown option" in out, "bad option: exit 2")

        # A full log (1 MiB, log.h) is set aside at the next line.
        log_path = wine.host_path(LOG)
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        with open(log_path, "w") as f:
            f.write(("x" * 1023 + "\n") * 1024)
        rc, out = wine.run(vds, "-d", "install", "--agent-args", agent_args)
        if not t.eq(rc, 0, "install"):
            t.diag(out)
        t.ok("started" in out, "install says it started the service")
        check_config(t, probe)
        t.ok(os.path.exists(log_path + ".old") and
             os.path.getsize(log_path + ".old") == 1024 * 1024 and
             os.path.getsize(log_path) < 64 * 1024,
             "the full log was renamed to vdservice.log.old")
        t.ok(h.wait_for(lambda: probe.state() == "running"),
             "service running")

        pids = h.wait_for(lambda: probe.pids())
        t.eq(len(pids), 1, "one agent process runs")
        pid1 = pids[0] if pids else 0
        if mode == "fake":
            t.ok(h.wait_for(lambda: ["start", str(pid1)] in
                            [x[:2] for x in fake_lines(wine)]),
                 "the agent wrote its start line")
        else:
            t.ok(h.wait_for(lambda: listener.conns), "the agent connected")

        rc, out = wine.run(vds, "install", "--agent-args", agent_args)
        t.ok(rc == 0 and "already installed" in out,
             "install again: says so, exit 0")
        t.eq(probe.pids(), [pid1], "install again: the same agent runs on")

        t.ok(probe.kill(pid1), "kill the agent")
        pids = h.wait_for(lambda: [p for p in probe.pids() if p != pid1])
        t.eq(len(pids), 1, "a new agent process runs after the kill")
        pid2 = pids[0] if pids else 0
        t.ok(not probe.alive(pid1), "the killed agent is gone")
        log = h.wait_for(lambda: read_log(wine))
        t.ok("exited with code 3" in log and
             "restarting the agent in 1000 ms" in log,
             "the log tells the exit and the 1 s backoff")

        t.ok(probe.control(128), "control 128: restart the agent")
        pids = h.wait_for(lambda: [p for p in probe.pids() if p != pid2])
        t.eq(len(pids), 1, "a new agent runs after control 128")
        log = read_log(wine)
        t.ok(f"agent pid {pid2} exited with code 0" in log,
             "the old one left on the stop event")
        if mode == "fake":
            t.ok(["stop", str(pid2)] in fake_lines(wine),
                 "(its stop line)")
        pid2 = pids[0] if pids else 0

        rc, out = wine.run("sc", "stop", "vdservice")
        t.eq(rc, 0, "sc stop vdservice")
        t.ok(h.wait_for(lambda: probe.state() == "stopped"),
             "service stopped")
        t.eq(h.wait_for(lambda: not probe.pids(), timeout=30), True,
             "no agent after the stop")
        if mode == "fake":
            t.ok(["stop", str(pid2)] in fake_lines(wine),
                 "the agent exited on the stop event (clean stop)")
        log = read_log(wine)
        t.ok("service stopped" in log, "the log tells the stop")
        t.ok(f"agent pid {pid2} exited with code 0" in log and
             "did not exit within" not in log,
             "the agent left on the stop event, not terminated")

        rc, out = wine.run("sc", "start", "vdservice")
        t.eq(rc, 0, "sc start vdservice")
        t.ok(h.wait_for(lambda: probe.pids()), "the agent runs again")

        rc, out = wine.run(vds, "uninstall")
        if not t.eq(rc, 0, "uninstall"):
            t.diag(out)
        t.eq(probe.state(), "missing", "service gone")
        t.ok(h.wait_for(lambda: not probe.pids(), timeout=30),
             "no agent after uninstall")
        rc, out = wine.run(vds, "uninstall")
        t.ok(rc == 0 and "not installed" in out,
             "uninstall again: says so, exit 0")
    except Exception as e:  # a broken step fails the test, not the TAP
        t.ok(False, f"test ran to its end: {type(e).__name__}: {e}")
    finally:
        if t.failed:
            t.diag("vdservice.log:\n" + read_log(wine))
        if listener:
            listener.close()
        wine.close()
    return t.done()


def read_log(wine):
    try:
        with open(wine.host_path(LOG), errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
