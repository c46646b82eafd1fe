/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>

#include "options.h"

enum { OPT_RECORD = 256 };

static const struct option long_options[] = {
	{ "debug", no_argument, NULL, 'd' },
	{ "virtio-serial-port-path", required_argument, NULL, 's' },
	{ "vdagentd-socket", required_argument, NULL, 'S' },
	{ "uinput-device", required_argument, NULL, 'u' },
	{ "fake-uinput", no_argument, NULL, 'f' },
	{ "foreground", no_argument, NULL, 'x' },
	{ "one-session", no_argument, NULL, 'o' },
	{ "disable-session-integration", no_argument, NULL, 'X' },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void vdagentd_options_usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"Usage: %s [OPTION...]\n"
		"SPICE guest agent system daemon.\n"
		"\n"
		"  -d, --debug                        log debug messages (twice: more)\n"
		"  -s, --virtio-serial-port-path PATH the agent port: a character device or\n"
		"                                     a unix socket to connect to\n"
		"                                     (default " VDAGENTD_DEFAULT_PORT ")\n"
		"  -S, --vdagentd-socket PATH         the session agents' socket\n"
		"                                     (default " VDAGENTD_DEFAULT_SOCKET ")\n"
		"  -u, --uinput-device PATH           uinput device (default " VDAGENTD_DEFAULT_UINPUT ")\n"
		"  -f, --fake-uinput                  write input_event records to the file\n"
		"                                     or FIFO at -u, no ioctls (Xspice)\n"
		"  -x, --foreground                   do not daemonize\n"
		"  -o, --one-session                  exit after one port session\n"
		"  -X, --disable-session-integration  no systemd-logind: one agent at a time\n"
		"      --record FILE                  record the raw port traffic to FILE\n"
		"                                     (received) and FILE.out (sent)\n"
		"  -h, --help                         show this help\n",
		argv0);
}

int vdagentd_options_parse(struct vdagentd_options *o, int argc, char **argv,
			   FILE *err)
{
	int c;

	*o = (struct vdagentd_options){
		.port_path = VDAGENTD_DEFAULT_PORT,
		.socket_path = VDAGENTD_DEFAULT_SOCKET,
		.uinput_path = VDAGENTD_DEFAULT_UINPUT,
	};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ds:S:u:fxoXh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			o->debug++;
			break;
		case 's':
			o->port_path = optarg;
			break;
		case 'S':
			o->socket_path = optarg;
			break;
		case 'u':
			o->uinput_path = optarg;
			break;
		case 'f':
			o->fake_uinput = true;
			break;
		case 'x':
			o->foreground = true;
			break;
		case 'o':
			o->one_session = true;
			break;
		case 'X':
			o->no_sessions = true;
			break;
		case OPT_RECORD:
			o->record_path = optarg;
			break;
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
	if (!*o->port_path || !*o->socket_path || !*o->uinput_path) {
		fprintf(err, "%s: empty path\n", argv[0]);
		return -EINVAL;
	}
	return 0;
}
