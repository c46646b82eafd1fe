/* SPDX-License-Identifier: MIT */
/* The chunk encoder: chunk boundaries, zero-copy pieces, round trips. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vdp-decoder.h"
#include "vdp-encoder.h"
#include "vdp-util.h"
#include "vdp-wire.h"

static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + seed * 5 + (i >> 9));
	return p;
}

static bool points_into(const struct vdp_iov *v, const struct vdp_iov *pieces,
			int npieces)
{
	const uint8_t *b = v->base;

	for (int i = 0; i < npieces; i++) {
		const uint8_t *pb = pieces[i].base;

		if (pieces[i].len && b >= pb && b + v->len <= pb + pieces[i].len)
			return true;
	}
	return false;
}

/* Walk every chunk of a message and check its shape: chunk headers, the
 * message header at the start, payload iovecs pointing into the caller's
 * pieces (no copy), sizes, remaining() before every chunk.  Returns the
 * number of chunks, or -1 with a diagnostic. */
static int walk(const char *name, uint32_t port, uint32_t type,
		uint64_t opaque, const struct vdp_iov *pieces, int npieces,
		uint8_t **payload_out)
{
	struct vdp_encoder e;
	struct vdp_iov out[VDP_CHUNK_MAX_IOV];
	uint64_t size = 0, stream, produced = 0;
	uint8_t *payload;
	size_t pos = 0;
	int n, nchunks = 0;

	for (int i = 0; i < npieces; i++)
		size += pieces[i].len;
	stream = size + sizeof(struct vdp_message_header);
	payload = malloc(size ? size : 1);
	*payload_out = payload;
	if (vdp_encoder_init(&e, port, type, opaque, pieces, npieces) != 0) {
		diag("%s: init failed", name);
		return -1;
	}
	while (true) {
		uint64_t rem = vdp_encoder_remaining(&e);
		uint64_t left = stream - produced;
		uint64_t want_rem = left + 8 * ((left + 2047) / 2048);
		uint32_t csize, want_csize;
		size_t sum = 0;
		int first = 0;

		if (rem != want_rem) {
			diag("%s: chunk %d: remaining %llu, want %llu", name, nchunks,
			     (unsigned long long)rem, (unsigned long long)want_rem);
			return -1;
		}
		n = vdp_encoder_next_chunk(&e, out);
		if (n == 0)
			break;
		if (n < 1 || n > VDP_CHUNK_MAX_IOV || out[0].len != 8) {
			diag("%s: chunk %d: %d iovecs", name, nchunks, n);
			return -1;
		}
		csize = vdp_get_le32((const uint8_t *)out[0].base + 4);
		want_csize = left < 2048 ? (uint32_t)left : 2048;
		if (vdp_get_le32(out[0].base) != port || csize != want_csize) {
			diag("%s: chunk %d: port %u size %u, want %u", name, nchunks,
			     vdp_get_le32(out[0].base), csize, want_csize);
			return -1;
		}
		if (nchunks == 0) {
			const uint8_t *h = out[1].base;

			if (n < 2 || out[1].len != 20 || vdp_get_le32(h) != 1 ||
			    vdp_get_le32(h + 4) != type ||
			    vdp_get_le64(h + 8) != opaque ||
			    vdp_get_le32(h + 16) != size) {
				diag("%s: bad message header", name);
				return -1;
			}
			first = 2;
			sum = 20;
		} else {
			first = 1;
		}
		for (int i = first; i < n; i++) {
			if (out[i].len == 0 || !points_into(&out[i], pieces, npieces)) {
				diag("%s: chunk %d iov %d: not a slice of a piece",
				     name, nchunks, i);
				return -1;
			}
			memcpy(payload + pos, out[i].base, out[i].len);
			pos += out[i].len;
			sum += out[i].len;
		}
		if (sum != csize) {
			diag("%s: chunk %d: iovecs hold %zu bytes, header says %u",
			     name, nchunks, sum, csize);
			return -1;
		}
		produced += csize;
		nchunks++;
	}
	if (vdp_encoder_next_chunk(&e, out) != 0 || pos != size) {
		diag("%s: not finished cleanly", name);
		return -1;
	}
	return nchunks;
}

