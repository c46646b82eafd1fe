/* SPDX-License-Identifier: MIT */
/*
 * Stream decoder: port bytes in, whole agent messages out.
 *
 * The port carries chunks (struct vdp_chunk_header + at most
 * VDP_CHUNK_MAX_DATA bytes).  The chunks of one port (client or server)
 * concatenate into messages; a message may span any number of chunks and a
 * chunk may end one message and start the next.  Bytes may be fed in slices
 * of any size, one byte at a time included.
 *
 * Memory grows only as payload bytes actually arrive: a header declaring
 * 4 GiB costs nothing until 4 GiB have been received, and is refused at
 * once when it exceeds the caller's limit.
 *
 * After any error the decoder is "broken": every further feed returns
 * VDP_DECODE_ERR_BROKEN until vdp_decoder_reset(), which the caller uses
 * when it reconnects to the port.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

enum vdp_decode_status {
	VDP_DECODE_OK = 0,
	VDP_DECODE_ERR_CHUNK_SIZE = -1,   /* chunk larger than 2048 bytes */
	VDP_DECODE_ERR_PORT = -2,         /* chunk port not client or server */
	VDP_DECODE_ERR_PROTOCOL = -3,     /* message protocol field != 1 */
	VDP_DECODE_ERR_MESSAGE_SIZE = -4, /* message larger than the limit */
	VDP_DECODE_ERR_NOMEM = -5,        /* allocation failed */
	VDP_DECODE_ERR_BROKEN = -6,       /* an earlier error; reset first */
	VDP_DECODE_ERR_STOPPED = -7,      /* the callback asked to stop */
};

/* A decoded message: header fields host-endian; data owned by the decoder,
 * valid only during the callback (see vdp_decoder_steal_data). */
struct vdp_message {
	uint32_t port;
	uint32_t type;
	uint64_t opaque;
	uint32_t size;
	const uint8_t *data;
};

struct vdp_decoder;

/* Called once per complete message.  Return 0 to go on, or non-zero to make
 * vdp_decoder_feed() return VDP_DECODE_ERR_STOPPED at once; the bytes not
 * consumed yet are then lost and the decoder is broken.  The callback must
 * not feed, reset or free the decoder it is called from. */
typedef int (*vdp_message_cb)(void *user, const struct vdp_message *msg);

/* max_message_size: the largest message payload accepted (u32). */
struct vdp_decoder *vdp_decoder_new(uint32_t max_message_size);
void vdp_decoder_free(struct vdp_decoder *d);
void vdp_decoder_reset(struct vdp_decoder *d);

/* Feed len bytes.  Returns VDP_DECODE_OK or a negative status.  cb may be
 * NULL: messages are then dropped. */
int vdp_decoder_feed(struct vdp_decoder *d, const void *buf, size_t len,
		     vdp_message_cb cb, void *user);

/* From inside the callback only: take ownership of msg->data (a malloc'd
 * buffer of msg->size bytes, never NULL even for size 0) so that a large
 * payload is passed on without a copy.  The caller frees it. */
uint8_t *vdp_decoder_steal_data(struct vdp_decoder *d);

/* True while a message or chunk is partially received. */
int vdp_decoder_mid_message(const struct vdp_decoder *d);

const char *vdp_decode_strerror(int status);
