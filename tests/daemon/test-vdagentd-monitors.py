#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The client's REPLY to MONITORS_CONFIG carries the agent's MONITORS_RESULT
(vdp-ipc.h): the real vdagentd between a fake SPICE server and fake agents
that answer success, error, nothing, late, malformed, or go away; and an
agent without the HELLO flag, answered at once as before.  A REPLY that
must be held is shown held by a DISPLAY_CONFIG sent after it, whose REPLY
comes first.  TAP output."""

import os
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vdproto import *  # noqa: E402,F403

# vdagentd/route.h ROUTE_MONITORS_RESULT_TIMEOUT_MS
RESULT_TIMEOUT = 5.0

tap = Tap()
tmp = tempfile.TemporaryDirectory(prefix="vdagentd-mon-test-")
MC = monitors_config([(800, 600, 0, 0)])
DC = struct.pack("<II", 0, 32)  # DISPLAY_CONFIG: flags 0, depth 32


case = case_runner(tap)


def attach_with(d, flags):
    """attach() with an agent whose HELLO has flags."""
    a, peer, _ = attach(d, d.agent(flags=flags))
    return a, peer


def reply(peer, timeout=TIMEOUT):
    return struct.unpack("<II", peer.expect(REPLY, timeout=timeout))


def send_config(peer, a, data=MC):
    """The client's MONITORS_CONFIG, once the agent has it."""
    peer.send_msg(MONITORS_CONFIG, data)
    return a.expect(IPC_MONITORS_CONFIG)


def answered(peer, a, serial, result, what):
    """A config the agent answers: its result is the REPLY."""
    send_config(peer, a)
    a.monitors_result(serial, result)
    tap.eq(reply(peer), (MONITORS_CONFIG, result), what)


def no_monitors_reply(peer, what):
    """No MONITORS_CONFIG REPLY is out (none held, or the held one still
    held): the REPLY of a DISPLAY_CONFIG sent now is the next one."""
    peer.send_msg(DISPLAY_CONFIG, DC)
    tap.eq(reply(peer), (DISPLAY_CONFIG, REPLY_SUCCESS), what)


@case
def agent_answers():
    d = Daemon(tmp.name, "answers")
    try:
        a, peer = attach_with(d, IPC_HELLO_MONITORS_RESULT)
        tap.ok(a.daemon_flags & IPC_HELLO_MONITORS_RESULT,
               "the daemon's HELLO says it takes MONITORS_RESULT")

        send_config(peer, a)
        no_monitors_reply(peer, "config 1: REPLY held until the agent answers")
        a.monitors_result(1, REPLY_SUCCESS)
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_SUCCESS),
               "config 1: the agent's success is the REPLY")

        answered(peer, a, 2, REPLY_ERROR,
                 "config 2: the agent's error is the REPLY")

        send_config(peer, a)
        a.monitors_result(2, REPLY_SUCCESS)   # an older config's number
        a.monitors_result(99, REPLY_SUCCESS)  # a number never sent
        no_monitors_reply(peer, "config 3: results with other numbers are ignored")
        a.monitors_result(3, REPLY_ERROR)
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_ERROR),
               "config 3: its own result is the REPLY")

        # a newer config while one waits: the older answered first
        send_config(peer, a)
        send_config(peer, a, monitors_config([(1024, 768, 0, 0)]))
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_SUCCESS),
               "config 4 superseded by 5: REPLY success at once")
        no_monitors_reply(peer, "... config 5's REPLY is held")
        a.monitors_result(4, REPLY_SUCCESS)  # late: nobody waits
        a.monitors_result(5, REPLY_ERROR)
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_ERROR),
               "... config 5's REPLY is its own result, not 4's late one")
        tap.ok("superseded by a newer config" in d.log_text(),
               "... superseded said in the debug log")

        # an invalid config while one waits: the older answered first
        send_config(peer, a)
        peer.send_msg(MONITORS_CONFIG, struct.pack("<II", 0, 0))
        tap.eq([reply(peer), reply(peer)],
               [(MONITORS_CONFIG, REPLY_SUCCESS),
                (MONITORS_CONFIG, REPLY_ERROR)],
               "config 6 then an invalid one: success (superseded), error")
        no_monitors_reply(peer, "... and nothing waits after them")
        a.monitors_result(6, REPLY_ERROR)

        # the agent says nothing: success after the timeout
        send_config(peer, a)
        start = time.monotonic()
        got = reply(peer, timeout=RESULT_TIMEOUT + TIMEOUT)
        took = time.monotonic() - start
        tap.eq(got, (MONITORS_CONFIG, REPLY_SUCCESS),
               "config 7 unanswered: REPLY success")
        tap.ok(took >= RESULT_TIMEOUT - 0.5,
               f"... after the timeout ({took:.1f} s)")
        tap.ok("the agent did not say whether it applied it" in d.log_text(),
               "... the debug log says the agent did not say")
        a.monitors_result(7, REPLY_ERROR)  # too late
        no_monitors_reply(peer, "... its late result makes no second REPLY")

        # the agent goes away while its answer is awaited
        send_config(peer, a)
        a.close()
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_SUCCESS),
               "agent gone while config 8 waits: REPLY success")
        tap.ok("went away or lost the active session" in d.log_text(),
               "... answered because the agent went away, not by timeout")
    finally:
        d.stop()


