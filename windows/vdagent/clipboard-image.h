/* SPDX-License-Identifier: MIT */
/*
 * Image encoding for the clipboard through WIC (windowscodecs): the
 * client's PNG, BMP, JPEG and TIFF into a CF_DIB, and a CF_DIB into PNG.
 * COM must be initialised on the calling thread.  Errors: -EINVAL (data
 * WIC cannot decode, or too large an image), -ENOMEM, -EIO (WIC failed).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Any image WIC decodes as a packed DIB of 32-bit BGRA pixels (the alpha
 * in the fourth byte), malloc'd into *dib. */
int wa_image_to_dib(const uint8_t *img, size_t len, uint8_t **dib,
		    size_t *dib_len);

/* A packed DIB (validated here) as a PNG, malloc'd into *png. */
int wa_image_png_from_dib(const uint8_t *dib, size_t len, uint8_t **png,
			  size_t *png_len);
