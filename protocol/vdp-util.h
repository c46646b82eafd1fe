/* SPDX-License-Identifier: MIT */
/* Small helpers shared by every part: byte order, sizes, cleanup. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LENGTH(a) (sizeof(a) / sizeof((a)[0]))

static inline void *zalloc(size_t size)
{
	return calloc(1, size);
}

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* Little-endian loads and stores on unaligned byte pointers. */
static inline uint16_t vdp_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t vdp_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t vdp_get_le64(const uint8_t *p)
{
	return (uint64_t)vdp_get_le32(p) | ((uint64_t)vdp_get_le32(p + 4) << 32);
}

static inline void vdp_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void vdp_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void vdp_put_le64(uint8_t *p, uint64_t v)
{
	vdp_put_le32(p, (uint32_t)v);
	vdp_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline void freep(void *p)
{
	free(*(void **)p);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
