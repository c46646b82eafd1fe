/* SPDX-License-Identifier: MIT */
/*
 * Stream decoder.  Two layers, each a tiny state machine over byte runs:
 *
 *   feed()          splits the input into chunk headers and chunk bodies;
 *   port_consume()  treats the chunk bodies of one port as a byte stream and
 *                   splits it into message headers and message payloads.
 *
 * Headers are parsed straight from the input when they are contiguous in
 * it, and gathered in a small buffer otherwise.  Payload bytes are moved
 * with one memcpy per chunk.
 */
#include "vdp-decoder.h"

#include <stdbool.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "vdp-util.h"
#include "vdp-wire.h"

#define CHUNK_HDR_SIZE sizeof(struct vdp_chunk_header)
#define MSG_HDR_SIZE sizeof(struct vdp_message_header)

/* First payload allocation, and the largest buffer kept for reuse between
 * messages (a bigger one is freed once its message is delivered). */
#define BUF_MIN 4096u
#define BUF_KEEP (64u * 1024u)

/* Reassembly state of one port (client or server). */
struct port_state {
	uint8_t hdr[MSG_HDR_SIZE];
	size_t hdr_have;   /* message header bytes gathered in hdr[] */
	bool in_payload;   /* header done, payload bytes being received */
	uint32_t type;
	uint64_t opaque;
	uint32_t size;     /* declared payload size */
	uint32_t received; /* payload bytes received so far */
	uint8_t *data;
	size_t cap;        /* allocated bytes at data */
};

struct vdp_decoder {
	uint32_t max_message_size;
	bool broken;

	uint8_t chunk_hdr[CHUNK_HDR_SIZE];
	size_t chunk_hdr_have;
	uint32_t chunk_left; /* body bytes of the current chunk still due */
	uint32_t chunk_port;

	struct port_state ports[2]; /* [0] client, [1] server */
	struct port_state *delivering; /* set during the callback */
};

static void port_state_clear(struct port_state *ps)
{
	free(ps->data);
	*ps = (struct port_state){ 0 };
}

struct vdp_decoder *vdp_decoder_new(uint32_t max_message_size)
{
	struct vdp_decoder *d = zalloc(sizeof(*d));

	if (!d)
		return NULL;
	d->max_message_size = max_message_size;
	return d;
}

void vdp_decoder_free(struct vdp_decoder *d)
{
	if (!d)
		return;
	port_state_clear(&d->ports[0]);
	port_state_clear(&d->ports[1]);
	free(d);
}

void vdp_decoder_reset(struct vdp_decoder *d)
{
	uint32_t max = d->max_message_size;

	port_state_clear(&d->ports[0]);
	port_state_clear(&d->ports[1]);
	*d = (struct vdp_decoder){ .max_message_size = max };
}

int vdp_decoder_mid_message(const struct vdp_decoder *d)
{
	for (size_t i = 0; i < ARRAY_LENGTH(d->ports); i++) {
		const struct port_state *ps = &d->ports[i];

		if (ps->hdr_have || ps->in_payload)
			return 1;
	}
	return d->chunk_hdr_have || d->chunk_left;
}

uint8_t *vdp_decoder_steal_data(struct vdp_decoder *d)
{
	struct port_state *ps = d->delivering;
	uint8_t *data;

	if (!ps)
		return NULL;
	data = ps->data;
	ps->data = NULL;
	ps->cap = 0;
	return data;
}

/* Large payload buffers: ask for transparent huge pages.  Filling a fresh
 * buffer is otherwise dominated by one page fault per 4 KiB, which halves
 * decode throughput of big messages.  The advice covers the whole pages of
 * the block: advising only its 2 MiB aligned interior would split the
 * mapping, and realloc could then no longer grow it with mremap(). */
#define HUGE_PAGE (2u * 1024u * 1024u)
#define SMALL_PAGE 4096u

