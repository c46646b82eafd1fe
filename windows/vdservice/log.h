/* SPDX-License-Identifier: MIT */
/*
 * vdservice's log: %PROGRAMDATA%\vdagent\vdservice.log, one timestamped
 * line per message, also on stderr when there is a console (install,
 * uninstall).  Bounded: past VDS_LOG_MAX_BYTES the file is renamed to
 * vdservice.log.old (replacing the previous one) and a new one begun.
 * Safe to call from any thread.
 */
#pragma once

#include <stdbool.h>

#define VDS_LOG_MAX_BYTES (1024 * 1024)

enum vds_log_level { VDS_LOG_ERROR, VDS_LOG_WARNING, VDS_LOG_INFO, VDS_LOG_DEBUG };

/* Open the log; debug enables VDS_LOG_DEBUG lines.  Without it (or if the
 * file cannot be opened) messages only go to stderr. */
void vds_log_open(bool debug, bool to_stderr);
void vds_log_close(void);

__attribute__((format(printf, 2, 3))) void vds_log(enum vds_log_level level,
						   const char *fmt, ...);

#define vds_error(...) vds_log(VDS_LOG_ERROR, __VA_ARGS__)
#define vds_warning(...) vds_log(VDS_LOG_WARNING, __VA_ARGS__)
#define vds_info(...) vds_log(VDS_LOG_INFO, __VA_ARGS__)
#define vds_debug(...) vds_log(VDS_LOG_DEBUG, __VA_ARGS__)

/* FormatMessage's text for a Win32 error code, in a static per-thread
 * buffer, without the trailing newline. */
const char *vds_strerror(unsigned long code);
