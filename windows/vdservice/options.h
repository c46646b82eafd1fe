/* SPDX-License-Identifier: MIT */
/*
 * vdservice's command line, parsed without Win32 calls (unit-tested):
 *
 *   vdservice [-d] install [--agent-args STRING]
 *   vdservice [-d] uninstall
 *   vdservice [-d]              run as the service (the SCM starts it so)
 *   vdservice --help | --version
 *
 * --agent-args stores STRING in the registry value AgentArguments
 * (service-config.h); it is appended verbatim to the agent's command line.
 */
#pragma once

#include <stdbool.h>
#include <wchar.h>

enum vds_command {
	VDS_CMD_SERVICE,
	VDS_CMD_INSTALL,
	VDS_CMD_UNINSTALL,
	VDS_CMD_HELP,
	VDS_CMD_VERSION,
};

struct vds_options {
	enum vds_command command;
	bool debug;
	const wchar_t *agent_args; /* into argv, or NULL when not given */
};

/*
 * Parse argv[1..argc-1].  Returns 0, or -EINVAL with a one-line reason in
 * *error (a static string).
 */
int vds_options_parse(struct vds_options *o, int argc, wchar_t **argv,
		      const char **error);

/* The --help text. */
extern const char vds_options_usage[];