static void test_sizes(void)
{
	const size_t sizes[] = { 0, 1, 2027, 2028, 2029, 4076, 4077, 4096, 100000 };

	for (size_t i = 0; i < ARRAY_LENGTH(sizes); i++) {
		size_t sz = sizes[i];
		uint8_t *src = pattern(sz, (unsigned)i);
		struct vdp_iov piece = { src, sz };
		uint8_t *payload;
		char name[64];
		int n;

		snprintf(name, sizeof(name), "payload %zu", sz);
		n = walk(name, VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD, 0x0102030405060708ull,
			 &piece, 1, &payload);
		is_int(n, (int)((sz + 20 + 2047) / 2048), "%s: chunk count", name);
		ok(n > 0 && memcmp(payload, src, sz) == 0, "%s: payload intact", name);
		free(payload);
		free(src);
	}
}

static void test_exact_bytes(void)
{
	static const uint8_t want[] = {
		2, 0, 0, 0, 23, 0, 0, 0,                  /* chunk: server, 23 */
		1, 0, 0, 0, 3, 0, 0, 0,                   /* protocol 1, REPLY */
		8, 7, 6, 5, 4, 3, 2, 1,                   /* opaque */
		3, 0, 0, 0, 'a', 'b', 'c',                /* size 3, data */
		1, 0, 0, 0, 20, 0, 0, 0,                  /* chunk: client, 20 */
		1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct vdp_iov p = { "abc", 3 };
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	r = vdp_encode_append(&buf, &len, VDP_PORT_SERVER, VDP_MSG_REPLY,
			      0x0102030405060708ull, &p, 1);
	is_int(r, 0, "append: first message");
	r = vdp_encode_append(&buf, &len, VDP_PORT_CLIENT,
			      VDP_MSG_CLIPBOARD_RELEASE, 0, NULL, 0);
	is_int(r, 0, "append: second message, no payload");
	is_int(len, sizeof(want), "append: total length");
	ok(len == sizeof(want) && memcmp(buf, want, len) == 0,
	   "append: exact wire bytes");

	r = vdp_encode_append(&buf, &len, 3, VDP_MSG_REPLY, 0, &p, 1);
	ok(r == -EINVAL && len == sizeof(want) && memcmp(buf, want, len) == 0,
	   "append: a bad port leaves the buffer alone");
	free(buf);
}

static void test_pieces(void)
{
	const size_t lens[VDP_ENCODER_MAX_PIECES] = { 3, 0, 2030, 1, 5000, 0, 7, 2048 };
	struct vdp_iov pieces[VDP_ENCODER_MAX_PIECES];
	uint8_t *src[VDP_ENCODER_MAX_PIECES];
	uint8_t *payload, *joined;
	size_t total = 0, pos = 0;
	int n;

	for (int i = 0; i < VDP_ENCODER_MAX_PIECES; i++) {
		src[i] = pattern(lens[i], (unsigned)i + 10);
		pieces[i] = (struct vdp_iov){ src[i], lens[i] };
		total += lens[i];
	}
	joined = malloc(total);
	for (int i = 0; i < VDP_ENCODER_MAX_PIECES; i++) {
		memcpy(joined + pos, src[i], lens[i]);
		pos += lens[i];
	}
	n = walk("8 pieces", VDP_PORT_SERVER, VDP_MSG_FILE_XFER_DATA, 77, pieces,
		 VDP_ENCODER_MAX_PIECES, &payload);
	is_int(n, (int)((total + 20 + 2047) / 2048), "8 pieces: chunk count");
	ok(n > 0 && memcmp(payload, joined, total) == 0, "8 pieces: payload in order");
	free(payload);

	/* a piece boundary exactly at a chunk boundary, and empty pieces only */
	{
		struct vdp_iov two[3] = { { src[2], 2028 }, { src[4], 2048 }, { src[0], 0 } };

		n = walk("pieces on chunk boundaries", VDP_PORT_CLIENT, 4, 0, two, 3,
			 &payload);
		ok(n == 2 && memcmp(payload, src[2], 2028) == 0 &&
			   memcmp(payload + 2028, src[4], 2048) == 0,
		   "pieces on chunk boundaries: 2 chunks, bytes in order");
		free(payload);
		n = walk("empty pieces", VDP_PORT_CLIENT, 4, 0, &two[2], 1, &payload);
		is_int(n, 1, "only an empty piece: one chunk (header)");
		free(payload);
	}

	free(joined);
	for (int i = 0; i < VDP_ENCODER_MAX_PIECES; i++)
		free(src[i]);
}

static void test_rejects(void)
{
	struct vdp_encoder e;
	struct vdp_iov p[VDP_ENCODER_MAX_PIECES + 1];
	static uint8_t byte;

	for (size_t i = 0; i < ARRAY_LENGTH(p); i++)
		p[i] = (struct vdp_iov){ &byte, 1 };
	is_int(vdp_encoder_init(&e, 0, 1, 0, p, 1), -EINVAL, "port 0 rejected");
	is_int(vdp_encoder_init(&e, 3, 1, 0, p, 1), -EINVAL, "port 3 rejected");
	is_int(vdp_encoder_init(&e, 1, 1, 0, p, VDP_ENCODER_MAX_PIECES + 1), -EINVAL,
	       "%d pieces rejected", VDP_ENCODER_MAX_PIECES + 1);
	is_int(vdp_encoder_init(&e, 1, 1, 0, p, -1), -EINVAL, "-1 pieces rejected");
	is_int(vdp_encoder_init(&e, 1, 1, 0, NULL, 1), -EINVAL, "NULL pieces rejected");
	is_int(vdp_encoder_init(&e, 2, 1, 0, p, VDP_ENCODER_MAX_PIECES), 0,
	       "%d pieces accepted", VDP_ENCODER_MAX_PIECES);

	/* sizes only: these pieces are never read */
	p[0] = (struct vdp_iov){ &byte, 0x80000000u };
	p[1] = (struct vdp_iov){ &byte, 0x80000000u };
	is_int(vdp_encoder_init(&e, 1, 1, 0, p, 2), -EINVAL,
	       "payload of 4 GiB rejected");
	p[1].len = 0x7fffffffu;
	is_int(vdp_encoder_init(&e, 1, 1, 0, p, 2), 0,
	       "payload of 4 GiB - 1 accepted");
	ok(vdp_encoder_remaining(&e) ==
		   0xffffffffull + 20 + 8 * ((0xffffffffull + 20 + 2047) / 2048),
	   "remaining() of the largest message");
}

struct rt {
	int n;
	bool bad;
	const struct vdp_iov *want;
	const uint32_t *ports;
};

static int rt_check(void *user, const struct vdp_message *m)
{
	struct rt *rt = user;
	const struct vdp_iov *w = &rt->want[rt->n];

	if (m->port != rt->ports[rt->n] || m->type != (uint32_t)rt->n + 1 ||
	    m->opaque != (uint64_t)rt->n * 1000 || m->size != w->len ||
	    (w->len && memcmp(m->data, w->base, w->len) != 0))
		rt->bad = true;
	rt->n++;
	return 0;
}

static void test_round_trip(void)
{
	const size_t sizes[] = { 0, 1, 19, 20, 2028, 2029, 4096, 65536, 100000,
				 300001, 7, 2048 };
	const int nmsg = (int)ARRAY_LENGTH(sizes);
	struct vdp_iov want[ARRAY_LENGTH(sizes)];
	uint32_t ports[ARRAY_LENGTH(sizes)];
	struct vdp_decoder *d = vdp_decoder_new(1u << 20);
	uint8_t *wire = NULL;
	size_t len = 0;
	struct rt rt = { .want = want, .ports = ports };
	int r = 0;

	for (int i = 0; i < nmsg; i++) {
		/* split into up to three pieces to exercise piece walking */
		uint8_t *src = pattern(sizes[i], (unsigned)i + 20);
		size_t a = sizes[i] / 3, b = sizes[i] / 2;
		struct vdp_iov pc[3] = { { src, a }, { src + a, b - a },
					 { src + b, sizes[i] - b } };

		ports[i] = i % 2 ? VDP_PORT_SERVER : VDP_PORT_CLIENT;
		want[i] = (struct vdp_iov){ src, sizes[i] };
		r |= vdp_encode_append(&wire, &len, ports[i], (uint32_t)i + 1,
				       (uint64_t)i * 1000, pc, 3);
	}
	is_int(r, 0, "round trip: encoded %d messages", nmsg);
	r = vdp_decoder_feed(d, wire, len, rt_check, &rt);
	ok(r == 0 && rt.n == nmsg && !rt.bad, "round trip: one feed (%d messages)",
	   rt.n);

	/* and in 4093-byte reads, which never align with chunks */
	vdp_decoder_reset(d);
	rt.n = 0;
	rt.bad = false;
	for (size_t off = 0; off < len && r == 0; off += 4093)
		r = vdp_decoder_feed(d, wire + off, len - off < 4093 ? len - off : 4093,
				     rt_check, &rt);
	ok(r == 0 && rt.n == nmsg && !rt.bad, "round trip: 4093-byte reads");

	free(wire);
	for (int i = 0; i < nmsg; i++)
		free((void *)want[i].base);
	vdp_decoder_free(d);
}

int main(void)
{
	test_sizes();
	test_exact_bytes();
	test_pieces();
	test_rejects();
	test_round_trip();
	return tap_done();
}