@case
def malformed_and_old_agents():
    d = Daemon(tmp.name, "old")
    try:
        a, peer = attach_with(d, 0)
        peer.send_msg(MONITORS_CONFIG, MC)
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_SUCCESS),
               "agent without the HELLO flag: REPLY success at once")
        a.expect(IPC_MONITORS_CONFIG)
        a.close()
        tap.ok(peer.wait_eof(), "port detached with the agent gone")

        b = d.agent(hello=False, layout=False)
        b.hello(flags=IPC_HELLO_MONITORS_RESULT)
        b.layout([(0, 0, 0, 1024, 768)])
        tap.eq(b.expect(IPC_MONITORS_CONFIG), MC,
               "a new agent gets the kept config (a replay, number 1)")
        peer = d.server.accept()
        peer.handshake()
        b.expect(IPC_CLIENT_CAPS, skip=())
        b.monitors_result(1, REPLY_ERROR)
        no_monitors_reply(peer, "its result for the replay makes no REPLY")
        answered(peer, b, 2, REPLY_SUCCESS,
                 "the client's config after the replay is number 2")
        send_config(peer, b)
        b.send(IPC_MONITORS_RESULT, struct.pack("<II", 3, 3))
        tap.ok(b.wait_eof(), "MONITORS_RESULT with result 3: connection closed")
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_SUCCESS),
               "... and the waiting REPLY is sent")
        tap.ok(d.alive(), "the daemon is still up")
    finally:
        d.stop()


@case
def session_switch():
    logind, d = logind_daemon(tmp.name, "switch")
    if not d:
        tap.ok(True, "# SKIP session switch: dbus-daemon not installed")
        return
    try:
        a, peer = attach_with(d, IPC_HELLO_MONITORS_RESULT)
        answered(peer, a, 1, REPLY_ERROR,
                 "session c1: its agent's error is the REPLY")
        send_config(peer, a)
        logind.command("session c2")
        b = d.agent(flags=IPC_HELLO_MONITORS_RESULT)
        logind.command("active c2")
        tap.eq(reply(peer), (MONITORS_CONFIG, REPLY_SUCCESS),
               "c1 loses the active session while config 2 waits: "
               "REPLY success")
        tap.eq(b.expect(IPC_MONITORS_CONFIG), MC,
               "... and c2's agent gets the kept config")
        a.monitors_result(2, REPLY_ERROR)
        b.monitors_result(1, REPLY_ERROR)
        no_monitors_reply(peer, "... neither c1's late result nor the replay's makes a REPLY")
        answered(peer, b, 2, REPLY_SUCCESS,
                 "c2's agent answers the next config")
    finally:
        d.stop()
        logind.stop()


sys.exit(tap.done())
