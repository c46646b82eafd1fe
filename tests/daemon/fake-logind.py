#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A stand-in for systemd-logind on a private bus, for vdagentd's session
tests: the Manager, seat0 and Session objects the daemon uses, driven by
commands on stdin:  active ID | lock ID 0|1 | session ID (for new pids).
Prints "ready" once it owns org.freedesktop.login1."""

import os
import sys

from gi.repository import Gio, GLib

XML = """
<node>
 <interface name="org.freedesktop.login1.Manager">
  <method name="GetSessionByPID"><arg type="u" direction="in"/><arg type="o" direction="out"/></method>
  <method name="GetSession"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
 </interface>
 <interface name="org.freedesktop.login1.Seat">
  <property name="ActiveSession" type="(so)" access="read"/>
 </interface>
 <interface name="org.freedesktop.login1.Session">
  <property name="Id" type="s" access="read"/>
  <property name="User" type="(uo)" access="read"/>
  <property name="LockedHint" type="b" access="read"/>
 </interface>
</node>"""

BASE = "/org/freedesktop/login1"
info = Gio.DBusNodeInfo.new_for_xml(XML)
state = {"active": "c1", "default": "c1", "locked": set()}
registered = set()
conn = None


def spath(sid):
    return f"{BASE}/session/{sid}"


def manager_call(c, sender, path, iface, method, params, inv):
    if method == "GetSessionByPID":
        sid = state["default"]
    else:
        sid = params.unpack()[0]
    register_session(sid)
    inv.return_value(GLib.Variant("(o)", (spath(sid),)))


def seat_get(c, sender, path, iface, prop):
    a = state["active"]
    return GLib.Variant("(so)", (a, spath(a) if a else "/"))


def session_get(c, sender, path, iface, prop):
    sid = path.rsplit("/", 1)[1]
    if prop == "Id":
        return GLib.Variant("s", sid)
    if prop == "User":
        return GLib.Variant("(uo)", (os.getuid(), f"{BASE}/user/_{os.getuid()}"))
    return GLib.Variant("b", sid in state["locked"])


def register_session(sid):
    if sid in registered:
        return
    registered.add(sid)
    conn.register_object(spath(sid), info.interfaces[2], None, session_get, None)


def on_stdin(src, cond):
    line = sys.stdin.readline()
    if not line:
        loop.quit()
        return False
    words = line.split()
    if words[0] == "active":
        state["active"] = words[1] if words[1] != "-" else ""
        conn.emit_signal(None, f"{BASE}/seat/seat0",
                         "org.freedesktop.DBus.Properties", "PropertiesChanged",
                         GLib.Variant("(sa{sv}as)", ("org.freedesktop.login1.Seat",
                                                      {}, ["ActiveSession"])))
    elif words[0] == "lock":
        (state["locked"].add if words[2] == "1" else state["locked"].discard)(words[1])
    elif words[0] == "session":
        state["default"] = words[1]
    conn.flush_sync(None)
    print("done", flush=True)
    return True


def on_acquired(c, name):
    print("ready", flush=True)


conn = Gio.DBusConnection.new_for_address_sync(
    sys.argv[1], Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
    Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
conn.register_object(BASE, info.interfaces[0], manager_call, None, None)
conn.register_object(f"{BASE}/seat/seat0", info.interfaces[1], None, seat_get, None)
Gio.bus_own_name_on_connection(conn, "org.freedesktop.login1",
                               Gio.BusNameOwnerFlags.NONE, on_acquired, None)
GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.IO_IN | GLib.IO_HUP, on_stdin)
loop = GLib.MainLoop()
loop.run()
