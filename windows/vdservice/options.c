/* SPDX-License-Identifier: MIT */
#include "options.h"

#include <errno.h>
#include <string.h>

const char vds_options_usage[] =
	"Usage: vdservice [-d] install [--agent-args STRING]\n"
	"       vdservice [-d] uninstall\n"
	"       vdservice --help | --version\n"
	"\n"
	"Keeps the SPICE guest agent (vdagent.exe, in the same folder) running\n"
	"in the active console session.\n"
	"\n"
	"  install      register and start the service \"vdservice\"\n"
	"               (run as administrator)\n"
	"  uninstall    stop and remove the service\n"
	"  --agent-args STRING\n"
	"               arguments the service passes to vdagent.exe (stored\n"
	"               in the registry value HKLM\\SOFTWARE\\vdagent\\AgentArguments;\n"
	"               \"sc control vdservice 128\" restarts the agent with them)\n"
	"  -d, --debug  log debug messages too\n"
	"\n"
	"Without a command it runs as the service; only the service control\n"
	"manager starts it so.  Log: %PROGRAMDATA%\\vdagent\\vdservice.log\n";

static bool arg_is(const wchar_t *arg, const wchar_t *a, const wchar_t *b)
{
	return wcscmp(arg, a) == 0 || (b && wcscmp(arg, b) == 0);
}

static int fail(const char **error, const char *why)
{
	*error = why;
	return -EINVAL;
}

int vds_options_parse(struct vds_options *o, int argc, wchar_t **argv,
		      const char **error)
{
	bool have_command = false;

	memset(o, 0, sizeof(*o));
	o->command = VDS_CMD_SERVICE;
	*error = NULL;
	for (int i = 1; i < argc; i++) {
		const wchar_t *arg = argv[i];

		if (arg_is(arg, L"-h", L"--help")) {
			o->command = VDS_CMD_HELP;
			return 0;
		} else if (arg_is(arg, L"-V", L"--version")) {
			o->command = VDS_CMD_VERSION;
			return 0;
		} else if (arg_is(arg, L"-d", L"--debug")) {
			o->debug = true;
		} else if (arg_is(arg, L"--agent-args", NULL)) {
			if (i + 1 >= argc)
				return fail(error, "--agent-args needs a value");
			o->agent_args = argv[++i];
		} else if (arg[0] == L'-') {
			return fail(error, "unknown option");
		} else if (have_command) {
			return fail(error, "more than one command");
		} else if (arg_is(arg, L"install", NULL)) {
			o->command = VDS_CMD_INSTALL;
			have_command = true;
		} else if (arg_is(arg, L"uninstall", NULL)) {
			o->command = VDS_CMD_UNINSTALL;
			have_command = true;
		} else {
			return fail(error, "unknown command");
		}
	}
	if (o->agent_args && o->command != VDS_CMD_INSTALL)
		return fail(error, "--agent-args is for install only");
	return 0;
}
