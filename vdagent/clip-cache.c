/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clip-cache.h"
#include "vdp-text.h"

const char *clip_owner_name(enum clip_owner o)
{
	switch (o) {
	case CLIP_OWNER_NONE: return "none";
	case CLIP_OWNER_GUEST: return "guest";
	case CLIP_OWNER_CLIENT: return "client";
	}
	return "?";
}

bool clip_type_carried(uint32_t type)
{
	return type > VDP_CLIPBOARD_NONE && type < CLIP_NTYPES &&
	       type != VDP_CLIPBOARD_FILE_LIST;
}

void clip_cache_clear(struct clip_cache *c)
{
	for (int t = 0; t < CLIP_NTYPES; t++)
		free(c->data[t]);
	memset(c, 0, sizeof(*c));
}

bool clip_cache_grab(struct clip_cache *c, const uint32_t *types,
		     uint32_t count)
{
	bool any = false;

	clip_cache_clear(c);
	for (uint32_t i = 0; i < count; i++)
		if (clip_type_carried(types[i]))
			any = c->has[types[i]] = true;
	return any;
}

bool clip_cache_ask(struct clip_cache *c, uint32_t type)
{
	if (!clip_type_carried(type) || c->asked[type])
		return false;
	c->asked[type] = true;
	return true;
}

void clip_cache_fail_pending(struct clip_cache *c)
{
	for (int t = 0; t < CLIP_NTYPES; t++)
		if (c->asked[t] && !c->cached[t])
			c->failed[t] = true;
}

uint32_t clip_cache_data(struct clip_cache *c, uint32_t type, uint8_t *data,
			 size_t size, bool crlf)
{
	if (type == VDP_CLIPBOARD_NONE || type >= CLIP_NTYPES ||
	    !c->asked[type]) {
		for (uint32_t t = 0; t < CLIP_NTYPES; t++)
			if (c->asked[t] && !c->cached[t] &&
			    (type == VDP_CLIPBOARD_NONE || t == type))
				c->failed[t] = true;
		free(data);
		return VDP_CLIPBOARD_NONE;
	}
	if (type == VDP_CLIPBOARD_UTF8_TEXT) {
		while (size > 0 && data[size - 1] == '\0')
			size--;
		if (crlf) {
			size_t n;
			uint8_t *lf = vdp_crlf_to_lf(data, size, &n);
			free(data);
			data = lf;
			size = n;
			if (!data) {
				c->failed[type] = true;
				return VDP_CLIPBOARD_NONE;
			}
		}
	}
	free(c->data[type]);
	c->data[type] = data;
	c->len[type] = size;
	c->cached[type] = true;
	return type;
}
