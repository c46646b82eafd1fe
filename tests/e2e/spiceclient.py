# SPDX-License-Identifier: MIT
"""A scripted SPICE client: spice-gtk's SpiceClientGLib through PyGObject
(Debian's /usr/bin/python3, gir1.2-spiceclientglib-2.0).

The GLib main loop runs in the main thread; the test steps run in a worker
thread and call into spice-gtk with loop_call().  Signals are turned into
queue items the worker waits on, so nothing blocks the main loop."""

import ctypes
import queue
import threading
import time

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import Gio, GLib, GObject, SpiceClientGLib  # noqa: E402

UTF8_TEXT, IMAGE_PNG = 1, 2
SEL_CLIPBOARD, SEL_PRIMARY = 0, 1
CAP_CLIPBOARD_BY_DEMAND = 5


class Client:
    def __init__(self, port):
        self.loop = GLib.MainLoop()
        self.main = None
        self.inputs = None
        self.events = queue.Queue()
        self.serve = {}  # (selection, type) -> bytes served on request
        self.session = SpiceClientGLib.Session()
        self.session.set_property("uri", f"spice://127.0.0.1:{port}")
        GObject.Object.connect(self.session, "channel-new", self._channel_new)

    # ---- running ---------------------------------------------------------
    def run(self, steps):
        """Connect, run steps(self) in a worker thread, return its result."""
        result = {}

        def worker():
            try:
                result["value"] = steps(self)
            except BaseException as e:  # reported by the caller
                result["error"] = e
            finally:
                GLib.idle_add(self._quit)

        self.session.connect()
        threading.Thread(target=worker, daemon=True).start()
        self.loop.run()
        if "error" in result:
            raise result["error"]
        return result.get("value")

    def _quit(self):
        self.session.disconnect()
        self.loop.quit()
        return False

    def loop_call(self, fn, *args, timeout=30):
        """Run fn(*args) in the main loop and return its result."""
        done = threading.Event()
        box = {}

        def call():
            try:
                box["v"] = fn(*args)
            except BaseException as e:
                box["e"] = e
            done.set()
            return False

        GLib.idle_add(call)
        if not done.wait(timeout):
            raise TimeoutError(f"main loop call {fn} timed out")
        if "e" in box:
            raise box["e"]
        return box.get("v")

    def wait_event(self, kind, pred=lambda e: True, timeout=30):
        """Next event (kind, ...) matching pred; others are dropped."""
        import time
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                e = self.events.get(timeout=left)
            except queue.Empty:
                return None
            if e[0] == kind and pred(e):
                return e

    # ---- channels ----------------------------------------------------------
    def _channel_new(self, session, channel):
        if isinstance(channel, SpiceClientGLib.MainChannel):
            self.main = channel
            for sig, cb in (
                    ("main-clipboard-selection-grab", self._on_grab),
                    ("main-clipboard-selection-request", self._on_request),
                    ("main-clipboard-selection", self._on_data),
                    ("main-clipboard-selection-release", self._on_release)):
                GObject.Object.connect(channel, sig, cb)
            GObject.Object.connect(channel, "notify::agent-connected",
                                   lambda *a: self.events.put(("agent",)))
            GObject.Object.connect(channel, "notify::mouse-mode",
                                   lambda *a: self.events.put(("mouse-mode",)))
        elif isinstance(channel, SpiceClientGLib.InputsChannel):
            self.inputs = channel
        SpiceClientGLib.Channel.connect(channel)

    def _on_grab(self, channel, selection, types, ntypes):
        # PyGObject hands the guint array over as a list of ints
        self.events.put(("grab", selection, list(types)[:ntypes]))
        return True

    def _on_request(self, channel, selection, type, *rest):
        data = self.serve.get((selection, type))
        if data is None:
            return False
        # spice-gtk copies the data synchronously
        channel.clipboard_selection_notify(selection, type, data)
        self.events.put(("request", selection, type))
        return True

    def _on_data(self, channel, selection, type, data, size):
        self.events.put(("data", selection, type,
                         ctypes.string_at(data, size) if size else b""))

    def _on_release(self, channel, selection):
        self.events.put(("release", selection))

    # ---- helpers for the worker --------------------------------------------
    def agent_connected(self):
        return self.loop_call(
            lambda: self.main is not None and
            self.main.get_property("agent-connected"))

    def mouse_mode(self):
        return self.loop_call(lambda: self.main.get_property("mouse-mode"))

    def monitors(self, mons):
        """mons: list of (w, h, x, y) or None (disabled), by display id."""
        def do():
            for i, m in enumerate(mons):
                if m is None:
                    self.main.update_display_enabled(i, False, False)
                else:
                    w, h, x, y = m
                    self.main.update_display_enabled(i, True, False)
                    self.main.update_display(i, x, y, w, h, False)
            self.main.send_monitor_config()
        self.loop_call(do)

    def grab(self, selection, types_data):
        """Offer {type: bytes} on a selection.  spice-gtk drops a grab made
        before the agent's capabilities arrive (they follow its connection
        by a moment): wait up to 10 s for them first."""
        deadline = time.monotonic() + 10
        while not self.loop_call(self.main.agent_test_capability,
                                 CAP_CLIPBOARD_BY_DEMAND) and \
                time.monotonic() < deadline:
            time.sleep(0.02)

        def do():
            for t, d in types_data.items():
                self.serve[(selection, t)] = d
            self.main.clipboard_selection_grab(selection, list(types_data))
        self.loop_call(do)

    def request(self, selection, type):
        self.loop_call(self.main.clipboard_selection_request, selection, type)

    def position(self, x, y, display, buttons=0):
        self.loop_call(self.inputs.position, x, y, display, buttons)

    def copy_file(self, path, timeout=120, cancel_when=None):
        """Send a file to the guest; (ok, error message).  cancel_when: a
        predicate polled while the copy runs; once true the copy is
        cancelled (spice-gtk's progress callback does not reach Python)."""
        import time
        done = threading.Event()
        box = {}
        cancellable = Gio.Cancellable()

        def finished(channel, res, data):
            try:
                box["ok"] = channel.file_copy_finish(res)
            except GLib.Error as e:
                box["ok"] = False
                box["error"] = e.message
            done.set()

        self.loop_call(lambda: self.main.file_copy_async(
            [Gio.File.new_for_path(path)], Gio.FileCopyFlags.NONE,
            cancellable, None, None, finished, None))
        deadline = time.monotonic() + timeout
        while cancel_when is not None and not done.is_set():
            if cancel_when():
                self.loop_call(cancellable.cancel)
                break
            if time.monotonic() > deadline:
                break
            done.wait(0.02)
        if not done.wait(max(0, deadline - time.monotonic())):
            return False, "timeout"
        return box.get("ok"), box.get("error")
