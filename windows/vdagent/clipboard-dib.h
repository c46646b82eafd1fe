/* SPDX-License-Identifier: MIT */
/*
 * Packed DIBs (the CF_DIB clipboard format: a BITMAPINFOHEADER or a
 * later version, masks, colour table, pixels) and BMP files (a 14-byte
 * BITMAPFILEHEADER and a DIB).  Pure byte work on untrusted data: every
 * size is checked against the buffer.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WA_BMP_FILE_HEADER 14u

struct wa_dib_info {
	uint32_t header_size; /* 40, 52, 56, 108 or 124 */
	int32_t width;        /* > 0 */
	int32_t height;       /* != 0; < 0 is top-down */
	uint16_t bit_count;
	uint32_t compression; /* BI_* */
	size_t bits_offset;   /* where the pixels start in the DIB */
	size_t bits_size;     /* bytes of pixels needed */
};

/* Check a packed DIB of len bytes and describe it: 0, or -EINVAL when it
 * is malformed or its pixels do not fit in len. */
int wa_dib_parse(const uint8_t *dib, size_t len, struct wa_dib_info *out);

/* A BMP file from a packed DIB: malloc'd into *out.  0, -EINVAL (bad
 * DIB) or -ENOMEM. */
int wa_bmp_from_dib(const uint8_t *dib, size_t len, uint8_t **out,
		    size_t *out_len);

/* The packed DIB of a BMP file (a gap before the pixels is closed):
 * malloc'd into *out.  0, -EINVAL (not a BMP, bad DIB) or -ENOMEM. */
int wa_dib_from_bmp(const uint8_t *bmp, size_t len, uint8_t **out,
		    size_t *out_len);

/* A packed DIB of 32-bit BGRX pixels (40-byte header, BI_RGB, bottom-up)
 * from top-down rows of width*4 bytes: malloc'd into *out. */
int wa_dib_from_bgra(const uint8_t *rows, uint32_t width, uint32_t height,
		     uint8_t **out, size_t *out_len);
