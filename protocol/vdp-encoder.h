/* SPDX-License-Identifier: MIT */
/*
 * Encoder: one message -> chunks of at most VDP_CHUNK_MAX_DATA bytes.
 *
 * The payload is given as a list of pieces and is never copied: each chunk
 * comes out as a short scatter list pointing into the encoder's own header
 * bytes and into the caller's pieces, ready for writev() or a write queue.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "vdp-wire.h"

struct vdp_iov {
	const void *base;
	size_t len;
};

/* At most this many pieces in a message payload. */
#define VDP_ENCODER_MAX_PIECES 8
/* A chunk is at most: chunk header, message header, and every piece. */
#define VDP_CHUNK_MAX_IOV (2 + VDP_ENCODER_MAX_PIECES)

struct vdp_encoder {
	/* private: read by the .c file only */
	uint8_t chunk_hdr[sizeof(struct vdp_chunk_header)];
	uint8_t msg_hdr[sizeof(struct vdp_message_header)];
	struct vdp_iov pieces[VDP_ENCODER_MAX_PIECES];
	int npieces;
	uint32_t port;
	uint64_t total;   /* message header + payload bytes */
	uint64_t emitted; /* of total */
	int piece;        /* current piece */
	size_t piece_off; /* offset in current piece */
};

/* Prepare a message.  Returns 0, or -EINVAL for a bad port, too many
 * pieces, or a payload over UINT32_MAX bytes. */
int vdp_encoder_init(struct vdp_encoder *e, uint32_t port, uint32_t type,
		     uint64_t opaque, const struct vdp_iov *payload,
		     int npieces);

/* Fill out[] (room for VDP_CHUNK_MAX_IOV entries) with the next chunk.
 * Returns the number of entries used, or 0 when the message is done.
 * The entries stay valid until the next call or until the pieces go. */
int vdp_encoder_next_chunk(struct vdp_encoder *e, struct vdp_iov *out);

/* Bytes (chunk headers included) still to come. */
uint64_t vdp_encoder_remaining(const struct vdp_encoder *e);

/* Convenience for tests and tools: encode the whole message, appending to a
 * growing malloc'd buffer (*buf, *len).  Returns 0 or negative errno. */
int vdp_encode_append(uint8_t **buf, size_t *len, uint32_t port,
		      uint32_t type, uint64_t opaque,
		      const struct vdp_iov *payload, int npieces);
