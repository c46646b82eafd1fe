/* SPDX-License-Identifier: MIT */
/* The port stream decoder: reassembly, interleaving, hostile input, memory. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang */
#define TEST_ASAN 1
#endif
#endif

#if defined(TEST_ASAN)
#define HAVE_ALLOC_STATS 1
/* from <sanitizer/allocator_interface.h>, which gcc does not install */
size_t __sanitizer_get_current_allocated_bytes(void);
#elif defined(__GLIBC__)
#define HAVE_ALLOC_STATS 1
#include <malloc.h>
#endif

#include "tap.h"
#include "vdp-decoder.h"
#include "vdp-util.h"
#include "vdp-wire.h"

/* ---- building streams by hand ---------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

static void buf_put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + len)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	if (len)
		memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	*b = (struct buf){ 0 };
}

static void put_msg_hdr(struct buf *b, uint32_t protocol, uint32_t type,
			uint64_t opaque, uint32_t size)
{
	uint8_t h[20];

	vdp_put_le32(h, protocol);
	vdp_put_le32(h + 4, type);
	vdp_put_le64(h + 8, opaque);
	vdp_put_le32(h + 16, size);
	buf_put(b, h, sizeof(h));
}

/* Append a message (header + payload) to one port's byte stream. */
static void put_msg(struct buf *b, uint32_t type, uint64_t opaque,
		    const void *data, uint32_t size)
{
	put_msg_hdr(b, VDP_PROTOCOL_VERSION, type, opaque, size);
	buf_put(b, data, size);
}

static void put_chunk(struct buf *wire, uint32_t port, const void *data,
		      uint32_t size)
{
	uint8_t h[8];

	vdp_put_le32(h, port);
	vdp_put_le32(h + 4, size);
	buf_put(wire, h, sizeof(h));
	buf_put(wire, data, size);
}

/* Cut two port byte streams into chunks, alternating between the ports,
 * with chunk sizes taken in turn from sizes[] (0 included). */
static void interleave(struct buf *wire, const struct buf *client,
		       const struct buf *server, const uint32_t *sizes,
		       size_t nsizes)
{
	size_t off[2] = { 0, 0 };
	const struct buf *src[2] = { client, server };
	size_t k = 0;

	while (off[0] < client->len || off[1] < server->len) {
		for (int i = 0; i < 2; i++) {
			uint32_t n = sizes[k++ % nsizes];

			if (off[i] == src[i]->len)
				continue;
			if (n > src[i]->len - off[i])
				n = (uint32_t)(src[i]->len - off[i]);
			put_chunk(wire, (uint32_t)(i + 1), src[i]->p + off[i], n);
			off[i] += n;
		}
	}
}

static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31 + seed * 7 + (i >> 8));
	return p;
}

/* ---- collecting messages --------------------------------------------- */

struct want {
	uint32_t port;
	uint32_t type;
	uint64_t opaque;
	uint32_t size;
	const uint8_t *data;
};

#define MAX_GOT 64

struct collector {
	struct vdp_decoder *d;
	int n;
	struct want got[MAX_GOT];
	uint8_t *data[MAX_GOT];
	int stop_at;   /* return non-zero for message number stop_at (1-based) */
	bool steal;
	bool null_data; /* a message came with data == NULL */
};

static int collect(void *user, const struct vdp_message *m)
{
	struct collector *c = user;
	uint8_t *copy;

	if (!m->data)
		c->null_data = true;
	if (c->steal) {
		copy = vdp_decoder_steal_data(c->d);
		if (copy != m->data)
			c->null_data = true;
	} else {
		copy = malloc(m->size ? m->size : 1);
		if (m->data && m->size)
			memcpy(copy, m->data, m->size);
	}
	if (c->n < MAX_GOT) {
		c->got[c->n] = (struct want){ m->port, m->type, m->opaque,
					      m->size, copy };
		c->data[c->n] = copy;
	} else {
		free(copy);
	}
	c->n++;
	return c->stop_at && c->n == c->stop_at;
}

