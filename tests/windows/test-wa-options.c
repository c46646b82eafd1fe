/* SPDX-License-Identifier: MIT */
/* windows/vdagent/options.c: the command line of vdagent.exe. */
#include <errno.h>
#include <string.h>

#include "options.h"
#include "tap.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int parse(struct wa_options *o, int argc, char **argv, char *err)
{
	return wa_options_parse(o, argc, argv, err, 256);
}

int main(void)
{
	struct wa_options o;
	char err[256];
	char host[64];
	unsigned port;

	{
		char *argv[] = { "vdagent" };
		is_int(parse(&o, ARGC(argv), argv, err), 0, "no options");
		ok(strcmp(o.port, WA_DEFAULT_PORT) == 0,
		   "default port is the virtio one");
		ok(strcmp(o.xfer_dir, "desktop") == 0, "default: desktop");
		ok(!o.xfer_disabled && !o.debug && !o.help && !o.version,
		   "default flags clear");
	}
	{
		char *argv[] = { "vdagent", "-s", "tcp:127.0.0.1:5000", "-d",
				 "-x", "--file-xfer-save-dir=download" };
		is_int(parse(&o, ARGC(argv), argv, err), 0, "all options");
		ok(strcmp(o.port, "tcp:127.0.0.1:5000") == 0, "-s value");
		ok(o.debug && o.xfer_disabled, "-d and -x");
		ok(strcmp(o.xfer_dir, "download") == 0, "--opt=value");
	}
	{
		char *argv[] = { "vdagent", "-dxs", "tcp:h:1", "--port",
				 "tcp:h:2", "-fC:\\dir" };
		is_int(parse(&o, ARGC(argv), argv, err), 0, "grouped shorts");
		ok(o.debug && o.xfer_disabled, "-dx grouped");
		ok(strcmp(o.port, "tcp:h:2") == 0, "the last --port wins");
		ok(strcmp(o.xfer_dir, "C:\\dir") == 0, "-fVALUE attached");
	}
	{
		char *argv[] = { "vdagent", "--help" };
		is_int(parse(&o, ARGC(argv), argv, err), 0, "--help");
		ok(o.help, "help set");
		ok(strstr(wa_options_usage(), "--disable-file-xfer") != NULL,
		   "usage mentions -x");
	}
	{
		char *argv[] = { "vdagent", "--version" };
		is_int(parse(&o, ARGC(argv), argv, err), 0, "--version");
		ok(o.version, "version set");
	}
	static const char *bad[][3] = {
		{ "-q", NULL, "unknown short option" },
		{ "--bogus", NULL, "unknown long option" },
		{ "-s", NULL, "-s without a value" },
		{ "--port", NULL, "--port without a value" },
		{ "--debug=1", NULL, "a value for a flag" },
		{ "extra", NULL, "an operand" },
		{ "-s", "tcp:host", "tcp: without a port" },
		{ "-s", "tcp:host:0", "tcp port 0" },
		{ "-s", "tcp:host:65536", "tcp port too large" },
		{ "-s", "tcp::5000", "tcp without a host" },
		{ "-s", "tcp:h:12x", "tcp port with junk" },
		{ "-s", "", "empty port" },
		{ "-f", "", "empty directory" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "vdagent", (char *)bad[i][0],
				 (char *)bad[i][1] };
		int argc = bad[i][1] ? 3 : 2;

		err[0] = 0;
		is_int(parse(&o, argc, argv, err), -EINVAL, "rejected: %s",
		       bad[i][2]);
		ok(err[0] != 0, "with a reason (%s)", err);
	}

	is_int(wa_options_parse_tcp("tcp:127.0.0.1:4242", host, sizeof(host),
				    &port), 0, "parse tcp");
	ok(strcmp(host, "127.0.0.1") == 0 && port == 4242, "host and port");
	is_int(wa_options_parse_tcp("tcp:[::1]:1", host, sizeof(host), &port), 0,
	       "the last colon splits");
	is_int(wa_options_parse_tcp("\\\\.\\Global\\x", host, sizeof(host),
				    &port), -ENOENT, "device path is not tcp");
	is_int(wa_options_parse_tcp("tcp:averyveryverylonghostname:1", host, 8,
				    &port), -EINVAL, "host too long for buffer");
	return tap_done();
}
