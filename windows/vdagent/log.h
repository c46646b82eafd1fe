/* SPDX-License-Identifier: MIT */
/*
 * The agent's log: a file under the user's local application data
 * (%LOCALAPPDATA%\vdagent\vdagent.log, moved to vdagent.log.1 when it
 * passes WA_LOG_MAX_BYTES), and stderr as well with -d.  Lines carry a
 * UTC time stamp and a level.  Messages at WA_LOG_DEBUG are written only
 * with -d.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum wa_log_level {
	WA_LOG_ERROR,
	WA_LOG_WARNING,
	WA_LOG_INFO,
	WA_LOG_DEBUG,
};

#define WA_LOG_MAX_BYTES (1024 * 1024)

/* Open the log file (a failure only disables the file: stderr still
 * works) and set the verbosity.  Not calling it logs to stderr only. */
void wa_log_init(bool debug);
void wa_log_close(void);
/* The log file's path (UTF-8), or "" when there is none. */
const char *wa_log_path(void);

__attribute__((format(printf, 2, 3))) void wa_log(enum wa_log_level level,
						  const char *fmt, ...);

#define wa_error(...) wa_log(WA_LOG_ERROR, __VA_ARGS__)
#define wa_warning(...) wa_log(WA_LOG_WARNING, __VA_ARGS__)
#define wa_info(...) wa_log(WA_LOG_INFO, __VA_ARGS__)
#define wa_debug(...) wa_log(WA_LOG_DEBUG, __VA_ARGS__)
