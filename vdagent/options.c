/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "options.h"
#include "vdp-util.h"

enum { OPT_DISPLAY = 256, OPT_VERSION, OPT_BACKEND };

static const struct option long_options[] = {
	{ "debug", no_argument, NULL, 'd' },
	{ "foreground", no_argument, NULL, 'x' },
	{ "virtio-serial-port-path", required_argument, NULL, 's' },
	{ "vdagentd-socket", required_argument, NULL, 'S' },
	{ "file-xfer-save-dir", required_argument, NULL, 'f' },
	{ "file-xfer-open-dir", required_argument, NULL, 'o' },
	{ "x11-abort-on-error", no_argument, NULL, 'y' },
	{ "display", required_argument, NULL, OPT_DISPLAY },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void vdagent_options_usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"Usage: %s [OPTION...]\n"
		"SPICE guest agent for an X11 or Wayland session: monitor layout,\n"
		"clipboard and file transfer, through the vdagentd system daemon.\n"
		"\n"
		"  -d, --debug                      log debug messages\n"
		"  -x, --foreground                 do not daemonize\n"
		"  -s, --virtio-serial-port-path PATH\n"
		"                                   accepted for compatibility, unused\n"
		"  -S, --vdagentd-socket PATH       the daemon's socket\n"
		"                                   (default " VDAGENT_DEFAULT_SOCKET ")\n"
		"  -f, --file-xfer-save-dir DIR|xdg-desktop|xdg-download\n"
		"                                   where transferred files go\n"
		"                                   (default xdg-download)\n"
		"  -o, --file-xfer-open-dir 0|1     open the directory after a transfer\n"
		"                                   (default 0)\n"
		"      --display DISPLAY            the X display (default $DISPLAY)\n"
		"      --backend auto|x11|wayland   the kind of session (default auto:\n"
		"                                   Wayland when $WAYLAND_DISPLAY answers)\n"
		"  -h, --help                       show this help\n"
		"      --version                    show the version\n",
		argv0);
}

int vdagent_options_parse(struct vdagent_options *o, int argc, char **argv,
			  FILE *err)
{
	int c;

	*o = (struct vdagent_options){
		.socket_path = VDAGENT_DEFAULT_SOCKET,
		.port_path = VDAGENT_DEFAULT_PORT,
		.xfer_dir_kind = XFER_DIR_XDG_DOWNLOAD,
		.open_dir = -1,
	};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":dxs:S:f:o:yh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			o->debug++;
			break;
		case 'x':
			o->foreground = true;
			break;
		case 's':
			o->port_path = optarg;
			break;
		case 'S':
			o->socket_path = optarg;
			break;
		case 'f':
			if (streq(optarg, "xdg-desktop")) {
				o->xfer_dir_kind = XFER_DIR_XDG_DESKTOP;
			} else if (streq(optarg, "xdg-download")) {
				o->xfer_dir_kind = XFER_DIR_XDG_DOWNLOAD;
			} else if (*optarg) {
				o->xfer_dir_kind = XFER_DIR_PATH;
				o->xfer_dir = optarg;
			} else {
				fprintf(err, "%s: -f needs a directory\n",
					argv[0]);
				return -EINVAL;
			}
			break;
		case 'o':
			if (streq(optarg, "0") || streq(optarg, "1")) {
				o->open_dir = optarg[0] - '0';
			} else {
				fprintf(err, "%s: -o takes 0 or 1, not '%s'\n",
					argv[0], optarg);
				return -EINVAL;
			}
			break;
		case 'y':
			break; /* spice-vdagent's debugging aid; accepted */
		case OPT_DISPLAY:
			o->display = optarg;
			break;
		case OPT_BACKEND:
			if (streq(optarg, "auto")) {
				o->backend = VDAGENT_BACKEND_AUTO;
			} else if (streq(optarg, "x11")) {
				o->backend = VDAGENT_BACKEND_X11;
			} else if (streq(optarg, "wayland")) {
				o->backend = VDAGENT_BACKEND_WAYLAND;
			} else {
				fprintf(err, "%s: --backend takes auto, x11 or "
					"wayland, not '%s'\n", argv[0], optarg);
				return -EINVAL;
			}
			break;
		case OPT_VERSION:
			o->version = true;
			return 0;
		case 'h':
			o->help = true;
			return 0;
		case ':':
			fprintf(err, "%s: option '%s' needs an argument\n",
				argv[0], argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(err, "%s: unknown option '%s' (try --help)\n",
				argv[0], argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(err, "%s: unexpected argument '%s'\n", argv[0],
			argv[optind]);
		return -EINVAL;
	}
	if (!*o->socket_path) {
		fprintf(err, "%s: empty socket path\n", argv[0]);
		return -EINVAL;
	}
	return 0;
}
