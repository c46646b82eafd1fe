/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

static const char usage[] =
	"Usage: vdagent.exe [OPTION...]\n"
	"\n"
	"The SPICE guest agent for Windows.  It runs in the user's session,\n"
	"talks to the SPICE client through the agent port and moves the mouse\n"
	"in client mouse mode, follows the client's monitor layout, and shares\n"
	"the clipboard and receives files.  vdservice.exe starts it in the\n"
	"active console session.\n"
	"\n"
	"Options:\n"
	"  -s, --port PATH|tcp:HOST:PORT\n"
	"        the agent port: a device path (default\n"
	"        " WA_DEFAULT_PORT ", virtio-win's vioserial port)\n"
	"        or tcp:HOST:PORT, the same byte stream over TCP (for tests).\n"
	"        When the port closes or fails the agent opens it again,\n"
	"        waiting 100 ms at first and up to 10 s between tries.\n"
	"  -f, --file-xfer-save-dir DIR|desktop|download\n"
	"        where received files go: the Desktop folder (default), the\n"
	"        Downloads folder, or a directory.\n"
	"  -x, --disable-file-xfer\n"
	"        refuse every file transfer (the client is told so).\n"
	"  -d, --debug\n"
	"        log debug messages, and log to stderr too.\n"
	"  -h, --help\n"
	"        print this help and exit.\n"
	"      --version\n"
	"        print the version and exit.\n"
	"\n"
	"Log: %LOCALAPPDATA%\\vdagent\\vdagent.log (about 1 MiB at most; the\n"
	"previous one is kept as vdagent.log.1).\n"
	"\n"
	"Started by vdservice.exe, it also exits when the service sets the\n"
	"event Global\\vdagent-stop-PID.\n"
	"\n"
	"Exit status: 0 on a clean exit, 1 on a start-up error, 2 on a usage\n"
	"error.\n";

const char *wa_options_usage(void)
{
	return usage;
}

enum opt_id { OPT_PORT, OPT_DIR, OPT_NOXFER, OPT_DEBUG, OPT_HELP, OPT_VERSION };

struct opt_def {
	char short_name; /* 0: long only */
	const char *long_name;
	bool has_value;
	enum opt_id id;
};

static const struct opt_def defs[] = {
	{ 's', "port", true, OPT_PORT },
	{ 'f', "file-xfer-save-dir", true, OPT_DIR },
	{ 'x', "disable-file-xfer", false, OPT_NOXFER },
	{ 'd', "debug", false, OPT_DEBUG },
	{ 'h', "help", false, OPT_HELP },
	{ 0, "version", false, OPT_VERSION },
};

static void apply(struct wa_options *o, enum opt_id id, const char *value)
{
	switch (id) {
	case OPT_PORT:
		o->port = value;
		break;
	case OPT_DIR:
		o->xfer_dir = value;
		break;
	case OPT_NOXFER:
		o->xfer_disabled = true;
		break;
	case OPT_DEBUG:
		o->debug = true;
		break;
	case OPT_HELP:
		o->help = true;
		break;
	case OPT_VERSION:
		o->version = true;
		break;
	}
}

static const struct opt_def *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (strlen(defs[i].long_name) == len &&
		    strncmp(defs[i].long_name, name, len) == 0)
			return &defs[i];
	return NULL;
}

static const struct opt_def *find_short(char c)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (defs[i].short_name && defs[i].short_name == c)
			return &defs[i];
	return NULL;
}

/* One "--name[=value]" argument; *i moves past a separate value. */
static int parse_long(struct wa_options *o, int argc, char **argv, int *i,
		      char *err, size_t err_size)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt_def *d = find_long(arg, len);

	if (!d) {
		snprintf(err, err_size, "unknown option '%s'", argv[*i]);
		return -EINVAL;
	}
	if (!d->has_value) {
		if (eq) {
			snprintf(err, err_size, "option '--%s' takes no value",
				 d->long_name);
			return -EINVAL;
		}
		apply(o, d->id, NULL);
		return 0;
	}
	if (eq) {
		apply(o, d->id, eq + 1);
		return 0;
	}
	if (*i + 1 >= argc) {
		snprintf(err, err_size, "option '--%s' needs a value",
			 d->long_name);
		return -EINVAL;
	}
	apply(o, d->id, argv[++*i]);
	return 0;
}

/* One "-abc" group; the last letter may take the rest or the next arg. */
static int parse_short(struct wa_options *o, int argc, char **argv, int *i,
		       char *err, size_t err_size)
{
	const char *arg = argv[*i];

	for (size_t k = 1; arg[k]; k++) {
		const struct opt_def *d = find_short(arg[k]);

		if (!d) {
			snprintf(err, err_size, "unknown option '-%c'", arg[k]);
			return -EINVAL;
		}
		if (!d->has_value) {
			apply(o, d->id, NULL);
			continue;
		}
		if (arg[k + 1]) {
			apply(o, d->id, arg + k + 1);
			return 0;
		}
		if (*i + 1 >= argc) {
			snprintf(err, err_size, "option '-%c' needs a value",
				 d->short_name);
			return -EINVAL;
		}
		apply(o, d->id, argv[++*i]);
		return 0;
	}
	return 0;
}

static int check_values(const struct wa_options *o, char *err,
			size_t err_size)
{
	char host[256];
	unsigned port;

	if (!o->port[0]) {
		snprintf(err, err_size, "the port path is empty");
		return -EINVAL;
	}
	if (wa_options_parse_tcp(o->port, host, sizeof(host), &port) ==
	    -EINVAL) {
		snprintf(err, err_size,
			 "bad TCP port '%s': want tcp:HOST:PORT, PORT 1..65535",
			 o->port);
		return -EINVAL;
	}
	if (!o->xfer_dir[0]) {
		snprintf(err, err_size, "the file transfer directory is empty");
		return -EINVAL;
	}
	return 0;
}

int wa_options_parse(struct wa_options *o, int argc, char **argv, char *err,
		     size_t err_size)
{
	bool only_operands = false;
	int r;

	*o = (struct wa_options){
		.port = WA_DEFAULT_PORT,
		.xfer_dir = "desktop",
	};
	if (err_size)
		err[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!only_operands && strcmp(arg, "--") == 0) {
			only_operands = true;
			continue;
		}
		if (only_operands || arg[0] != '-' || arg[1] == '\0') {
			snprintf(err, err_size, "unexpected argument '%s'", arg);
			return -EINVAL;
		}
		if (arg[1] == '-')
			r = parse_long(o, argc, argv, &i, err, err_size);
		else
			r = parse_short(o, argc, argv, &i, err, err_size);
		if (r < 0)
			return r;
	}
	if (o->help || o->version)
		return 0;
	return check_values(o, err, err_size);
}

int wa_options_parse_tcp(const char *path, char *host_out, size_t host_size,
			 unsigned *port_out)
{
	const char *host, *colon;
	char *end;
	unsigned long port;
	size_t len;

	if (strncmp(path, "tcp:", 4) != 0)
		return -ENOENT;
	host = path + 4;
	colon = strrchr(host, ':');
	if (!colon || colon == host)
		return -EINVAL;
	len = (size_t)(colon - host);
	if (len >= host_size)
		return -EINVAL;
	if (colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || port == 0 || port > 65535)
		return -EINVAL;
	memcpy(host_out, host, len);
	host_out[len] = '\0';
	*port_out = (unsigned)port;
	return 0;
}
