/* SPDX-License-Identifier: MIT */
/*
 * Clipboard data conversions that need no X server: line endings,
 * Latin-1 <-> UTF-8, and the mapping between X selection target names
 * and the agent protocol's clipboard types.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LF -> CRLF; a CR already before an LF is left alone.  Returns a malloc'd
 * buffer (never NULL unless out of memory) and its length in *out_len. */
uint8_t *lineend_lf_to_crlf(const uint8_t *in, size_t len, size_t *out_len);
/* CRLF -> LF; lone CRs are kept. */
uint8_t *lineend_crlf_to_lf(const uint8_t *in, size_t len, size_t *out_len);

/* ISO-8859-1 -> UTF-8 (always succeeds). */
uint8_t *latin1_to_utf8(const uint8_t *in, size_t len, size_t *out_len);
/* UTF-8 -> ISO-8859-1; characters outside Latin-1 and invalid bytes
 * become '?'. */
uint8_t *utf8_to_latin1(const uint8_t *in, size_t len, size_t *out_len);

/* How the text of one X target is encoded. */
enum clip_encoding {
	CLIP_ENC_RAW,      /* bytes passed through (UTF-8 text, images) */
	CLIP_ENC_LATIN1,   /* STRING */
	CLIP_ENC_COMPOUND, /* COMPOUND_TEXT, converted through Xlib */
};

struct clip_target_info {
	const char *name;   /* X atom name */
	uint32_t vd_type;   /* enum vdp_clipboard_type */
	enum clip_encoding encoding;
};

/* Our preference order: for each protocol type, its best target first. */
const struct clip_target_info *clip_targets(size_t *count);
/* The info for an X target name, or NULL for targets we do not carry. */
const struct clip_target_info *clip_target_lookup(const char *name);
/* The target to ask a guest owner for when the client wants vd_type,
 * chosen from the names the owner offers; NULL when none fits. */
const struct clip_target_info *
clip_target_pick(uint32_t vd_type, const char *const *offered, size_t n);

/* The line ending conversion that text sent to/received from the client
 * needs, from the client's GUEST_LINEEND capabilities.  The guest (X11)
 * uses LF; text is converted only when the client asks for CRLF alone. */
bool lineend_client_wants_crlf(bool client_has_lf, bool client_has_crlf);
