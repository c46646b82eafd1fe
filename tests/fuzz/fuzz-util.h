/* SPDX-License-Identifier: MIT */
/* Helpers shared by the stream fuzz targets (decoder and IPC decoder). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Order-sensitive hash of what a decode run delivered, so two runs over the
 * same bytes in different slices can be compared. */
static inline uint64_t fuzz_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

/* Size of the next slice to feed, at most left.  seed 0: everything at once;
 * otherwise an xorshift sequence of mostly small slices, sometimes large. */
static inline size_t fuzz_next_slice(uint32_t *seed, size_t left)
{
	size_t n;

	if (!*seed)
		return left;
	*seed ^= *seed << 13;
	*seed ^= *seed >> 17;
	*seed ^= *seed << 5;
	n = *seed & 0x100 ? (*seed >> 12) % 5000 : (*seed >> 12) % 24;
	return n < left ? n : left;
}
