/* SPDX-License-Identifier: MIT */
/*
 * vdagent.exe's command line, parsed from UTF-8 arguments.  No Windows
 * API here: the unit test runs it as it is.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* virtio-win's vioserial port for the agent channel */
#define WA_DEFAULT_PORT "\\\\.\\Global\\com.redhat.spice.0"

struct wa_options {
	const char *port;     /* WA_DEFAULT_PORT, a device path or tcp:HOST:PORT */
	const char *xfer_dir; /* "desktop", "download" or a directory */
	bool xfer_disabled;   /* -x */
	bool debug;           /* -d */
	bool help;            /* -h: print wa_options_usage() and exit 0 */
	bool version;         /* --version */
};

/*
 * Parse argv[1..argc-1] into *o (the strings point into argv).  Accepts
 * "-s PATH", "-sPATH", "--port PATH", "--port=PATH" and the same for every
 * option with a value; "--" ends the options; no operands are allowed.
 * Returns 0, or -EINVAL with a one-line reason in err.
 */
int wa_options_parse(struct wa_options *o, int argc, char **argv, char *err,
		     size_t err_size);

/* The --help text (a man page in short). */
const char *wa_options_usage(void);

/* TCP transport: "tcp:HOST:PORT" -> host (NUL-terminated into host_out)
 * and port 1..65535.  Returns 0, -ENOENT when path is not a tcp: one, or
 * -EINVAL when it is but is malformed. */
int wa_options_parse_tcp(const char *path, char *host_out, size_t host_size,
			 unsigned *port_out);
