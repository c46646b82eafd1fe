/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the port stream decoder.
 *
 * Input: 4 control bytes, then the port byte stream.
 *   ctl[0] bits 0-1: message size limit (0, 64, 4096, 65536 bytes)
 *   ctl[0] bit 2:    steal every message's buffer
 *   ctl[0] bits 4-7: stop at that message (0: never)
 *   ctl[1..3]:       seed of the slice sizes
 * The stream is decoded twice, in one feed and in slices whose sizes come
 * from the seed; both runs must see the same messages and the same first
 * error, which makes the slicing logic its own oracle.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vdp-decoder.h"
#include "vdp-util.h"

#include "fuzz-util.h"

struct run {
	struct vdp_decoder *d;
	uint32_t limit;
	int stop_at;
	int steal;
	int n;
	uint64_t hash;
};

static int on_message(void *user, const struct vdp_message *m)
{
	struct run *r = user;
	uint8_t *owned = NULL;

	if (!m->data || m->size > r->limit ||
	    (m->port != 1 && m->port != 2)) {
		fprintf(stderr, "bad message: port %u size %u data %p\n",
			m->port, m->size, (const void *)m->data);
		abort();
	}
	r->hash = fuzz_mix(r->hash, m->port);
	r->hash = fuzz_mix(r->hash, m->type);
	r->hash = fuzz_mix(r->hash, m->opaque);
	r->hash = fuzz_mix(r->hash, m->size);
	for (uint32_t i = 0; i < m->size; i++)
		r->hash = fuzz_mix(r->hash, m->data[i]);
	if (r->steal) {
		owned = vdp_decoder_steal_data(r->d);
		if (owned != m->data)
			abort();
		free(owned);
	}
	r->n++;
	return r->stop_at && r->n == r->stop_at;
}

static int decode(struct run *r, const uint8_t *p, size_t len, uint32_t seed)
{
	size_t off = 0;
	int status = 0;

	while (off < len) {
		size_t n = fuzz_next_slice(&seed, len - off);

		status = vdp_decoder_feed(r->d, p + off, n, on_message, r);
		off += n;
		if (status < 0)
			break;
	}
	if (status < 0 &&
	    vdp_decoder_feed(r->d, p, len, on_message, r) != VDP_DECODE_ERR_BROKEN)
		abort();
	return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t limits[] = { 0, 64, 4096, 65536 };
	struct run whole, sliced;
	uint32_t seed;
	int s1, s2, mid1, mid2;

	if (size < 4)
		return 0;
	whole = (struct run){
		.limit = limits[data[0] & 3],
		.steal = (data[0] >> 2) & 1,
		.stop_at = data[0] >> 4,
	};
	seed = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16;
	seed |= 1u << 24; /* never 0: 0 means "one feed" */
	data += 4;
	size -= 4;
	sliced = whole;

	whole.d = vdp_decoder_new(whole.limit);
	sliced.d = vdp_decoder_new(sliced.limit);
	if (!whole.d || !sliced.d)
		abort();
	s1 = decode(&whole, data, size, 0);
	s2 = decode(&sliced, data, size, seed);
	mid1 = vdp_decoder_mid_message(whole.d);
	mid2 = vdp_decoder_mid_message(sliced.d);
	if (s1 != s2 || whole.n != sliced.n || whole.hash != sliced.hash ||
	    (s1 == 0 && mid1 != mid2)) {
		fprintf(stderr, "whole: %d %d msgs, sliced: %d %d msgs\n", s1,
			whole.n, s2, sliced.n);
		abort();
	}
	if (vdp_decode_strerror(s1) == NULL)
		abort();

	/* after a reset the decoder starts clean */
	vdp_decoder_reset(sliced.d);
	if (vdp_decoder_mid_message(sliced.d))
		abort();
	vdp_decoder_free(whole.d);
	vdp_decoder_free(sliced.d);
	return 0;
}
