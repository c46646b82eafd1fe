/* SPDX-License-Identifier: MIT */
/* The running of a test compositor (see wl-fake-run.h). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "wl-fake-run.h"

static struct {
	struct wl_display *display;
	void (*on_line)(char *line);
	char line[4096];
	size_t len;
	bool too_long;
} run;

static int on_stdin(int fd, uint32_t mask, void *data)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0) { /* the test went away */
		wl_display_terminate(run.display);
		return 0;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (run.len + 1 < sizeof(run.line))
				run.line[run.len++] = buf[i];
			else
				run.too_long = true;
			continue;
		}
		run.line[run.len] = 0;
		if (run.too_long)
			printf("error line too long\n");
		else
			run.on_line(run.line);
		run.len = 0;
		run.too_long = false;
	}
	return 0;
}

int wl_fake_run(struct wl_display *display, void (*on_line)(char *line))
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *sock = wl_display_add_socket_auto(display);
	if (!sock) {
		fprintf(stderr, "cannot listen (XDG_RUNTIME_DIR?)\n");
		return 1;
	}
	run.display = display;
	run.on_line = on_line;
	struct wl_event_source *in = wl_event_loop_add_fd(
		wl_display_get_event_loop(display), 0, WL_EVENT_READABLE,
		on_stdin, NULL);
	printf("ready %s\n", sock);
	wl_display_run(display);
	wl_event_source_remove(in);
	return 0;
}
