/* SPDX-License-Identifier: MIT */
/*
 * Decoder and encoder throughput on streams of 2048-byte chunks.
 *
 *   bench-codec [runs [filter]]
 *
 * runs: 5 by default; the best run is reported.  filter: run only the cases
 * whose label contains it (e.g. "64 MiB").
 *
 * Decode: a stream of messages of one size, fed in 64 KiB reads the way the
 * daemon reads the port, about 1 GiB per run.  The callback takes each
 * payload with vdp_decoder_steal_data() and frees it, as a consumer that
 * passes large payloads on would.
 * Encode: one 64 MiB message walked chunk by chunk, the iovecs copied into
 * a 64 KiB write buffer the way a port writer fills its writes.
 * MB/s counts stream bytes (chunk headers included), 1 MB = 10^6 bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vdp-decoder.h"
#include "vdp-encoder.h"
#include "vdp-util.h"

#define READ_SIZE (64u * 1024u)
#define RUN_BYTES (1024ull * 1024 * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fprintf(stderr, "out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

struct sink {
	struct vdp_decoder *d;
	uint64_t messages;
	uint64_t bytes;
	uint64_t check;
	bool steal;
};

static int on_message(void *user, const struct vdp_message *m)
{
	struct sink *s = user;

	s->messages++;
	s->bytes += m->size;
	if (m->size)
		s->check += m->data[m->size - 1];
	if (s->steal)
		free(vdp_decoder_steal_data(s->d));
	return 0;
}

/* Encode `count` messages of msg_size bytes, alternating ports. */
static uint8_t *make_stream(uint32_t msg_size, size_t count, size_t *len)
{
	uint8_t *payload = xmalloc(msg_size ? msg_size : 1);
	uint8_t *buf = NULL;
	struct vdp_iov iov = { payload, msg_size };

	for (uint32_t i = 0; i < msg_size; i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	*len = 0;
	for (size_t i = 0; i < count; i++) {
		uint32_t port = i % 2 ? VDP_PORT_SERVER : VDP_PORT_CLIENT;

		if (vdp_encode_append(&buf, len, port, VDP_MSG_CLIPBOARD, i, &iov,
				      1) < 0) {
			fprintf(stderr, "encode failed\n");
			exit(1);
		}
	}
	free(payload);
	return buf;
}

static void bench_decode(const char *label, uint32_t msg_size, int runs,
			 bool steal, const char *filter)
{
	/* keep the stream itself at most ~64 MiB and replay it */
	uint64_t per_msg = msg_size + 20 + 8 * ((msg_size + 20 + 2047) / 2048);
	size_t count = (size_t)((64ull << 20) / per_msg);
	size_t len, reps;
	uint8_t *stream;
	double best = 0;
	struct sink s = { .steal = steal };

	if (filter && !strstr(label, filter))
		return;
	if (count == 0)
		count = 1;
	stream = make_stream(msg_size, count, &len);
	reps = (size_t)((RUN_BYTES + len - 1) / len);
	s.d = vdp_decoder_new(UINT32_MAX);

	for (int run = 0; run < runs; run++) {
		double t0 = now(), dt;

		for (size_t r = 0; r < reps; r++) {
			for (size_t off = 0; off < len; off += READ_SIZE) {
				size_t n = len - off < READ_SIZE ? len - off : READ_SIZE;
				int st = vdp_decoder_feed(s.d, stream + off, n,
							  on_message, &s);

				if (st < 0) {
					fprintf(stderr, "decode: %s\n",
						vdp_decode_strerror(st));
					exit(1);
				}
			}
		}
		dt = now() - t0;
		if (best == 0 || (double)(len * reps) / dt > best)
			best = (double)(len * reps) / dt;
	}
	if (s.messages != (uint64_t)count * reps * (uint64_t)runs) {
		fprintf(stderr, "decode: %llu messages, want %llu\n",
			(unsigned long long)s.messages,
			(unsigned long long)count * reps * (uint64_t)runs);
		exit(1);
	}
	printf("decode %-26s %8.0f MB/s  (%zu msgs x %zu reps, best of %d, "
	       "check %llu)\n",
	       label, best / 1e6, count, reps, runs,
	       (unsigned long long)(s.check & 0xffff));
	vdp_decoder_free(s.d);
	free(stream);
}

static void bench_encode(int runs, const char *filter)
{
	const uint32_t msg_size = 64u << 20;
	uint8_t *payload = xmalloc(msg_size);
	uint8_t *wbuf = xmalloc(READ_SIZE);
	struct vdp_iov piece = { payload, msg_size }, out[VDP_CHUNK_MAX_IOV];
	struct vdp_encoder e;
	double best_copy = 0, best_walk = 0;
	uint64_t stream_len = 0, check = 0;
	const int msgs = 16; /* 1 GiB per run */

	if (filter && !strstr("encode", filter)) {
		free(payload);
		free(wbuf);
		return;
	}
	for (uint32_t i = 0; i < msg_size; i++)
		payload[i] = (uint8_t)(i * 3);

	for (int run = 0; run < runs; run++) {
		size_t fill = 0;
		double t0 = now(), dt;

		stream_len = 0;
		for (int m = 0; m < msgs; m++) {
			int n;

			vdp_encoder_init(&e, VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD, 0,
					 &piece, 1);
			stream_len += vdp_encoder_remaining(&e);
			while ((n = vdp_encoder_next_chunk(&e, out)) > 0) {
				for (int i = 0; i < n; i++) {
					const uint8_t *b = out[i].base;
					size_t l = out[i].len;

					while (l > 0) {
						size_t k = READ_SIZE - fill;

						if (k > l)
							k = l;
						memcpy(wbuf + fill, b, k);
						fill += k;
						b += k;
						l -= k;
						if (fill == READ_SIZE) {
							/* "write()" the buffer */
							check += wbuf[fill - 1];
							fill = 0;
						}
					}
				}
			}
		}
		dt = now() - t0;
		if ((double)stream_len / dt > best_copy)
			best_copy = (double)stream_len / dt;
	}

	/* the chunk walk alone: what the encoder costs without the copy */
	for (int run = 0; run < runs; run++) {
		double t0 = now(), dt;
		uint64_t sum = 0;

		for (int m = 0; m < msgs; m++) {
			int n;

			vdp_encoder_init(&e, VDP_PORT_SERVER, VDP_MSG_CLIPBOARD, 0,
					 &piece, 1);
			while ((n = vdp_encoder_next_chunk(&e, out)) > 0)
				for (int i = 0; i < n; i++)
					sum += out[i].len;
		}
		dt = now() - t0;
		if (sum != stream_len) {
			fprintf(stderr, "encode: walked %llu bytes, want %llu\n",
				(unsigned long long)sum,
				(unsigned long long)stream_len);
			exit(1);
		}
		if ((double)sum / dt > best_walk)
			best_walk = (double)sum / dt;
	}
	printf("encode 64 MiB msgs, copy to 64 KiB writes %8.0f MB/s  (best of %d, "
	       "check %llu)\n", best_copy / 1e6, runs,
	       (unsigned long long)(check & 0xffff));
	printf("encode 64 MiB msgs, chunk walk only       %8.1f M chunks/s (no byte touched)\n",
	       best_walk / 2056 / 1e6);
	free(payload);
	free(wbuf);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	const char *filter = argc > 2 ? argv[2] : NULL;

	if (runs < 1)
		runs = 1;
	printf("stream of 2048-byte chunks, 64 KiB reads, ~1 GiB per run\n");
	bench_decode("64 MiB msgs, stolen", 64u << 20, runs, true, filter);
	bench_decode("64 MiB msgs, not stolen", 64u << 20, runs, false, filter);
	bench_decode("1 MiB msgs, stolen", 1u << 20, runs, true, filter);
	bench_decode("64 KiB msgs, stolen", 64u << 10, runs, true, filter);
	bench_decode("2028 B msgs (1 chunk)", 2028, runs, false, filter);
	bench_decode("100 B msgs", 100, runs, false, filter);
	bench_encode(runs, filter);
	return 0;
}
