/* SPDX-License-Identifier: MIT */
/*
 * What the service tests ask Windows (wine's sc.exe has no qc/qfailure
 * and its tasklist.exe lists nothing):
 *
 *   test-win-service-probe qc NAME     key=value lines of the service's config
 *   test-win-service-probe state NAME  the service's state, or "missing"
 *   test-win-service-probe control NAME CODE
 *                             ControlService(NAME, CODE)
 *   test-win-service-probe alive PID   "alive" or "dead"
 *   test-win-service-probe kill PID    TerminateProcess(PID, 3)
 *
 * Exit status 0, or 1 when the question could not be asked.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <tlhelp32.h>
#include <msi.h>

static SC_HANDLE open_service(const char *name, DWORD access)
{
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	SC_HANDLE s = scm ? OpenServiceA(scm, name, access) : NULL;

	if (scm)
		CloseServiceHandle(scm);
	return s;
}

static int query_config(const char *name)
{
	static BYTE buf[8192];
	QUERY_SERVICE_CONFIGA *qc = (void *)buf;
	SERVICE_DESCRIPTIONA *d = (void *)buf;
	SERVICE_FAILURE_ACTIONSA *fa = (void *)buf;
	SC_HANDLE s = open_service(name, SERVICE_QUERY_CONFIG);
	DWORD need;

	if (!s) {
		printf("error=%lu\n", GetLastError());
		return 1;
	}
	if (!QueryServiceConfigA(s, qc, sizeof(buf), &need)) {
		printf("error=%lu\n", GetLastError());
		return 1;
	}
	printf("type=%lu\nstart_type=%lu\nerror_control=%lu\n",
	       qc->dwServiceType, qc->dwStartType, qc->dwErrorControl);
	printf("binary=%s\nstart_name=%s\ndisplay_name=%s\n",
	       qc->lpBinaryPathName, qc->lpServiceStartName ? qc->lpServiceStartName : "",
	       qc->lpDisplayName ? qc->lpDisplayName : "");
	if (QueryServiceConfig2A(s, SERVICE_CONFIG_DESCRIPTION, buf,
				 sizeof(buf), &need))
		printf("description=%s\n",
		       d->lpDescription ? d->lpDescription : "");
	if (QueryServiceConfig2A(s, SERVICE_CONFIG_FAILURE_ACTIONS, buf,
				 sizeof(buf), &need)) {
		printf("failure_reset=%lu\nfailure_actions=%lu\n",
		       fa->dwResetPeriod, fa->cActions);
		for (DWORD i = 0; i < fa->cActions; i++)
			printf("failure_action%lu=%d/%lu\n", i,
			       (int)fa->lpsaActions[i].Type,
			       fa->lpsaActions[i].Delay);
	} else {
		printf("failure_error=%lu\n", GetLastError());
	}
	CloseServiceHandle(s);
	return 0;
}

static int query_state(const char *name)
{
	static const char *const states[] = {
		"?", "stopped", "start-pending", "stop-pending", "running",
		"continue-pending", "pause-pending", "paused",
	};
	SC_HANDLE s = open_service(name, SERVICE_QUERY_STATUS);
	SERVICE_STATUS st;

	if (!s) {
		if (GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) {
			puts("missing");
			return 0;
		}
		printf("error=%lu\n", GetLastError());
		return 1;
	}
	if (!QueryServiceStatus(s, &st)) {
		printf("error=%lu\n", GetLastError());
		return 1;
	}
	puts(st.dwCurrentState < 8 ? states[st.dwCurrentState] : "?");
	CloseServiceHandle(s);
	return 0;
}

static int control(const char *name, const char *code)
{
	SC_HANDLE s = open_service(name, SERVICE_USER_DEFINED_CONTROL);
	SERVICE_STATUS st;

	if (!s || !ControlService(s, strtoul(code, NULL, 10), &st)) {
		printf("error=%lu\n", GetLastError());
		return 1;
	}
	puts("sent");
	CloseServiceHandle(s);
	return 0;
}

static int process(const char *pid_text, bool kill)
{
	DWORD pid = strtoul(pid_text, NULL, 10), code = 0;
	HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION |
				       PROCESS_TERMINATE,
			       FALSE, pid);

	if (kill) {
		if (!p || !TerminateProcess(p, 3)) {
			printf("error=%lu\n", GetLastError());
			return 1;
		}
		puts("killed");
	} else {
		bool alive = p && GetExitCodeProcess(p, &code) &&
			     code == STILL_ACTIVE;
		puts(alive ? "alive" : "dead");
	}
	if (p)
		CloseHandle(p);
	return 0;
}

static int list_pids(const char *exe)
{
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	PROCESSENTRY32 pe = { .dwSize = sizeof(pe) };

	if (snap == INVALID_HANDLE_VALUE) {
		printf("error=%lu\n", GetLastError());
		return 1;
	}
	for (BOOL more = Process32First(snap, &pe); more;
	     more = Process32Next(snap, &pe))
		if (_stricmp(pe.szExeFile, exe) == 0)
			printf("%lu\n", pe.th32ProcessID);
	CloseHandle(snap);
	return 0;
}

static int related_products(const char *upgrade_code)
{
	char product[39];
	UINT r;

	for (DWORD i = 0;; i++) {
		r = MsiEnumRelatedProductsA(upgrade_code, 0, i, product);
		if (r != ERROR_SUCCESS)
			break;
		puts(product);
	}
	if (r != ERROR_NO_MORE_ITEMS) {
		printf("error=%u\n", r);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "related") == 0)
		return related_products(argv[2]);
	if (argc == 2 && strcmp(argv[1], "hold") == 0) {
		puts("holding");
		fflush(stdout);
		Sleep(INFINITE);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "pids") == 0)
		return list_pids(argv[2]);
	if (argc == 3 && strcmp(argv[1], "qc") == 0)
		return query_config(argv[2]);
	if (argc == 4 && strcmp(argv[1], "control") == 0)
		return control(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "state") == 0)
		return query_state(argv[2]);
	if (argc == 3 && strcmp(argv[1], "alive") == 0)
		return process(argv[2], false);
	if (argc == 3 && strcmp(argv[1], "kill") == 0)
		return process(argv[2], true);
	fprintf(stderr, "usage: test-win-service-probe qc|state NAME | control NAME CODE"
			" | alive|kill PID "
			"| pids EXE | related CODE | hold\n");
	return 1;
}