static void collector_clear(struct collector *c)
{
	for (int i = 0; i < c->n && i < MAX_GOT; i++)
		free(c->data[i]);
	c->n = 0;
	c->null_data = false;
}

/* Same messages as want[], in order per port (ports may interleave). */
static bool collector_matches(const struct collector *c,
			      const struct want *want, int nwant, char *why,
			      size_t whylen)
{
	int next[3] = { 0, 0, 0 };

	if (c->null_data) {
		snprintf(why, whylen, "a message had data == NULL");
		return false;
	}
	if (c->n != nwant) {
		snprintf(why, whylen, "%d messages, want %d", c->n, nwant);
		return false;
	}
	for (int i = 0; i < c->n; i++) {
		const struct want *g = &c->got[i];
		const struct want *w = NULL;

		if (g->port != 1 && g->port != 2) {
			snprintf(why, whylen, "message %d: port %u", i, g->port);
			return false;
		}
		while (next[g->port] < nwant && want[next[g->port]].port != g->port)
			next[g->port]++;
		if (next[g->port] < nwant)
			w = &want[next[g->port]++];
		if (!w || w->type != g->type || w->opaque != g->opaque ||
		    w->size != g->size ||
		    (w->size && memcmp(w->data, g->data, w->size) != 0)) {
			snprintf(why, whylen,
				 "message %d (port %u type %u size %u) unexpected",
				 i, g->port, g->type, g->size);
			return false;
		}
	}
	return true;
}

/* Feed wire[0, split) then wire[split, len); returns the last status. */
static int feed_split(struct vdp_decoder *d, const struct buf *wire,
		      size_t split, struct collector *c)
{
	int r = vdp_decoder_feed(d, wire->p, split, collect, c);

	if (r < 0)
		return r;
	return vdp_decoder_feed(d, wire->p + split, wire->len - split, collect, c);
}

