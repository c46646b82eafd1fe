/* SPDX-License-Identifier: MIT */
/* vdservice's pure logic: backoff, session decisions, command lines. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <wchar.h>

#include "agent-command.h"
#include "options.h"
#include "policy.h"
#include "tap.h"

static void test_backoff(void)
{
	static const uint32_t want[] = { 1000, 2000, 4000, 8000, 16000,
					 30000, 30000, 30000 };
	struct vds_backoff b;
	uint32_t got;

	vds_backoff_init(&b);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		is_int(vds_backoff_next(&b, 0), want[i],
		       "backoff: failure %d waits %u ms", (int)i + 1,
		       (unsigned)want[i]);
	is_int(vds_backoff_next(&b, VDS_BACKOFF_RESET_MS - 1), 30000,
	       "backoff: a run just under the reset time keeps the maximum");
	is_int(vds_backoff_next(&b, VDS_BACKOFF_RESET_MS), 1000,
	       "backoff: a run of the reset time starts over at 1 s");
	is_int(vds_backoff_next(&b, 5), 2000,
	       "backoff: then doubles again");
	vds_backoff_init(&b);
	got = vds_backoff_next(&b, 10 * VDS_BACKOFF_RESET_MS);
	is_int(got, 1000, "backoff: first exit after a long run waits 1 s");
	ok(VDS_BACKOFF_MIN_MS > 0, "backoff: no path restarts without delay");
}

static void test_sessions(void)
{
	static const struct {
		uint32_t event, session, console;
		enum vds_action want;
		const char *what;
	} cases[] = {
		{ VDS_SESSION_CONSOLE_CONNECT, 2, 2, VDS_ACTION_RESTART,
		  "console connect restarts" },
		{ VDS_SESSION_CONSOLE_CONNECT, 3, 2, VDS_ACTION_RESTART,
		  "console connect restarts even when reported late" },
		{ VDS_SESSION_CONSOLE_DISCONNECT, 1, UINT32_MAX,
		  VDS_ACTION_NONE, "console disconnect waits for a connect" },
		{ VDS_SESSION_LOGON, 1, 1, VDS_ACTION_RESTART,
		  "logon on the console restarts (user token)" },
		{ VDS_SESSION_LOGON, 4, 1, VDS_ACTION_NONE,
		  "logon in another (remote) session is ignored" },
		{ VDS_SESSION_LOGOFF, 1, 1, VDS_ACTION_RESTART,
		  "logoff on the console restarts (logon desktop)" },
		{ VDS_SESSION_LOGOFF, 4, 1, VDS_ACTION_NONE,
		  "logoff elsewhere is ignored" },
		{ VDS_SESSION_LOCK, 1, 1, VDS_ACTION_NONE,
		  "lock keeps the agent" },
		{ VDS_SESSION_UNLOCK, 1, 1, VDS_ACTION_NONE,
		  "unlock keeps the agent" },
		{ VDS_SESSION_REMOTE_CONNECT, 4, 1, VDS_ACTION_NONE,
		  "remote connect is ignored" },
		{ VDS_SESSION_REMOTE_DISCONNECT, 4, 1, VDS_ACTION_NONE,
		  "remote disconnect is ignored" },
		{ VDS_SESSION_REMOTE_CONTROL, 1, 1, VDS_ACTION_NONE,
		  "remote control is ignored" },
		{ 0, 1, 1, VDS_ACTION_NONE, "event 0 is ignored" },
		{ 1000, 1, 1, VDS_ACTION_NONE, "unknown event is ignored" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(vds_session_action(cases[i].event, cases[i].session,
					  cases[i].console),
		       cases[i].want, "session: %s", cases[i].what);
	ok(strcmp(vds_session_event_name(VDS_SESSION_LOGON), "logon") == 0,
	   "session: event names");
	ok(strcmp(vds_session_event_name(77), "other") == 0,
	   "session: unknown event name");
}

static int parse(struct vds_options *o, const char **error, int argc, ...)
{
	wchar_t *argv[8] = { L"vdservice.exe" };
	va_list ap;

	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, wchar_t *);
	va_end(ap);
	return vds_options_parse(o, argc, argv, error);
}

static void test_options(void)
{
	struct vds_options o;
	const char *e;

	is_int(parse(&o, &e, 1), 0, "options: none is fine");
	is_int(o.command, VDS_CMD_SERVICE, "options: none runs the service");
	is_int(parse(&o, &e, 2, L"-d"), 0, "options: -d");
	ok(o.debug && o.command == VDS_CMD_SERVICE, "options: -d service");
	is_int(parse(&o, &e, 2, L"install"), 0, "options: install");
	ok(o.command == VDS_CMD_INSTALL && !o.agent_args && !o.debug,
	   "options: install, no agent args");
	is_int(parse(&o, &e, 5, L"-d", L"install", L"--agent-args",
		     L"--port tcp:1"),
	       0, "options: install --agent-args");
	ok(o.debug && o.agent_args && wcscmp(o.agent_args, L"--port tcp:1") == 0,
	   "options: agent args kept verbatim");
	is_int(parse(&o, &e, 2, L"uninstall"), 0, "options: uninstall");
	is_int(o.command, VDS_CMD_UNINSTALL, "options: uninstall command");
	is_int(parse(&o, &e, 2, L"--help"), 0, "options: --help");
	is_int(o.command, VDS_CMD_HELP, "options: help");
	is_int(parse(&o, &e, 3, L"bogus", L"-h"), -EINVAL,
	       "options: unknown command before -h fails");
	is_int(parse(&o, &e, 2, L"-V"), 0, "options: -V");
	is_int(o.command, VDS_CMD_VERSION, "options: version");
	is_int(parse(&o, &e, 2, L"--frob"), -EINVAL, "options: unknown option");
	ok(e && strstr(e, "unknown option"), "options: says why");
	is_int(parse(&o, &e, 3, L"install", L"uninstall"), -EINVAL,
	       "options: two commands");
	is_int(parse(&o, &e, 2, L"--agent-args"), -EINVAL,
	       "options: --agent-args without value");
	is_int(parse(&o, &e, 4, L"uninstall", L"--agent-args", L"x"), -EINVAL,
	       "options: --agent-args only with install");
}

static void test_command(void)
{
	wchar_t path[64], cmd[128];

	is_int(vds_agent_command(L"C:\\Program Files\\SPICE\\vdservice.exe",
				 NULL, path, 64, cmd, 128),
	       0, "command: plain");
	ok(wcscmp(path, L"C:\\Program Files\\SPICE\\vdagent.exe") == 0,
	   "command: agent next to the service");
	ok(wcscmp(cmd, L"\"C:\\Program Files\\SPICE\\vdagent.exe\"") == 0,
	   "command: path quoted, no arguments");
	is_int(vds_agent_command(L"C:\\x\\vdservice.exe", L"-d --port tcp:1",
				 NULL, 0, cmd, 128),
	       0, "command: with arguments");
	ok(wcscmp(cmd, L"\"C:\\x\\vdagent.exe\" -d --port tcp:1") == 0,
	   "command: arguments appended after one space");
	is_int(vds_agent_command(L"C:\\x\\vdservice.exe", L"", NULL, 0, cmd,
				 128),
	       0, "command: empty arguments");
	ok(wcscmp(cmd, L"\"C:\\x\\vdagent.exe\"") == 0,
	   "command: empty arguments add nothing");
	is_int(vds_agent_command(L"C:/x/y\\z/vdservice.exe", NULL, path, 64,
				 cmd, 128),
	       0, "command: forward slashes");
	ok(wcscmp(path, L"C:/x/y\\z/vdagent.exe") == 0,
	   "command: last separator of either kind");
	is_int(vds_agent_command(L"vdservice.exe", NULL, path, 64, cmd, 128),
	       -EINVAL, "command: no folder");
	is_int(vds_agent_command(L"C:\\a\"b\\vdservice.exe", NULL, path, 64,
				 cmd, 128),
	       -EINVAL, "command: a quote in the path");
	is_int(vds_agent_command(L"C:\\x\\vdservice.exe", L"0123456789", path,
				 64, cmd, 28),
	       -ENAMETOOLONG, "command: too long for the buffer");
	is_int(vds_agent_command(L"C:\\xxxxxxxxxxxxxxxxxxxxxx\\vdservice.exe",
				 NULL, path, 16, cmd, 128),
	       -ENAMETOOLONG, "command: path too long for its buffer");
}

int main(void)
{
	test_backoff();
	test_sessions();
	test_options();
	test_command();
	return tap_done();
}
