/* SPDX-License-Identifier: MIT */
/* Capability sets: host-endian bit words, indexed by enum vdp_cap. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-wire.h"

#define VDP_CAPS_WORDS ((VDP_CAP_END + 31) / 32)

struct vdp_caps {
	uint32_t words[VDP_CAPS_WORDS];
};

void vdp_caps_clear_all(struct vdp_caps *c);
void vdp_caps_set(struct vdp_caps *c, unsigned cap);
void vdp_caps_unset(struct vdp_caps *c, unsigned cap);
/* False for any cap index we do not know. */
bool vdp_caps_has(const struct vdp_caps *c, unsigned cap);
/* What both sides announced. */
struct vdp_caps vdp_caps_intersect(const struct vdp_caps *a,
				   const struct vdp_caps *b);
/* Read a received caps array (nwords little-endian u32 at p): bits we do
 * not know are dropped, missing words count as zero. */
void vdp_caps_from_wire(struct vdp_caps *c, const uint8_t *p, size_t nwords);
/* Comma separated names of the set capabilities, for logs and the dump
 * tool; writes at most size bytes, always NUL-terminated. */
void vdp_caps_format(const struct vdp_caps *c, char *buf, size_t size);
const char *vdp_cap_name(unsigned cap);