static void hint_huge_pages(uint8_t *p, size_t len)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	uintptr_t start = (uintptr_t)p & ~(uintptr_t)(SMALL_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + len + SMALL_PAGE - 1) &
			~(uintptr_t)(SMALL_PAGE - 1);

	(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/* Make room for `need` payload bytes: grow at least geometrically so a
 * message costs O(log n) reallocs, never beyond the declared size, and only
 * ever for bytes that are being delivered right now. */
static int port_reserve(struct port_state *ps, uint32_t need)
{
	uint64_t cap;
	uint8_t *p;

	if (need <= ps->cap && ps->data)
		return 0;
	cap = (uint64_t)ps->cap * 2;
	if (cap < BUF_MIN)
		cap = BUF_MIN;
	if (cap < need)
		cap = need;
	if (cap > ps->size)
		cap = ps->size;
	if (cap == 0)
		cap = 1; /* a size-0 message still gets a buffer */
	if (cap > SIZE_MAX)
		return VDP_DECODE_ERR_NOMEM;
	p = realloc(ps->data, (size_t)cap);
	if (!p)
		return VDP_DECODE_ERR_NOMEM;
	ps->data = p;
	ps->cap = (size_t)cap;
	if (cap >= HUGE_PAGE)
		hint_huge_pages(p, ps->cap);
	return 0;
}

static int port_deliver(struct vdp_decoder *d, struct port_state *ps,
			uint32_t port, vdp_message_cb cb, void *user)
{
	struct vdp_message msg;
	int r;

	r = port_reserve(ps, ps->size);
	if (r < 0)
		return r;
	msg = (struct vdp_message){
		.port = port,
		.type = ps->type,
		.opaque = ps->opaque,
		.size = ps->size,
		.data = ps->data,
	};
	d->delivering = ps;
	r = cb ? cb(user, &msg) : 0;
	d->delivering = NULL;

	ps->in_payload = false;
	ps->received = 0;
	if (ps->cap > BUF_KEEP) {
		free(ps->data);
		ps->data = NULL;
		ps->cap = 0;
	}
	return r ? VDP_DECODE_ERR_STOPPED : 0;
}

static int port_start_message(struct vdp_decoder *d, struct port_state *ps,
			      const uint8_t *h)
{
	if (vdp_get_le32(h) != VDP_PROTOCOL_VERSION)
		return VDP_DECODE_ERR_PROTOCOL;
	ps->size = vdp_get_le32(h + 16);
	if (ps->size > d->max_message_size)
		return VDP_DECODE_ERR_MESSAGE_SIZE;
	ps->type = vdp_get_le32(h + 4);
	ps->opaque = vdp_get_le64(h + 8);
	ps->received = 0;
	ps->in_payload = true;
	return 0;
}

/* n bytes of chunk body for one port: continue its byte stream. */
static int port_consume(struct vdp_decoder *d, uint32_t port, const uint8_t *p,
			size_t n, vdp_message_cb cb, void *user)
{
	struct port_state *ps = &d->ports[port - 1];
	int r;

	while (n > 0) {
		if (!ps->in_payload) {
			const uint8_t *h;

			if (ps->hdr_have == 0 && n >= MSG_HDR_SIZE) {
				h = p;
				p += MSG_HDR_SIZE;
				n -= MSG_HDR_SIZE;
			} else {
				size_t take = MSG_HDR_SIZE - ps->hdr_have;

				if (take > n)
					take = n;
				memcpy(ps->hdr + ps->hdr_have, p, take);
				ps->hdr_have += take;
				p += take;
				n -= take;
				if (ps->hdr_have < MSG_HDR_SIZE)
					return 0;
				h = ps->hdr;
				ps->hdr_have = 0;
			}
			r = port_start_message(d, ps, h);
			if (r < 0)
				return r;
		} else {
			uint32_t take = ps->size - ps->received;

			if (take > n)
				take = (uint32_t)n;
			r = port_reserve(ps, ps->received + take);
			if (r < 0)
				return r;
			memcpy(ps->data + ps->received, p, take);
			ps->received += take;
			p += take;
			n -= take;
		}
		if (ps->in_payload && ps->received == ps->size) {
			r = port_deliver(d, ps, port, cb, user);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* A complete chunk header: check it and start the chunk. */
static int start_chunk(struct vdp_decoder *d, const uint8_t *h)
{
	uint32_t port = vdp_get_le32(h);
	uint32_t size = vdp_get_le32(h + 4);

	if (size > VDP_CHUNK_MAX_DATA)
		return VDP_DECODE_ERR_CHUNK_SIZE;
	if (port != VDP_PORT_CLIENT && port != VDP_PORT_SERVER)
		return VDP_DECODE_ERR_PORT;
	d->chunk_port = port;
	d->chunk_left = size;
	return 0;
}

static int feed(struct vdp_decoder *d, const uint8_t *p, size_t len,
		vdp_message_cb cb, void *user)
{
	int r;

	while (len > 0) {
		if (d->chunk_left == 0) {
			if (d->chunk_hdr_have == 0 && len >= CHUNK_HDR_SIZE) {
				r = start_chunk(d, p);
				p += CHUNK_HDR_SIZE;
				len -= CHUNK_HDR_SIZE;
			} else {
				size_t take = CHUNK_HDR_SIZE - d->chunk_hdr_have;

				if (take > len)
					take = len;
				memcpy(d->chunk_hdr + d->chunk_hdr_have, p, take);
				d->chunk_hdr_have += take;
				p += take;
				len -= take;
				if (d->chunk_hdr_have < CHUNK_HDR_SIZE)
					return 0;
				d->chunk_hdr_have = 0;
				r = start_chunk(d, d->chunk_hdr);
			}
			if (r < 0)
				return r;
		} else {
			size_t n = d->chunk_left < len ? d->chunk_left : len;

			/* chunk_left drops first: a callback stopping the
			 * decoder must not see a stale chunk position. */
			d->chunk_left -= (uint32_t)n;
			r = port_consume(d, d->chunk_port, p, n, cb, user);
			if (r < 0)
				return r;
			p += n;
			len -= n;
		}
	}
	return 0;
}

int vdp_decoder_feed(struct vdp_decoder *d, const void *buf, size_t len,
		     vdp_message_cb cb, void *user)
{
	int r;

	if (d->broken)
		return VDP_DECODE_ERR_BROKEN;
	r = feed(d, buf, len, cb, user);
	if (r < 0)
		d->broken = true;
	return r;
}

const char *vdp_decode_strerror(int status)
{
	switch (status) {
	case VDP_DECODE_OK:
		return "ok";
	case VDP_DECODE_ERR_CHUNK_SIZE:
		return "chunk larger than 2048 bytes";
	case VDP_DECODE_ERR_PORT:
		return "chunk port is neither client nor server";
	case VDP_DECODE_ERR_PROTOCOL:
		return "message protocol is not 1";
	case VDP_DECODE_ERR_MESSAGE_SIZE:
		return "message larger than the limit";
	case VDP_DECODE_ERR_NOMEM:
		return "out of memory";
	case VDP_DECODE_ERR_BROKEN:
		return "stream broken by an earlier error";
	case VDP_DECODE_ERR_STOPPED:
		return "stopped by the message callback";
	}
	return "unknown decoder status";
}
