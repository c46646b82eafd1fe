/* SPDX-License-Identifier: MIT */
/* vdagent.exe: options, log, Winsock, then the agent's loop. */
#include <winsock2.h>
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent-core.h"
#include "config.h"
#include "log.h"
#include "options.h"

static DWORD main_thread;

/* Ctrl-C, Ctrl-Break, console close: leave the loop cleanly. */
static BOOL WINAPI on_console_event(DWORD type)
{
	PostThreadMessageW(main_thread, WM_QUIT, 0, 0);
	return TRUE;
}

/* The UTF-16 command line as UTF-8 strings (argv[argc] == NULL). */
static char **utf8_argv(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));

	if (!argv)
		return NULL;
	for (int i = 0; i < argc; i++) {
		int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0,
					    NULL, NULL);

		argv[i] = n > 0 ? malloc((size_t)n) : NULL;
		if (!argv[i])
			return NULL; /* the process exits at once */
		WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL,
				    NULL);
	}
	return argv;
}

/* -municode: the C runtime calls wmain with the UTF-16 command line */
int wmain(int argc, wchar_t **wargv);

int wmain(int argc, wchar_t **wargv)
{
	struct wa_options opt;
	struct wa_agent *a;
	char err[256];
	char **argv;
	WSADATA wsa;
	int code;

	argv = utf8_argv(argc, wargv);
	if (!argv) {
		fprintf(stderr, "vdagent: out of memory\n");
		return 1;
	}
	if (wa_options_parse(&opt, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "vdagent: %s\nTry 'vdagent.exe --help'.\n",
			err);
		return 2;
	}
	if (opt.help) {
		fputs(wa_options_usage(), stdout);
		return 0;
	}
	if (opt.version) {
		printf("vdagent.exe %s\n", PACKAGE_VERSION);
		return 0;
	}
	main_thread = GetCurrentThreadId();
	/* create the thread's message queue before anyone posts to it */
	MSG m;
	PeekMessageW(&m, NULL, WM_USER, WM_USER, PM_NOREMOVE);
	SetConsoleCtrlHandler(on_console_event, TRUE);
	/* real pixels for the display and mouse arithmetic */
	SetProcessDPIAware();

	wa_log_init(opt.debug);
	wa_info("vdagent.exe %s starting: port %s, file transfer %s%s",
		PACKAGE_VERSION, opt.port,
		opt.xfer_disabled ? "disabled" : "to ",
		opt.xfer_disabled ? "" : opt.xfer_dir);
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		wa_error("Winsock failed to start");
		return 1;
	}
	a = wa_agent_new(&opt);
	if (!a) {
		WSACleanup();
		return 1;
	}
	code = wa_agent_run(a);
	wa_agent_free(a);
	WSACleanup();
	wa_log_close();
	return code;
}
