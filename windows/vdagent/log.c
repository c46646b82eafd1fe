/* SPDX-License-Identifier: MIT */
/* The log file and stderr (see log.h).  The log is process-wide state,
 * like stderr itself, so it is the one module with file-scope state. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <windows.h>
#include <shlobj.h>

#include "log.h"

static FILE *log_file;
static bool log_debug;
static long log_bytes;
static char log_path_utf8[MAX_PATH * 3];
static wchar_t log_path_w[MAX_PATH + 16];
static wchar_t log_old_w[MAX_PATH + 16];

static const char *level_name(enum wa_log_level level)
{
	switch (level) {
	case WA_LOG_ERROR:
		return "error";
	case WA_LOG_WARNING:
		return "warning";
	case WA_LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/* %LOCALAPPDATA%\vdagent\vdagent.log; false when the folder is unknown. */
static bool make_log_path(void)
{
	wchar_t *base = NULL;
	int n;

	if (SHGetKnownFolderPath(&FOLDERID_LocalAppData, 0, NULL, &base) != S_OK) {
		CoTaskMemFree(base);
		return false;
	}
	n = _snwprintf(log_path_w, MAX_PATH, L"%ls\\vdagent", base);
	CoTaskMemFree(base);
	if (n < 0 || n >= MAX_PATH)
		return false;
	CreateDirectoryW(log_path_w, NULL); /* may exist */
	wcscpy(log_old_w, log_path_w);
	wcscat(log_path_w, L"\\vdagent.log");
	wcscat(log_old_w, L"\\vdagent.log.1");
	WideCharToMultiByte(CP_UTF8, 0, log_path_w, -1, log_path_utf8,
			    sizeof(log_path_utf8), NULL, NULL);
	return true;
}

static void open_file(void)
{
	log_file = _wfopen(log_path_w, L"ab");
	if (!log_file)
		return;
	fseek(log_file, 0, SEEK_END);
	log_bytes = ftell(log_file);
	if (log_bytes < 0)
		log_bytes = 0;
}

/* Keep the file bounded: the current one becomes vdagent.log.1. */
static void rotate(void)
{
	fclose(log_file);
	log_file = NULL;
	MoveFileExW(log_path_w, log_old_w, MOVEFILE_REPLACE_EXISTING);
	open_file();
}

void wa_log_init(bool debug)
{
	log_debug = debug;
	if (make_log_path())
		open_file();
	if (!log_file)
		fprintf(stderr, "vdagent: cannot open the log file '%s'; "
				"logging to stderr only\n", log_path_utf8);
}

void wa_log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

const char *wa_log_path(void)
{
	return log_file ? log_path_utf8 : "";
}

void wa_log(enum wa_log_level level, const char *fmt, ...)
{
	char line[2048];
	char stamp[32];
	SYSTEMTIME t;
	va_list ap;
	int n;

	if (level == WA_LOG_DEBUG && !log_debug)
		return;
	GetSystemTime(&t);
	snprintf(stamp, sizeof(stamp), "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
		 t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond,
		 t.wMilliseconds);
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (log_file) {
		int w = fprintf(log_file, "%s %s: %s\n", stamp,
				level_name(level), line);
		fflush(log_file);
		if (w > 0)
			log_bytes += w;
		if (log_bytes > WA_LOG_MAX_BYTES)
			rotate();
	}
	if (log_debug || !log_file)
		fprintf(stderr, "vdagent: %s: %s\n", level_name(level), line);
}
