/* SPDX-License-Identifier: MIT */
/* vdagent's command line: spice-vdagent's options are accepted. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../../vdagent/options.h"
#include "tap.h"

static int parse(struct vdagent_options *o, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"vdagent";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	FILE *null = fopen("/dev/null", "w");
	int r = vdagent_options_parse(o, argc, argv, null);
	fclose(null);
	return r;
}

int main(void)
{
	struct vdagent_options o;

	is_int(parse(&o, (const char *[]){ NULL }), 0, "no options");
	ok(strcmp(o.socket_path, VDAGENT_DEFAULT_SOCKET) == 0, "default socket");
	is_int(o.xfer_dir_kind, XFER_DIR_XDG_DOWNLOAD, "default xdg-download");
	is_int(o.open_dir, -1, "open dir not given");
	ok(!o.foreground && o.debug == 0, "background, quiet");

	/* what Xspice passes */
	is_int(parse(&o, (const char *[]){ "-x", "-s", "/tmp/v.virtio", "-S",
					   "/tmp/v.udcs", NULL }),
	       0, "Xspice's command line");
	ok(o.foreground, "-x");
	ok(strcmp(o.socket_path, "/tmp/v.udcs") == 0, "-S");
	ok(strcmp(o.port_path, "/tmp/v.virtio") == 0, "-s accepted");

	is_int(parse(&o, (const char *[]){ "-d", "-d", "-f", "xdg-desktop", "-o",
					   "1", "--display", ":5", NULL }),
	       0, "debug, desktop dir, open, display");
	is_int(o.debug, 2, "-d counted");
	is_int(o.xfer_dir_kind, XFER_DIR_XDG_DESKTOP, "-f xdg-desktop");
	is_int(o.open_dir, 1, "-o 1");
	ok(o.display && strcmp(o.display, ":5") == 0, "--display");

	is_int(parse(&o, (const char *[]){ "-f", "/srv/in", "-o", "0", NULL }), 0,
	       "-f DIR");
	is_int(o.xfer_dir_kind, XFER_DIR_PATH, "-f DIR kind");
	ok(strcmp(o.xfer_dir, "/srv/in") == 0, "-f DIR path");
	is_int(o.open_dir, 0, "-o 0");

	is_int(parse(&o, (const char *[]){ "--file-xfer-save-dir=xdg-download",
					   "--foreground", "-y", NULL }),
	       0, "long forms, -y accepted");
	ok(o.foreground && o.xfer_dir_kind == XFER_DIR_XDG_DOWNLOAD,
	   "long forms parsed");

	is_int(parse(&o, (const char *[]){ "-o", "2", NULL }), -22, "-o 2 refused");
	is_int(parse(&o, (const char *[]){ "-S", NULL }), -22,
	       "-S without a path refused");
	is_int(parse(&o, (const char *[]){ "-q", NULL }), -22, "unknown refused");
	is_int(parse(&o, (const char *[]){ "extra", NULL }), -22,
	       "stray argument refused");
	is_int(parse(&o, (const char *[]){ "-f", "", NULL }), -22,
	       "empty -f refused");
	is_int(parse(&o, (const char *[]){ NULL }), 0, "no options");
	is_int(o.backend, VDAGENT_BACKEND_AUTO, "default backend: auto");
	is_int(parse(&o, (const char *[]){ "--backend", "wayland", NULL }), 0,
	       "--backend wayland");
	is_int(o.backend, VDAGENT_BACKEND_WAYLAND, "... parsed");
	is_int(parse(&o, (const char *[]){ "--backend=x11", NULL }), 0,
	       "--backend=x11");
	is_int(o.backend, VDAGENT_BACKEND_X11, "... parsed");
	is_int(parse(&o, (const char *[]){ "--backend", "mir", NULL }), -22,
	       "--backend mir refused");

	is_int(parse(&o, (const char *[]){ "--help", NULL }), 0, "--help");
	ok(o.help, "--help flagged");
	return tap_done();
}
