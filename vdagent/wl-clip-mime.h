/* SPDX-License-Identifier: MIT */
/*
 * Wayland clipboard MIME types <-> the agent protocol's clipboard types.
 * Pure, unit-tested.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The protocol type of a MIME type, VDP_CLIPBOARD_NONE for one we do not
 * carry.  Case-insensitive. */
uint32_t wl_clip_mime_type(const char *mime);

/* The offered MIME type to ask for when the client wants type: the first
 * of ours, in our preference order, that is offered; NULL when none. */
const char *wl_clip_mime_pick(uint32_t type, const char *const *offered,
			      size_t n);

/* The MIME types we offer to guest applications for type, best first;
 * returns how many were written to out (at most max). */
size_t wl_clip_mimes_for(uint32_t type, const char **out, size_t max);
