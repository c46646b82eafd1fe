/* SPDX-License-Identifier: MIT */
/*
 * A minimal TAP producer for the unit tests (automake's tap-driver.sh reads
 * it).  ok() and friends print one line each; tap_done() prints the plan and
 * returns the exit status.
 */
#pragma once

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 2, 3))) static inline int
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2))) static inline void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Integer comparison that shows both values on failure. */
#define is_int(got, want, ...)                                                \
	do {                                                                  \
		long long _g = (long long)(got), _w = (long long)(want);      \
		if (!ok(_g == _w, __VA_ARGS__))                               \
			diag("  got %lld, want %lld (%s)", _g, _w, #got);     \
	} while (0)

#define is_mem(got, want, n, ...)                                             \
	do {                                                                  \
		if (!ok(memcmp((got), (want), (n)) == 0, __VA_ARGS__))        \
			diag("  %s differs from %s", #got, #want);            \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}