static int feed_bytewise(struct vdp_decoder *d, const uint8_t *p, size_t len,
			 struct collector *c)
{
	for (size_t i = 0; i < len; i++) {
		int r = vdp_decoder_feed(d, p + i, 1, collect, c);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Decode wire at every split point, and one byte at a time. */
static void check_all_splits(const char *name, const struct buf *wire,
			     const struct want *want, int nwant)
{
	struct vdp_decoder *d = vdp_decoder_new(1u << 20);
	struct collector c = { .d = d };
	char why[200] = "";
	size_t bad = 0, first_bad = 0;
	int r;

	for (size_t split = 0; split <= wire->len; split++) {
		vdp_decoder_reset(d);
		r = feed_split(d, wire, split, &c);
		if (r != VDP_DECODE_OK ||
		    !collector_matches(&c, want, nwant, why, sizeof(why)) ||
		    vdp_decoder_mid_message(d)) {
			if (!bad++)
				first_bad = split;
		}
		collector_clear(&c);
	}
	ok(bad == 0, "%s: two slices, all %zu split points", name, wire->len + 1);
	if (bad)
		diag("  %zu bad, first at %zu: %s", bad, first_bad, why);

	vdp_decoder_reset(d);
	r = feed_bytewise(d, wire->p, wire->len, &c);
	is_int(r, VDP_DECODE_OK, "%s: one byte at a time: status", name);
	ok(collector_matches(&c, want, nwant, why, sizeof(why)),
	   "%s: one byte at a time: messages", name);
	if (why[0])
		diag("  %s", why);
	ok(!vdp_decoder_mid_message(d), "%s: not mid-message at the end", name);
	collector_clear(&c);
	vdp_decoder_free(d);
}

/* ---- tests ------------------------------------------------------------ */

static void test_single(void)
{
	struct vdp_decoder *d = vdp_decoder_new(4096);
	struct collector c = { .d = d };
	struct buf msg = { 0 }, wire = { 0 };
	int r;

	put_msg(&msg, VDP_MSG_REPLY, 0x1122334455667788ull, "\1\0\0\0\2\0\0\0", 8);
	put_chunk(&wire, VDP_PORT_CLIENT, msg.p, (uint32_t)msg.len);
	ok(!vdp_decoder_mid_message(d), "fresh decoder is not mid-message");
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	is_int(r, VDP_DECODE_OK, "single message: status");
	is_int(c.n, 1, "single message: one delivered");
	is_int(c.got[0].port, VDP_PORT_CLIENT, "single message: port");
	is_int(c.got[0].type, VDP_MSG_REPLY, "single message: type");
	ok(c.got[0].opaque == 0x1122334455667788ull, "single message: opaque");
	is_int(c.got[0].size, 8, "single message: size");
	is_mem(c.got[0].data, "\1\0\0\0\2\0\0\0", 8, "single message: data");

	/* a partial chunk header is mid-message, and so is a partial body */
	collector_clear(&c);
	r = vdp_decoder_feed(d, wire.p, 3, collect, &c);
	ok(r == 0 && vdp_decoder_mid_message(d), "3 bytes: mid-message");
	r = vdp_decoder_feed(d, wire.p + 3, 10, collect, &c);
	ok(r == 0 && vdp_decoder_mid_message(d) && c.n == 0,
	   "13 bytes: mid-message, nothing delivered");
	r = vdp_decoder_feed(d, wire.p + 13, wire.len - 13, collect, &c);
	ok(r == 0 && !vdp_decoder_mid_message(d) && c.n == 1, "rest: delivered");

	collector_clear(&c);
	buf_free(&msg);
	buf_free(&wire);
	vdp_decoder_free(d);
}

/* One 5000-byte message (three chunks) followed by a small one and an empty
 * one, on both ports, cut by the encoder's rule (full 2048-byte chunks). */
static void test_multi_chunk_splits(void)
{
	const uint32_t full[] = { VDP_CHUNK_MAX_DATA };
	struct buf client = { 0 }, server = { 0 }, wire = { 0 };
	uint8_t *big = pattern(5000, 1);
	struct want want[] = {
		{ 1, VDP_MSG_CLIPBOARD, 42, 5000, big },
		{ 1, VDP_MSG_REPLY, 7, 3, (const uint8_t *)"xyz" },
		{ 1, VDP_MSG_CLIENT_DISCONNECTED, 0, 0, NULL },
	};

	put_msg(&client, want[0].type, want[0].opaque, big, 5000);
	interleave(&wire, &client, &server, full, 1);
	buf_free(&client);
	put_msg(&client, want[1].type, want[1].opaque, "xyz", 3);
	interleave(&wire, &client, &server, full, 1);
	buf_free(&client);
	put_msg(&client, want[2].type, want[2].opaque, NULL, 0);
	interleave(&wire, &client, &server, full, 1);
	is_int(wire.len, 5020 + 3 * 8 + 23 + 8 + 20 + 8, "multi-chunk stream length");
	check_all_splits("multi-chunk", &wire, want, 3);

	buf_free(&client);
	buf_free(&wire);
	free(big);
}

/* Several messages in one chunk, headers split across chunks, zero-size
 * chunks, and both ports interleaved chunk by chunk. */
static void test_interleaved_packed(void)
{
	const uint32_t sizes[] = { 7, 2048, 0, 1, 300, 13, 2048, 2047, 21, 19, 20 };
	struct buf client = { 0 }, server = { 0 }, wire = { 0 };
	uint8_t *a = pattern(3000, 2), *b = pattern(4100, 3);
	uint8_t *s = pattern(2500, 4);
	struct want want[] = {
		{ 1, VDP_MSG_MONITORS_CONFIG, 1, 3000, a },
		{ 2, VDP_MSG_MOUSE_STATE, 2, 13, s },
		{ 1, VDP_MSG_CLIPBOARD_GRAB, 3, 1, (const uint8_t *)"g" },
		{ 2, VDP_MSG_CLIPBOARD, 4, 2500, s },
		{ 1, VDP_MSG_REPLY, 5, 0, NULL },
		{ 1, VDP_MSG_CLIPBOARD, 6, 4100, b },
		{ 2, VDP_MSG_MOUSE_STATE, 7, 13, s + 13 },
		{ 1, VDP_MSG_REPLY, 8, 8, a + 8 },
	};
	const int nwant = (int)ARRAY_LENGTH(want);

	for (int i = 0; i < nwant; i++)
		put_msg(want[i].port == 1 ? &client : &server, want[i].type,
			want[i].opaque, want[i].data, want[i].size);
	interleave(&wire, &client, &server, sizes, ARRAY_LENGTH(sizes));
	check_all_splits("interleaved, packed", &wire, want, nwant);

	/* Several whole messages inside one chunk. */
	buf_free(&wire);
	buf_free(&client);
	put_msg(&client, 1, 10, "a", 1);
	put_msg(&client, 2, 11, NULL, 0);
	put_msg(&client, 3, 12, "bcd", 3);
	put_chunk(&wire, VDP_PORT_CLIENT, client.p, (uint32_t)client.len);
	{
		struct want w3[] = {
			{ 1, 1, 10, 1, (const uint8_t *)"a" },
			{ 1, 2, 11, 0, NULL },
			{ 1, 3, 12, 3, (const uint8_t *)"bcd" },
		};
		check_all_splits("three messages in one chunk", &wire, w3, 3);
	}

	buf_free(&client);
	buf_free(&server);
	buf_free(&wire);
	free(a);
	free(b);
	free(s);
}

static void test_zero_size_chunks(void)
{
	struct vdp_decoder *d = vdp_decoder_new(4096);
	struct collector c = { .d = d };
	struct buf wire = { 0 }, msg = { 0 };
	int r;

	put_chunk(&wire, VDP_PORT_SERVER, NULL, 0);
	put_chunk(&wire, VDP_PORT_CLIENT, NULL, 0);
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	ok(r == 0 && c.n == 0 && !vdp_decoder_mid_message(d),
	   "zero-size chunks alone: nothing happens");

	put_msg(&msg, VDP_MSG_REPLY, 9, "12345678", 8);
	put_chunk(&wire, VDP_PORT_CLIENT, msg.p, 10);
	put_chunk(&wire, VDP_PORT_CLIENT, NULL, 0);
	put_chunk(&wire, VDP_PORT_CLIENT, msg.p + 10, (uint32_t)msg.len - 10);
	r = vdp_decoder_feed(d, wire.p + 16, wire.len - 16, collect, &c);
	ok(r == 0 && c.n == 1 && c.got[0].size == 8 &&
		   memcmp(c.got[0].data, "12345678", 8) == 0,
	   "zero-size chunk inside a message header changes nothing");

	collector_clear(&c);
	buf_free(&wire);
	buf_free(&msg);
	vdp_decoder_free(d);
}

struct bad_case {
	const char *name;
	uint32_t chunk_port;
	uint32_t chunk_size; /* declared; the body follows in full if <= 2048 */
	uint32_t protocol;
	uint32_t msg_size;
	int want;
};

static void test_errors(void)
{
	const uint32_t limit = 1u << 20;
	const struct bad_case cases[] = {
		{ "chunk size 2049", 1, 2049, 1, 0, VDP_DECODE_ERR_CHUNK_SIZE },
		{ "chunk size 0xffffffff", 2, 0xffffffffu, 1, 0, VDP_DECODE_ERR_CHUNK_SIZE },
		{ "port 0", 0, 20, 1, 0, VDP_DECODE_ERR_PORT },
		{ "port 3", 3, 20, 1, 0, VDP_DECODE_ERR_PORT },
		{ "protocol 2", 1, 20, 2, 0, VDP_DECODE_ERR_PROTOCOL },
		{ "protocol 0", 2, 20, 0, 0, VDP_DECODE_ERR_PROTOCOL },
		{ "4 GiB message, 1 MiB limit", 1, 20, 1, 0xffffffffu,
		  VDP_DECODE_ERR_MESSAGE_SIZE },
		{ "message one over the limit", 2, 20, 1, limit + 1,
		  VDP_DECODE_ERR_MESSAGE_SIZE },
		{ "message at the limit", 2, 20, 1, limit, VDP_DECODE_OK },
		{ "chunk size 2048", 1, 2048, 1, 2028, VDP_DECODE_OK },
	};
	struct vdp_decoder *d = vdp_decoder_new(limit);
	struct collector c = { .d = d };
	struct buf good = { 0 }, goodmsg = { 0 };
	int r;

	put_msg(&goodmsg, VDP_MSG_REPLY, 5, "okok", 4);
	put_chunk(&good, VDP_PORT_SERVER, goodmsg.p, (uint32_t)goodmsg.len);

	for (size_t i = 0; i < ARRAY_LENGTH(cases); i++) {
		const struct bad_case *bc = &cases[i];
		struct buf wire = { 0 };
		uint8_t h[8], body[2048] = { 0 };
		uint32_t blen = bc->chunk_size <= 2048 ? bc->chunk_size : 0;

		vdp_put_le32(h, bc->chunk_port);
		vdp_put_le32(h + 4, bc->chunk_size);
		buf_put(&wire, h, 8);
		vdp_put_le32(body, bc->protocol);
		vdp_put_le32(body + 4, VDP_MSG_CLIPBOARD);
		vdp_put_le32(body + 16, bc->msg_size);
		buf_put(&wire, body, blen);

		for (int bytewise = 0; bytewise < 2; bytewise++) {
			collector_clear(&c);
			vdp_decoder_reset(d);
			if (bytewise)
				r = feed_bytewise(d, wire.p, wire.len, &c);
			else
				r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
			is_int(r, bc->want, "%s%s: status", bc->name,
			       bytewise ? " (bytewise)" : "");
			if (bc->want == VDP_DECODE_OK)
				continue;
			is_int(vdp_decoder_feed(d, good.p, good.len, collect, &c),
			       VDP_DECODE_ERR_BROKEN, "%s: broken afterwards", bc->name);
			is_int(vdp_decoder_feed(d, good.p, 0, collect, &c),
			       VDP_DECODE_ERR_BROKEN, "%s: broken for an empty feed too",
			       bc->name);
			vdp_decoder_reset(d);
			ok(!vdp_decoder_mid_message(d), "%s: reset clears", bc->name);
			collector_clear(&c);
			r = vdp_decoder_feed(d, good.p, good.len, collect, &c);
			ok(r == 0 && c.n == 1 && c.got[0].size == 4 &&
				   memcmp(c.got[0].data, "okok", 4) == 0,
			   "%s: reset recovers", bc->name);
			collector_clear(&c);
		}
		buf_free(&wire);
	}
	collector_clear(&c);

	/* A good message before the fault is still delivered. */
	{
		struct buf wire = { 0 };
		uint8_t h[8];

		buf_put(&wire, good.p, good.len);
		vdp_put_le32(h, 1);
		vdp_put_le32(h + 4, 4096);
		buf_put(&wire, h, 8);
		vdp_decoder_reset(d);
		r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
		ok(r == VDP_DECODE_ERR_CHUNK_SIZE && c.n == 1,
		   "message before a bad chunk is delivered, then the error");
		collector_clear(&c);
		buf_free(&wire);
	}

	/* Garbage: text on the port. */
	{
		const char *junk = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";

		vdp_decoder_reset(d);
		r = vdp_decoder_feed(d, junk, strlen(junk), collect, &c);
		ok(r < 0 && r != VDP_DECODE_ERR_BROKEN && c.n == 0,
		   "garbage is refused (%s)", vdp_decode_strerror(r));
		vdp_decoder_reset(d);
		r = vdp_decoder_feed(d, good.p, good.len, collect, &c);
		ok(r == 0 && c.n == 1, "garbage: reset recovers");
		collector_clear(&c);
	}

	/* Every status has its own text. */
	{
		bool distinct = true;

		for (int a = VDP_DECODE_ERR_STOPPED; a <= 0; a++)
			for (int b = a + 1; b <= 0; b++)
				if (streq(vdp_decode_strerror(a), vdp_decode_strerror(b)))
					distinct = false;
		ok(distinct, "every status has a distinct message");
	}

	buf_free(&good);
	buf_free(&goodmsg);
	vdp_decoder_free(d);
}

static void test_stop_and_steal(void)
{
	struct vdp_decoder *d = vdp_decoder_new(1u << 20);
	struct collector c = { .d = d };
	struct buf client = { 0 }, server = { 0 }, wire = { 0 };
	const uint32_t full[] = { 2048 };
	uint8_t *big = pattern(10000, 5);
	uint8_t *kept;
	int r;

	put_msg(&client, 1, 1, "first", 5);
	put_msg(&client, 2, 2, "second", 6);
	put_msg(&client, 3, 3, big, 10000);
	put_msg(&client, 4, 4, NULL, 0);
	interleave(&wire, &client, &server, full, 1);

	c.stop_at = 1;
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	ok(r == VDP_DECODE_ERR_STOPPED && c.n == 1,
	   "callback stop: feed returns STOPPED after one message");
	is_int(vdp_decoder_feed(d, wire.p, wire.len, collect, &c),
	       VDP_DECODE_ERR_BROKEN, "after a stop the decoder is broken");
	collector_clear(&c);
	vdp_decoder_reset(d);
	c.stop_at = 3;
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	ok(r == VDP_DECODE_ERR_STOPPED && c.n == 3 && c.got[2].size == 10000,
	   "stop on the third message (multi-chunk)");
	collector_clear(&c);

	ok(vdp_decoder_steal_data(d) == NULL, "steal outside a callback: NULL");

	vdp_decoder_reset(d);
	c.stop_at = 0;
	c.steal = true;
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	ok(r == 0 && c.n == 4 && !c.null_data,
	   "steal: every message handed over, none NULL (size 0 included)");
	ok(c.n == 4 && memcmp(c.got[0].data, "first", 5) == 0 &&
		   memcmp(c.got[1].data, "second", 6) == 0 &&
		   memcmp(c.got[2].data, big, 10000) == 0,
	   "stolen buffers keep their bytes after later messages");
	ok(c.n == 4 && c.got[0].data != c.got[1].data &&
		   c.got[1].data != c.got[3].data,
	   "stolen buffers are distinct");
	kept = c.data[2];
	c.data[2] = NULL;
	collector_clear(&c);
	/* decode more: the stolen buffer must stay ours */
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	ok(r == 0 && memcmp(kept, big, 10000) == 0,
	   "a stolen buffer is not touched by later decoding");
	free(kept);
	collector_clear(&c);

	free(big);
	buf_free(&client);
	buf_free(&server);
	buf_free(&wire);
	vdp_decoder_free(d);
}

#ifdef HAVE_ALLOC_STATS
/* Bytes the allocator has handed out and not taken back. */
static size_t allocated_bytes(void)
{
#if defined(TEST_ASAN)
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#endif
}
#endif

/* A message header declaring 100 MB must cost nothing until the bytes come,
 * and the buffer must then grow with them, capped at the declared size. */
static void test_memory_growth(void)
{
#ifdef HAVE_ALLOC_STATS
	const uint32_t declared = 100u * 1000 * 1000;
	const uint32_t small = 3000000;
	struct vdp_decoder *d = vdp_decoder_new(1u << 30);
	struct collector c = { .d = d };
	struct buf port = { 0 }, wire = { 0 };
	const uint32_t full[] = { 2048 };
	struct buf none = { 0 };
	size_t base, after, feed_len;
	uint8_t *probe;
	int r;

	/* the probe itself must see a large allocation, or the test is void */
	{
		/* volatile: the compiler must not elide the malloc/free pair */
		void *volatile big;

		base = allocated_bytes();
		big = malloc(declared);
		after = allocated_bytes();
		ok(big && after >= base + declared,
		   "allocator statistics see a 100 MB allocation (%zu -> %zu)",
		   base, after);
		free(big);
	}

	put_msg_hdr(&port, VDP_PROTOCOL_VERSION, VDP_MSG_CLIPBOARD, 0, declared);
	interleave(&wire, &port, &none, full, 1);
	base = allocated_bytes();
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	after = allocated_bytes();
	ok(r == 0 && vdp_decoder_mid_message(d),
	   "100 MB header with 1 GiB limit accepted");
	ok(after < base + 64 * 1024,
	   "after the header alone: %zu bytes allocated, want < 64 KiB",
	   after - base);

	/* 1 MiB of payload arrives: the buffer follows it, within 2x */
	buf_free(&port);
	buf_free(&wire);
	probe = pattern(1u << 20, 6);
	buf_put(&port, probe, 1u << 20);
	interleave(&wire, &port, &none, full, 1);
	base = allocated_bytes();
	r = vdp_decoder_feed(d, wire.p, wire.len, collect, &c);
	after = allocated_bytes();
	ok(r == 0 && after >= base + (1u << 20) && after <= base + (2u << 20) + 65536,
	   "after 1 MiB of payload: %zu bytes allocated, want 1..2 MiB",
	   after - base);
	vdp_decoder_reset(d);
	ok(allocated_bytes() < base + 64 * 1024, "reset frees the partial message");
	free(probe);

	/* growth is capped at the declared size */
	buf_free(&port);
	buf_free(&wire);
	probe = pattern(small, 7);
	put_msg(&port, VDP_MSG_CLIPBOARD, 0, probe, small);
	interleave(&wire, &port, &none, full, 1);
	feed_len = wire.len * 3 / 4; /* past 2 MiB, where doubling would go to 4 */
	base = allocated_bytes();
	r = vdp_decoder_feed(d, wire.p, feed_len, collect, &c);
	after = allocated_bytes();
	ok(r == 0 && after <= base + small + 65536,
	   "3 MB message, 2.25 MB received: %zu bytes allocated, want <= 3 MB",
	   after - base);
	r = vdp_decoder_feed(d, wire.p + feed_len, wire.len - feed_len, collect, &c);
	ok(r == 0 && c.n == 1 && c.got[0].size == small &&
		   memcmp(c.got[0].data, probe, small) == 0,
	   "3 MB message delivered intact");
	collector_clear(&c);
	ok(allocated_bytes() < base + 128 * 1024,
	   "a large buffer is not kept after delivery");

	free(probe);
	buf_free(&port);
	buf_free(&wire);
	vdp_decoder_free(d);
#else
	ok(1, "memory growth # SKIP no allocator statistics on this libc");
#endif
}

/* Random slicing of one long stream must give the same messages. */
static void test_random_slices(void)
{
	const uint32_t sizes[] = { 2048, 2048, 5, 2048, 1000, 0, 2048 };
	struct buf client = { 0 }, server = { 0 }, wire = { 0 };
	struct want want[40];
	uint8_t *src = pattern(200000, 8);
	struct vdp_decoder *d = vdp_decoder_new(1u << 20);
	struct collector c = { .d = d };
	unsigned seed = 12345;
	size_t off = 0;
	char why[200] = "";
	uint32_t msize = 1;
	int r = 0;

	for (int i = 0; i < 40; i++) {
		msize = (msize * 7 + 3) % 9000;
		want[i] = (struct want){ (uint32_t)(i % 3 ? 1 : 2), (uint32_t)(i % 16 + 1),
					 (uint64_t)i << 40, msize, src + i * 1000 };
		put_msg(want[i].port == 1 ? &client : &server, want[i].type,
			want[i].opaque, want[i].data, want[i].size);
	}
	interleave(&wire, &client, &server, sizes, ARRAY_LENGTH(sizes));
	while (off < wire.len && r == 0) {
		size_t n;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 70000;
		if (n > wire.len - off)
			n = wire.len - off;
		r = vdp_decoder_feed(d, wire.p + off, n, collect, &c);
		off += n;
	}
	is_int(r, 0, "random slices: status");
	ok(collector_matches(&c, want, 40, why, sizeof(why)),
	   "random slices: 40 messages on two ports");
	if (why[0])
		diag("  %s", why);
	collector_clear(&c);
	free(src);
	buf_free(&client);
	buf_free(&server);
	buf_free(&wire);
	vdp_decoder_free(d);
}

int main(void)
{
	test_single();
	test_multi_chunk_splits();
	test_interleaved_packed();
	test_zero_size_chunks();
	test_errors();
	test_stop_and_steal();
	test_memory_growth();
	test_random_slices();
	return tap_done();
}
