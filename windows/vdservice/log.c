/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <windows.h>
#include <shlobj.h>

/* The log is process-wide state by nature; it is guarded by lock. */
static CRITICAL_SECTION lock;
static HANDLE file = INVALID_HANDLE_VALUE;
static WCHAR path[MAX_PATH];
static WCHAR old_path[MAX_PATH + 4];
static bool debug_on;
static bool stderr_on;
static bool opened;

static bool log_paths(void)
{
	PWSTR base = NULL;
	WCHAR dir[MAX_PATH];
	bool ok = false;

	if (SHGetKnownFolderPath(&FOLDERID_ProgramData, 0, NULL, &base) != S_OK)
		goto out;
	if (_snwprintf(dir, MAX_PATH, L"%ls\\vdagent", base) >= MAX_PATH - 20)
		goto out;
	dir[MAX_PATH - 1] = 0;
	CreateDirectoryW(dir, NULL);
	_snwprintf(path, MAX_PATH, L"%ls\\vdservice.log", dir);
	_snwprintf(old_path, MAX_PATH + 4, L"%ls.old", path);
	ok = true;
out:
	CoTaskMemFree(base);
	return ok;
}

static void open_file(void)
{
	file = CreateFileW(path, FILE_APPEND_DATA,
			   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			   NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

void vds_log_open(bool debug, bool to_stderr)
{
	InitializeCriticalSection(&lock);
	opened = true;
	debug_on = debug;
	stderr_on = to_stderr;
	if (log_paths())
		open_file();
}

void vds_log_close(void)
{
	if (!opened)
		return;
	EnterCriticalSection(&lock);
	if (file != INVALID_HANDLE_VALUE)
		CloseHandle(file);
	file = INVALID_HANDLE_VALUE;
	LeaveCriticalSection(&lock);
}

/* Called with lock held. */
static void rotate_if_full(void)
{
	LARGE_INTEGER size;

	if (!GetFileSizeEx(file, &size) || size.QuadPart < VDS_LOG_MAX_BYTES)
		return;
	CloseHandle(file);
	MoveFileExW(path, old_path, MOVEFILE_REPLACE_EXISTING);
	open_file();
}

void vds_log(enum vds_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };
	char line[1024];
	SYSTEMTIME t;
	va_list ap;
	int n, m, body;
	DWORD written;

	if (level == VDS_LOG_DEBUG && !debug_on)
		return;
	GetSystemTime(&t);
	n = snprintf(line, sizeof(line),
		     "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ [%lu] ", t.wYear,
		     t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond,
		     t.wMilliseconds, GetCurrentProcessId());
	body = n;
	n += snprintf(line + n, sizeof(line) - n, "%s: ", names[level]);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 2, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)sizeof(line) - 3)
		n = sizeof(line) - 3;
	line[n++] = '\r';
	line[n++] = '\n';
	line[n] = 0;
	if (stderr_on) {
		fprintf(stderr, "vdservice: %.*s\n", n - 2 - body, line + body);
		fflush(stderr);
	}
	if (!opened)
		return;
	EnterCriticalSection(&lock);
	if (file != INVALID_HANDLE_VALUE) {
		rotate_if_full();
		if (file != INVALID_HANDLE_VALUE)
			WriteFile(file, line, n, &written, NULL);
	}
	LeaveCriticalSection(&lock);
}

const char *vds_strerror(unsigned long code)
{
	static __thread char buf[256];
	DWORD n;

	n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
				   FORMAT_MESSAGE_IGNORE_INSERTS,
			   NULL, code, 0, buf, sizeof(buf), NULL);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
			 buf[n - 1] == ' ' || buf[n - 1] == '.'))
		buf[--n] = 0;
	if (n == 0)
		snprintf(buf, sizeof(buf), "error %lu", code);
	return buf;
}
