/* SPDX-License-Identifier: MIT */
/*
 * A test launcher run under wine: starts a program as vdservice does
 * (suspended, then the stop event Global\vdagent-stop-PID, then resumed:
 * windows/vdservice/agent-stop.h), prints "started PID", and when a line
 * arrives on stdin sets the event and prints "exit CODE" once the program
 * has ended, or "timeout" after 20 s.
 *
 *   wa-stop-launcher.exe PROGRAM [ARGS...]
 */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>

#include "../../windows/vdservice/agent-stop.h"

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	wchar_t cmd[4096] = L"";
	wchar_t name[64];
	STARTUPINFOW si = { .cb = sizeof(si) };
	PROCESS_INFORMATION pi;
	HANDLE ev;
	DWORD code;
	char line[16];

	if (argc < 2)
		return 2;
	for (int i = 1; i < argc; i++) {
		wcsncat(cmd, L"\"", 4095 - wcslen(cmd));
		wcsncat(cmd, argv[i], 4095 - wcslen(cmd));
		wcsncat(cmd, L"\" ", 4095 - wcslen(cmd));
	}
	if (!CreateProcessW(argv[1], cmd, NULL, NULL, TRUE, CREATE_SUSPENDED,
			    NULL, NULL, &si, &pi)) {
		printf("error %lu\n", GetLastError());
		return 1;
	}
	_snwprintf(name, 64, VDS_AGENT_STOP_EVENT_FMT, pi.dwProcessId);
	name[63] = 0;
	ev = CreateEventW(NULL, TRUE, FALSE, name);
	ResumeThread(pi.hThread);
	printf("started %lu\n", pi.dwProcessId);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	SetEvent(ev);
	if (WaitForSingleObject(pi.hProcess, 20000) != WAIT_OBJECT_0) {
		printf("timeout\n");
		TerminateProcess(pi.hProcess, 1);
		return 1;
	}
	GetExitCodeProcess(pi.hProcess, &code);
	printf("exit %lu\n", code);
	return 0;
}
