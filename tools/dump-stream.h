/* SPDX-License-Identifier: MIT */
/* vdagent-dump: walk a recorded port byte stream, one line per message. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vdp-caps.h"

struct dump_options {
	/* --caps: decode with these as negotiated, ignore announcements */
	bool fixed_caps;
	struct vdp_caps caps;
	/* --peer-caps/--peer-stream: what the side that did not write the
	 * stream announced; without it, the same as announced in the stream */
	bool have_peer_caps;
	struct vdp_caps peer_caps;
	uint32_t max_message;
};

enum dump_result {
	DUMP_CLEAN = 0,
	DUMP_MALFORMED = 1,
};

/* Print one line per message of in to out, violations flagged inline.
 * Returns DUMP_CLEAN, DUMP_MALFORMED, or a negative errno when reading
 * fails or memory runs out. */
int dump_stream(const struct dump_options *opt, FILE *in, FILE *out);

/* The capabilities of the first valid ANNOUNCE_CAPABILITIES on the client
 * port of in.  Returns 0, -ENOENT (none), -EBADMSG (the stream breaks
 * before one), or another negative errno. */
int dump_find_caps(FILE *in, uint32_t max_message, struct vdp_caps *caps);
