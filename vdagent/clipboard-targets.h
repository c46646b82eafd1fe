/* SPDX-License-Identifier: MIT */
/*
 * The mapping between X selection target names and the agent protocol's
 * clipboard types.  The text conversions themselves are protocol/'s
 * vdp-text.h, shared with the Windows agent.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

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
