/* SPDX-License-Identifier: MIT */
/*
 * Builders: write the little-endian payload of one message into a caller
 * buffer.  The message header and chunking are the encoder's job
 * (vdp-encoder.h); a builder's output is one of its payload pieces.
 *
 * Every builder returns the number of bytes written, -ENOSPC when size is
 * too small (nothing useful is written then), or -EINVAL for arguments the
 * message cannot express.  With buf == NULL (size ignored) it returns the
 * length it would write, so a caller can size a buffer first.
 *
 * The views are the ones of vdp-validate.h, so that parse(build(x)) == x.
 *
 * CLIPBOARD and FILE_XFER_DATA: only the header part is built (prefix and
 * type, or id and size); the caller passes the bulk data to the encoder as
 * a second piece, never copied.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-caps.h"
#include "vdp-validate.h"
#include "vdp-wire.h"

/* Room for any fixed-size payload and for every header part built here. */
#define VDP_BUILD_SMALL_MAX 32u

int vdp_build_mouse_state(uint8_t *buf, size_t size,
			  const struct vdp_mouse_state *m);

/* Writes m->count entries (1..VDP_MONITORS_MAX, else -EINVAL), and the mm
 * array when m->flags has VDP_MONITORS_FLAG_PHYSICAL_SIZE.  The `enabled`
 * members are ignored: a disabled entry is one with width or height 0. */
int vdp_build_monitors_config(uint8_t *buf, size_t size,
			      const struct vdp_monitors_config *m);

int vdp_build_reply(uint8_t *buf, size_t size, uint32_t type,
		    uint32_t error);

int vdp_build_display_config(uint8_t *buf, size_t size,
			     const struct vdp_display_config *d);

/* request flag, then VDP_CAPS_WORDS words of caps. */
int vdp_build_capabilities(uint8_t *buf, size_t size, bool request,
			   const struct vdp_caps *caps);

/*
 * The clipboard builders add the selection prefix when negotiated has
 * VDP_CAP_CLIPBOARD_SELECTION, and the grab serial when it has
 * VDP_CAP_CLIPBOARD_GRAB_SERIAL.  selection must be < VDP_SELECTION_END,
 * and VDP_SELECTION_CLIPBOARD when the prefix is not negotiated (-EINVAL).
 * A NULL negotiated set means nothing negotiated.
 */
/* count 0..VDP_CLIPBOARD_TYPES_MAX; serial ignored when not negotiated */
int vdp_build_clipboard_grab(uint8_t *buf, size_t size,
			     const struct vdp_caps *negotiated,
			     uint8_t selection, uint32_t serial,
			     const uint32_t *types, uint32_t count);

int vdp_build_clipboard_request(uint8_t *buf, size_t size,
				const struct vdp_caps *negotiated,
				uint8_t selection, uint32_t type);

/* Returns 0 (an empty payload) when the prefix is not negotiated. */
int vdp_build_clipboard_release(uint8_t *buf, size_t size,
				const struct vdp_caps *negotiated,
				uint8_t selection);

/* CLIPBOARD header: [prefix] type.  The data follows as its own piece. */
int vdp_build_clipboard_header(uint8_t *buf, size_t size,
			       const struct vdp_caps *negotiated,
			       uint8_t selection, uint32_t type);

int vdp_build_max_clipboard(uint8_t *buf, size_t size, int32_t max);

/*
 * Key file text as spice-gtk sends it:
 *   "[vdagent-file-xfer]\nname=<escaped name>\nsize=<decimal>\n"
 * escaping \ as \\, a leading space as \s, newline/tab/CR as \n \t \r.
 * Writes the text and a NUL; returns the length without the NUL.
 * name must be non-empty valid UTF-8 (-EINVAL).
 */
int vdp_xfer_keyfile_format(char *buf, size_t size, const char *name,
			    uint64_t file_size);

/* FILE_XFER_START: id, the key file text above and its trailing NUL.
 * The result is bounded by VDP_XFER_START_TEXT_MAX (-E2BIG). */
int vdp_build_xfer_start(uint8_t *buf, size_t size, uint32_t id,
			 const char *name, uint64_t file_size);

/* FILE_XFER_START with any text (tests, tools): id, then len bytes of
 * text as given (no NUL is added). */
int vdp_build_xfer_start_raw(uint8_t *buf, size_t size, uint32_t id,
			     const char *text, size_t len);

/* Writes the detail s->detail selects; DETAIL_ERROR needs result ERROR and
 * DETAIL_NO_SPACE needs result NOT_ENOUGH_SPACE (-EINVAL).  Send a detail
 * only to a peer that announced VDP_CAP_FILE_XFER_DETAILED_ERRORS. */
int vdp_build_xfer_status(uint8_t *buf, size_t size,
			  const struct vdp_xfer_status_msg *s);

/* Fit a status for a peer: without detailed errors (the peer did not
 * announce VDP_CAP_FILE_XFER_DETAILED_ERRORS) results after SUCCESS become
 * ERROR and details are dropped; a detail that does not go with the
 * result is dropped too, so vdp_build_xfer_status() accepts the result. */
void vdp_xfer_status_for_peer(struct vdp_xfer_status_msg *s, bool detailed);

/* FILE_XFER_DATA header: id, data_size.  The data follows as its own piece
 * of exactly data_size bytes. */
int vdp_build_xfer_data_header(uint8_t *buf, size_t size, uint32_t id,
			       uint64_t data_size);

/* Always 0: the message has no payload. */
int vdp_build_client_disconnected(uint8_t *buf, size_t size);

int vdp_build_volume_sync(uint8_t *buf, size_t size,
			  const struct vdp_volume_sync *v);

/* count 0..VDP_DEVICE_DISPLAYS_MAX; each address non-NULL and shorter than
 * VDP_DEVICE_ADDRESS_MAX (-EINVAL); written with its NUL. */
int vdp_build_graphics_device_info(uint8_t *buf, size_t size,
				   const struct vdp_graphics_device_info *g);
