/* SPDX-License-Identifier: MIT */
/* vdagentd's command line, compatible with spice-vdagentd's. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#define VDAGENTD_DEFAULT_PORT "/dev/virtio-ports/com.redhat.spice.0"
#define VDAGENTD_DEFAULT_SOCKET "/run/vdagentd/socket"
#define VDAGENTD_DEFAULT_UINPUT "/dev/uinput"

struct vdagentd_options {
	int debug;             /* -d, counted */
	const char *port_path; /* -s */
	const char *socket_path; /* -S */
	const char *uinput_path; /* -u */
	bool fake_uinput;      /* -f */
	bool foreground;       /* -x */
	bool one_session;      /* -o */
	bool no_sessions;      /* -X */
	const char *record_path; /* --record */
	bool help;             /* -h/--help: usage printed, exit 0 */
};

/* Parse argv (strings are borrowed from it).  Returns 0, or -EINVAL after
 * printing a message to err. */
int vdagentd_options_parse(struct vdagentd_options *o, int argc, char **argv,
			   FILE *err);
void vdagentd_options_usage(FILE *out, const char *argv0);
