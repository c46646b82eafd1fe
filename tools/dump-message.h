/* SPDX-License-Identifier: MIT */
/* vdagent-dump: one decoded message as readable "key=value" fields. */
#pragma once

#include <stdio.h>

#include "vdp-caps.h"
#include "vdp-decoder.h"

/*
 * Validate msg with protocol/vdp-validate.h and print its fields (after
 * the caller's "offset port type size" prefix, each field preceded by a
 * space, no newline).  negotiated may be NULL (nothing negotiated).
 * Returns 0, -EOPNOTSUPP for an unknown type (nothing printed), or the
 * validator's negative errno; on error nothing is printed and *why, if
 * not NULL, is set to a static reason text.
 */
int dump_message_fields(FILE *out, const struct vdp_message *msg,
			const struct vdp_caps *negotiated, const char **why);

/* Print len bytes as a double-quoted C-style escaped string, at most max
 * of them, with "..." after the quote when cut. */
void dump_escaped(FILE *out, const uint8_t *s, size_t len, size_t max);
