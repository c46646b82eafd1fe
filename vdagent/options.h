/* SPDX-License-Identifier: MIT */
/* vdagent's command line, compatible with spice-vdagent's. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#define VDAGENT_DEFAULT_SOCKET "/run/vdagentd/socket"
#define VDAGENT_DEFAULT_PORT "/dev/virtio-ports/com.redhat.spice.0"

/* --backend: the kind of session (backend.h) */
enum vdagent_backend {
	VDAGENT_BACKEND_AUTO,    /* Wayland when $WAYLAND_DISPLAY answers */
	VDAGENT_BACKEND_X11,
	VDAGENT_BACKEND_WAYLAND,
};

enum xfer_dir_kind {
	XFER_DIR_XDG_DESKTOP,
	XFER_DIR_XDG_DOWNLOAD,
	XFER_DIR_PATH,
};

struct vdagent_options {
	int debug;                 /* -d, counted */
	bool foreground;           /* -x */
	const char *port_path;     /* -s: accepted, unused (the daemon owns it) */
	const char *socket_path;   /* -S */
	enum xfer_dir_kind xfer_dir_kind; /* -f */
	const char *xfer_dir;      /* -f DIR */
	int open_dir;              /* -o 0|1; -1: not given (no) */
	const char *display;       /* --display; NULL: $DISPLAY */
	enum vdagent_backend backend; /* --backend */
	bool help;                 /* -h/--help: usage printed, exit 0 */
	bool version;              /* --version */
};

/* Parse argv (strings are borrowed from it).  Returns 0, or -EINVAL after
 * printing a message to err. */
int vdagent_options_parse(struct vdagent_options *o, int argc, char **argv,
			  FILE *err);
void vdagent_options_usage(FILE *out, const char *argv0);
