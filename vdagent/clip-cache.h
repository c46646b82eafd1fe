/* SPDX-License-Identifier: MIT */
/*
 * The client's side of one selection while the client owns it, shared by
 * the X11 and Wayland clipboards (x11-selection.c, wl-clipboard.c): the
 * types its grab offered, which ones guest applications asked for (one
 * REQUEST per type), the data that came (cached until the next grab) and
 * what failed.  X-independent; unit-tested.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-wire.h"

#define CLIP_NTYPES VDP_CLIPBOARD_TYPE_END

/* Who owns a selection, in both clipboards' state machines. */
enum clip_owner {
	CLIP_OWNER_NONE,
	CLIP_OWNER_GUEST,  /* a guest application */
	CLIP_OWNER_CLIENT, /* the client, through us */
};

/* "none", "guest", "client": for the logs. */
const char *clip_owner_name(enum clip_owner o);

struct clip_cache {
	bool has[CLIP_NTYPES];    /* offered by the client's grab */
	bool asked[CLIP_NTYPES];  /* REQUEST sent */
	bool cached[CLIP_NTYPES]; /* DATA came: data/len below */
	bool failed[CLIP_NTYPES]; /* refused, unconvertible or timed out */
	uint8_t *data[CLIP_NTYPES];
	size_t len[CLIP_NTYPES];
};

/* A type the clipboards carry (text and images; not file lists). */
bool clip_type_carried(uint32_t type);

/* Forget everything (frees the data). */
void clip_cache_clear(struct clip_cache *c);

/* A new client grab: clears, then notes the offered types we carry.
 * Returns false when there is none. */
bool clip_cache_grab(struct clip_cache *c, const uint32_t *types,
		     uint32_t count);

/* A guest application wants type: true the first time (send a REQUEST
 * then), false when it was asked for already. */
bool clip_cache_ask(struct clip_cache *c, uint32_t type);

/* The client's DATA (takes data, malloc'd or NULL).  UTF-8 text loses its
 * trailing NULs and, for a CRLF client, its CRs.  VDP_CLIPBOARD_NONE or
 * a type not asked for is a refusal: every type asked and not cached
 * fails (all of them for NONE).  Returns the type cached, or
 * VDP_CLIPBOARD_NONE when nothing was. */
uint32_t clip_cache_data(struct clip_cache *c, uint32_t type, uint8_t *data,
			 size_t size, bool crlf);

/* The client did not answer: every type asked and not cached fails. */
void clip_cache_fail_pending(struct clip_cache *c);
