/* SPDX-License-Identifier: MIT */
/*
 * Encoder: the message header and the caller's pieces form one logical
 * stream of `total` bytes, which is cut into chunks of VDP_CHUNK_MAX_DATA
 * bytes.  Each chunk is handed out as iovecs into that stream; only the
 * 8-byte chunk header and the 20-byte message header live in the encoder.
 */
#include "vdp-encoder.h"

#include <errno.h>

#include "vdp-util.h"

#define CHUNK_HDR_SIZE sizeof(struct vdp_chunk_header)
#define MSG_HDR_SIZE sizeof(struct vdp_message_header)

int vdp_encoder_init(struct vdp_encoder *e, uint32_t port, uint32_t type,
		     uint64_t opaque, const struct vdp_iov *payload,
		     int npieces)
{
	uint64_t size = 0;

	if (port != VDP_PORT_CLIENT && port != VDP_PORT_SERVER)
		return -EINVAL;
	if (npieces < 0 || npieces > VDP_ENCODER_MAX_PIECES ||
	    (npieces > 0 && !payload))
		return -EINVAL;
	for (int i = 0; i < npieces; i++) {
		if (payload[i].len && !payload[i].base)
			return -EINVAL;
		size += payload[i].len;
		if (size > UINT32_MAX)
			return -EINVAL;
	}

	*e = (struct vdp_encoder){
		.npieces = npieces,
		.port = port,
		.total = MSG_HDR_SIZE + size,
	};
	for (int i = 0; i < npieces; i++)
		e->pieces[i] = payload[i];
	vdp_put_le32(e->msg_hdr, VDP_PROTOCOL_VERSION);
	vdp_put_le32(e->msg_hdr + 4, type);
	vdp_put_le64(e->msg_hdr + 8, opaque);
	vdp_put_le32(e->msg_hdr + 16, (uint32_t)size);
	return 0;
}

int vdp_encoder_next_chunk(struct vdp_encoder *e, struct vdp_iov *out)
{
	uint64_t left = e->total - e->emitted;
	size_t room;
	int n = 0;

	if (left == 0)
		return 0;
	room = left < VDP_CHUNK_MAX_DATA ? (size_t)left : VDP_CHUNK_MAX_DATA;
	vdp_put_le32(e->chunk_hdr, e->port);
	vdp_put_le32(e->chunk_hdr + 4, (uint32_t)room);
	out[n++] = (struct vdp_iov){ e->chunk_hdr, CHUNK_HDR_SIZE };

	/* The message header is shorter than a chunk, so it always sits
	 * whole at the start of the first one. */
	if (e->emitted == 0) {
		out[n++] = (struct vdp_iov){ e->msg_hdr, MSG_HDR_SIZE };
		room -= MSG_HDR_SIZE;
		e->emitted = MSG_HDR_SIZE;
	}
	e->emitted += room;
	while (room > 0) {
		const struct vdp_iov *pc = &e->pieces[e->piece];
		size_t take = pc->len - e->piece_off;

		if (take > room)
			take = room;
		if (take > 0)
			out[n++] = (struct vdp_iov){
				(const uint8_t *)pc->base + e->piece_off, take
			};
		e->piece_off += take;
		room -= take;
		if (e->piece_off == pc->len) {
			e->piece++;
			e->piece_off = 0;
		}
	}
	return n;
}

uint64_t vdp_encoder_remaining(const struct vdp_encoder *e)
{
	uint64_t left = e->total - e->emitted;
	uint64_t chunks = (left + VDP_CHUNK_MAX_DATA - 1) / VDP_CHUNK_MAX_DATA;

	return left + chunks * CHUNK_HDR_SIZE;
}

int vdp_encode_append(uint8_t **buf, size_t *len, uint32_t port,
		      uint32_t type, uint64_t opaque,
		      const struct vdp_iov *payload, int npieces)
{
	struct vdp_encoder e;
	struct vdp_iov iov[VDP_CHUNK_MAX_IOV];
	uint64_t need;
	uint8_t *out, *p;
	int n, r;

	r = vdp_encoder_init(&e, port, type, opaque, payload, npieces);
	if (r < 0)
		return r;
	need = vdp_encoder_remaining(&e);
	if (need > SIZE_MAX - *len)
		return -ENOMEM;
	out = realloc(*buf, *len + (size_t)need);
	if (!out)
		return -ENOMEM;
	*buf = out;
	p = out + *len;
	while ((n = vdp_encoder_next_chunk(&e, iov)) > 0) {
		for (int i = 0; i < n; i++) {
			memcpy(p, iov[i].base, iov[i].len);
			p += iov[i].len;
		}
	}
	*len += (size_t)need;
	return 0;
}
