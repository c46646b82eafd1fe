/* SPDX-License-Identifier: MIT */
/*
 * Clipboard contents between their protocol form and their Windows
 * form, whole conversions: text (clipboard-format.h) and images
 * (clipboard-dib.h, clipboard-image.h).  No clipboard calls.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "clipboard-format.h"

/*
 * The client's data of type as the contents of a Windows format of kind:
 * malloc'd into *out.  lf_to_crlf for text, see
 * vdp_lineend_convert_needed().  0, -EINVAL (undecodable image, a
 * type that does not go with kind), -ENOMEM, -EIO.
 */
int wa_clip_data_from_client(uint32_t type, enum wa_clip_kind kind,
			     const uint8_t *data, size_t len, bool lf_to_crlf,
			     uint8_t **out, size_t *out_len);

/*
 * The contents of a Windows format of kind, read from the clipboard, as
 * the client's data of type: malloc'd into *out.  crlf_to_lf for text.
 * Same errors.
 */
int wa_clip_data_to_client(uint32_t type, enum wa_clip_kind kind,
			   const uint8_t *raw, size_t raw_len, bool crlf_to_lf,
			   uint8_t **out, size_t *out_len);
