/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for vdagent.exe in the service tests: appends
 *	start PID SESSION
 * to the file named by --pid-file, waits on vdservice's stop event
 * (windows/vdservice/agent-stop.h), then appends
 *	stop PID
 * and exits 0.  Without a stop event (not started by vdservice) it
 * appends "no-stop-event PID" and waits until it is killed.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "agent-stop.h"

static void append(const char *path, const char *line)
{
	FILE *f = fopen(path, "a");

	if (f) {
		fputs(line, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	const char *pid_file = NULL;
	WCHAR name[64];
	char line[128];
	DWORD pid = GetCurrentProcessId(), session = 0;
	HANDLE stop;

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--pid-file") == 0)
			pid_file = argv[i + 1];
	if (!pid_file)
		return 2;
	ProcessIdToSessionId(pid, &session);
	snprintf(line, sizeof(line), "start %lu %lu\n", pid, session);
	append(pid_file, line);
	_snwprintf(name, 64, VDS_AGENT_STOP_EVENT_FMT, pid);
	name[63] = 0;
	stop = OpenEventW(SYNCHRONIZE, FALSE, name);
	if (!stop) {
		snprintf(line, sizeof(line), "no-stop-event %lu\n", pid);
		append(pid_file, line);
		Sleep(INFINITE);
	}
	WaitForSingleObject(stop, INFINITE);
	snprintf(line, sizeof(line), "stop %lu\n", pid);
	append(pid_file, line);
	return 0;
}
