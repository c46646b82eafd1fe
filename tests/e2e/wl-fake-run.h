/* SPDX-License-Identifier: MIT */
/*
 * The running of our test compositors (tests/e2e/wl-fake-*.c): listen on
 * a socket in $XDG_RUNTIME_DIR, say "ready SOCKET" on stdout (line
 * buffered), hand each line of stdin to on_line (without its newline;
 * "error line too long" for a line longer than 4 KiB), and return when
 * stdin ends: the test went away.
 */
#pragma once

#include <wayland-server.h>

/* 0 once stdin ended; 1 when it cannot listen. */
int wl_fake_run(struct wl_display *display, void (*on_line)(char *line));
