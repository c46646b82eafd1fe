/* SPDX-License-Identifier: MIT */
/*
 * --record FILE: the raw port byte streams, for vdagent-dump.  FILE gets
 * what the daemon read from the port, FILE.out what it wrote.  Each is a
 * plain chunk stream; a re-attach simply continues the file.
 */
#pragma once

#include <stddef.h>

#include "vdp-encoder.h"

struct record;

/* Returns NULL and sets errno when a file cannot be created. */
struct record *record_new(const char *path);
void record_free(struct record *r);
void record_in(struct record *r, const void *buf, size_t len);
void record_out(struct record *r, const struct vdp_iov *iov, int n);
