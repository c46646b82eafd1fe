/* SPDX-License-Identifier: MIT */
/* vdagent-dump: decode a recorded SPICE agent port byte stream. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dump-stream.h"
#include "vdp-caps.h"
#include "vdp-util.h"

enum {
	EXIT_CLEAN = 0,
	EXIT_MALFORMED = 1,
	EXIT_USAGE = 2,
};

#define DEFAULT_MAX_MESSAGE (256u * 1024u * 1024u)

/* Keep in sync with tools/vdagent-dump.1 (tests/unit/test-dump.sh checks). */
static const char help_text[] =
	"Usage: vdagent-dump [OPTIONS] [FILE]\n"
	"Decode a recorded SPICE agent port byte stream (chunk headers and\n"
	"data, as on the virtio-serial port) into one line per message.\n"
	"FILE is read from standard input when absent or \"-\".\n"
	"\n"
	"Options:\n"
	"  -c, --caps=LIST          decode with LIST as the negotiated\n"
	"                           capabilities; announcements in the\n"
	"                           stream are then ignored\n"
	"  -p, --peer-caps=LIST     capabilities announced by the side that\n"
	"                           did not write the stream (default: the\n"
	"                           same as announced in the stream)\n"
	"  -P, --peer-stream=FILE   take the peer capabilities from the first\n"
	"                           announcement in FILE, the recording of\n"
	"                           the other direction\n"
	"  -m, --max-message=BYTES  largest message payload accepted\n"
	"                           (default: 268435456)\n"
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"LIST is a comma-separated list of capability names (MOUSE_STATE,\n"
	"CLIPBOARD_SELECTION, ...) or bit numbers, or \"all\" or \"none\".\n"
	"Until the stream announces capabilities nothing is negotiated.\n"
	"\n"
	"Each line shows the file offset (hex) where the message starts, the\n"
	"port (client or server), the message type, the payload size and the\n"
	"decoded fields.  Protocol violations are flagged with \"VIOLATION:\"\n"
	"and a reason.\n"
	"\n"
	"Exit status: 0 clean stream, 1 malformed stream, 2 usage or I/O\n"
	"error.\n";

__attribute__((format(printf, 1, 2))) static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vdagent-dump: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'vdagent-dump --help'.\n", stderr);
	return EXIT_USAGE;
}

/* "all", "none", or names/bit numbers separated by commas. */
static int parse_caps_list(const char *list, struct vdp_caps *caps)
{
	_cleanup_free_ char *copy = strdup(list);
	char *save = NULL;

	if (!copy)
		return -ENOMEM;
	vdp_caps_clear_all(caps);
	if (streq(list, "none"))
		return 0;
	for (char *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long bit;
		unsigned cap;

		if (strcasecmp(tok, "all") == 0) {
			for (cap = 0; cap < VDP_CAP_END; cap++)
				vdp_caps_set(caps, cap);
			continue;
		}
		errno = 0;
		bit = strtoul(tok, &end, 10);
		if (end != tok && *end == '\0' && errno == 0) {
			if (bit >= VDP_CAP_END)
				return -EINVAL;
			vdp_caps_set(caps, (unsigned)bit);
			continue;
		}
		for (cap = 0; cap < VDP_CAP_END; cap++)
			if (strcasecmp(tok, vdp_cap_name(cap)) == 0)
				break;
		if (cap == VDP_CAP_END)
			return -EINVAL;
		vdp_caps_set(caps, cap);
	}
	return 0;
}

static int parse_max_message(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || *end != '\0' || errno || s[0] == '-' || v == 0 ||
	    v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static FILE *open_input(const char *path)
{
	if (!path || streq(path, "-"))
		return stdin;
	return fopen(path, "rb");
}

int main(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "caps", required_argument, NULL, 'c' },
		{ "peer-caps", required_argument, NULL, 'p' },
		{ "peer-stream", required_argument, NULL, 'P' },
		{ "max-message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct dump_options opt = { .max_message = DEFAULT_MAX_MESSAGE };
	const char *peer_stream = NULL;
	const char *path;
	FILE *in;
	int c, r;

	while ((c = getopt_long(argc, argv, "c:p:P:m:hV", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			if (parse_caps_list(optarg, &opt.caps) < 0)
				return usage_error("bad capability list '%s'",
						   optarg);
			opt.fixed_caps = true;
			break;
		case 'p':
			if (parse_caps_list(optarg, &opt.peer_caps) < 0)
				return usage_error("bad capability list '%s'",
						   optarg);
			opt.have_peer_caps = true;
			break;
		case 'P':
			peer_stream = optarg;
			break;
		case 'm':
			if (parse_max_message(optarg, &opt.max_message) < 0)
				return usage_error("bad --max-message '%s'",
						   optarg);
			break;
		case 'h':
			fputs(help_text, stdout);
			return EXIT_CLEAN;
		case 'V':
			printf("vdagent-dump %s\n", PACKAGE_VERSION);
			return EXIT_CLEAN;
		default:
			fputs("Try 'vdagent-dump --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("too many arguments, starting at '%s'",
				   argv[optind + 1]);
	path = optind < argc ? argv[optind] : NULL;

	if (peer_stream) {
		FILE *pf = fopen(peer_stream, "rb");

		if (!pf) {
			fprintf(stderr, "vdagent-dump: %s: %s\n", peer_stream,
				strerror(errno));
			return EXIT_USAGE;
		}
		r = dump_find_caps(pf, opt.max_message, &opt.peer_caps);
		fclose(pf);
		if (r < 0) {
			fprintf(stderr, "vdagent-dump: %s: %s\n", peer_stream,
				r == -ENOENT ? "no capability announcement" :
				r == -EBADMSG ? "malformed before a capability "
						"announcement" :
				strerror(-r));
			return EXIT_USAGE;
		}
		opt.have_peer_caps = true;
	}

	in = open_input(path);
	if (!in) {
		fprintf(stderr, "vdagent-dump: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	r = dump_stream(&opt, in, stdout);
	if (in != stdin)
		fclose(in);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vdagent-dump: write error: %s\n",
			strerror(errno));
		return EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "vdagent-dump: %s: %s\n", path ? path : "stdin",
			strerror(-r));
		return EXIT_USAGE;
	}
	if (r == DUMP_MALFORMED) {
		fprintf(stderr, "vdagent-dump: %s: malformed stream\n",
			path ? path : "stdin");
		return EXIT_MALFORMED;
	}
	return EXIT_CLEAN;
}
