/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clipboard-dib.h"
#include "vdp-util.h"

/* BI_* compression values (wingdi.h), kept here so the file needs no
 * Windows header. */
enum {
	DIB_RGB = 0,
	DIB_RLE8 = 1,
	DIB_RLE4 = 2,
	DIB_BITFIELDS = 3,
	DIB_JPEG = 4,
	DIB_PNG = 5,
	DIB_ALPHABITFIELDS = 6,
};

#define INFO_HEADER 40u
/* The largest image we convert: 16384 x 16384 at 32 bits would be 1 GiB;
 * the clipboard never needs more than this many pixels. */
#define DIB_PIXELS_MAX (64u * 1024u * 1024u)

static bool known_header(uint32_t size)
{
	return size == 40 || size == 52 || size == 56 || size == 108 ||
	       size == 124;
}

/* Bytes of colour masks after a 40-byte header. */
static size_t mask_bytes(uint32_t header, uint32_t compression)
{
	if (header != INFO_HEADER)
		return 0; /* inside the larger headers */
	if (compression == DIB_BITFIELDS)
		return 12;
	if (compression == DIB_ALPHABITFIELDS)
		return 16;
	return 0;
}

/* Check the header of a DIB of len bytes and find where its colour table
 * ends (where packed pixels start).  0 or -EINVAL. */
static int table_end(const uint8_t *dib, size_t len, size_t *end)
{
	if (len < INFO_HEADER)
		return -EINVAL;
	uint32_t header = vdp_get_le32(dib);
	if (!known_header(header) || header > len)
		return -EINVAL;
	uint16_t bits = vdp_get_le16(dib + 14);
	uint32_t compression = vdp_get_le32(dib + 16);
	uint64_t colours = vdp_get_le32(dib + 32);

	if (colours == 0 && bits <= 8)
		colours = 1u << bits;
	if (colours > 256)
		return -EINVAL;
	*end = header + mask_bytes(header, compression) + (size_t)colours * 4;
	return 0;
}

int wa_dib_parse(const uint8_t *dib, size_t len, struct wa_dib_info *out)
{
	size_t offset;
	int r = table_end(dib, len, &offset);

	if (r < 0)
		return r;
	int32_t width = (int32_t)vdp_get_le32(dib + 4);
	int32_t height = (int32_t)vdp_get_le32(dib + 8);
	uint16_t planes = vdp_get_le16(dib + 12);
	uint16_t bits = vdp_get_le16(dib + 14);
	uint32_t compression = vdp_get_le32(dib + 16);
	uint32_t size_image = vdp_get_le32(dib + 20);

	if (planes != 1 || width <= 0 || height == 0 || height == INT32_MIN)
		return -EINVAL;
	if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 24 &&
	    bits != 32)
		return -EINVAL;
	uint64_t rows = height < 0 ? (uint64_t)-(int64_t)height
				   : (uint64_t)height;
	if ((uint64_t)width * rows > DIB_PIXELS_MAX)
		return -EINVAL;

	uint64_t need;
	switch (compression) {
	case DIB_RGB:
	case DIB_BITFIELDS:
	case DIB_ALPHABITFIELDS:
		need = ((uint64_t)width * bits + 31) / 32 * 4 * rows;
		break;
	case DIB_RLE8:
	case DIB_RLE4:
	case DIB_JPEG:
	case DIB_PNG:
		if (size_image == 0)
			return -EINVAL;
		need = size_image;
		break;
	default:
		return -EINVAL;
	}
	if (offset > len || need > len - offset)
		return -EINVAL;
	*out = (struct wa_dib_info){
		.header_size = vdp_get_le32(dib),
		.width = width,
		.height = height,
		.bit_count = bits,
		.compression = compression,
		.bits_offset = offset,
		.bits_size = (size_t)need,
	};
	return 0;
}

int wa_bmp_from_dib(const uint8_t *dib, size_t len, uint8_t **out,
		    size_t *out_len)
{
	struct wa_dib_info info;
	int r = wa_dib_parse(dib, len, &info);

	if (r < 0)
		return r;
	/* what follows the pixels (a V5 colour profile) is kept */
	if (len > UINT32_MAX - WA_BMP_FILE_HEADER)
		return -EINVAL;
	uint8_t *bmp = malloc(WA_BMP_FILE_HEADER + len);
	if (!bmp)
		return -ENOMEM;
	bmp[0] = 'B';
	bmp[1] = 'M';
	vdp_put_le32(bmp + 2, (uint32_t)(WA_BMP_FILE_HEADER + len));
	vdp_put_le32(bmp + 6, 0);
	vdp_put_le32(bmp + 10, (uint32_t)(WA_BMP_FILE_HEADER + info.bits_offset));
	memcpy(bmp + WA_BMP_FILE_HEADER, dib, len);
	*out = bmp;
	*out_len = WA_BMP_FILE_HEADER + len;
	return 0;
}

int wa_dib_from_bmp(const uint8_t *bmp, size_t len, uint8_t **out,
		    size_t *out_len)
{
	struct wa_dib_info info;
	size_t end;

	if (len < WA_BMP_FILE_HEADER || bmp[0] != 'B' || bmp[1] != 'M')
		return -EINVAL;
	const uint8_t *dib = bmp + WA_BMP_FILE_HEADER;
	size_t dib_len = len - WA_BMP_FILE_HEADER;
	uint32_t off_bits = vdp_get_le32(bmp + 10);
	if (table_end(dib, dib_len, &end) < 0 ||
	    off_bits < WA_BMP_FILE_HEADER + end || off_bits > len)
		return -EINVAL;
	/* the header and table, then the pixels from bfOffBits */
	size_t pixels_at = off_bits - WA_BMP_FILE_HEADER;
	size_t pixels_len = dib_len - pixels_at;
	uint8_t *packed = malloc(end + pixels_len);
	if (!packed)
		return -ENOMEM;
	memcpy(packed, dib, end);
	memcpy(packed + end, dib + pixels_at, pixels_len);
	if (wa_dib_parse(packed, end + pixels_len, &info) < 0) {
		free(packed);
		return -EINVAL;
	}
	*out = packed;
	*out_len = end + pixels_len;
	return 0;
}

int wa_dib_from_bgra(const uint8_t *rows, uint32_t width, uint32_t height,
		     uint8_t **out, size_t *out_len)
{
	if (width == 0 || height == 0 || width > INT32_MAX ||
	    height > INT32_MAX ||
	    (uint64_t)width * height > DIB_PIXELS_MAX)
		return -EINVAL;
	size_t stride = (size_t)width * 4;
	size_t size = INFO_HEADER + stride * height;
	uint8_t *dib = calloc(1, size);
	if (!dib)
		return -ENOMEM;
	vdp_put_le32(dib, INFO_HEADER);
	vdp_put_le32(dib + 4, width);
	vdp_put_le32(dib + 8, height); /* positive: bottom-up */
	vdp_put_le16(dib + 12, 1);
	vdp_put_le16(dib + 14, 32);
	vdp_put_le32(dib + 16, DIB_RGB);
	vdp_put_le32(dib + 20, (uint32_t)(stride * height));
	for (uint32_t y = 0; y < height; y++)
		memcpy(dib + INFO_HEADER + (size_t)(height - 1 - y) * stride,
		       rows + (size_t)y * stride, stride);
	*out = dib;
	*out_len = size;
	return 0;
}
