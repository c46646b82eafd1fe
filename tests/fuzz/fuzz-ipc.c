/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the daemon <-> agent IPC decoder and payload parsers.
 *
 * Input: 4 control bytes, then the IPC byte stream.
 *   ctl[0] bit 0:    sender (0: agent, so the daemon's decoder; 1: daemon)
 *   ctl[0] bit 1:    steal every message's buffer
 *   ctl[0] bit 2:    lower the CLIPBOARD_DATA limit to 8 + ctl[1] bytes
 *   ctl[0] bits 4-7: stop at that message (0: never)
 *   ctl[1..3]:       seed of the slice sizes
 * The stream is decoded twice, in one feed and in slices; both runs must see
 * the same messages and the same status.  Every message goes through the
 * parser of its type; a payload the parser accepts must come out of the
 * builders byte for byte the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vdp-ipc.h"
#include "vdp-util.h"

#include "fuzz-util.h"

struct run {
	struct vdp_ipc_decoder *d;
	enum vdp_ipc_sender from;
	uint32_t clip_limit;
	int stop_at;
	int steal;
	int n;
	uint64_t hash;
};

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz-ipc: %s\n", what);
		abort();
	}
}

/* Rebuild an accepted payload and compare it with what was received. */
static void same_bytes(const uint8_t *p, size_t size, const uint8_t *built,
		       int n, const void *tail, size_t tail_len)
{
	check(n >= 0, "builder refused what the parser accepted");
	check((size_t)n + tail_len == size, "rebuilt size differs");
	check(memcmp(p, built, (size_t)n) == 0, "rebuilt head differs");
	check(tail_len == 0 || memcmp(p + n, tail, tail_len) == 0,
	      "rebuilt tail differs");
}

static void parse_one(uint32_t type, const uint8_t *p, size_t size)
{
	uint8_t b[VDP_IPC_SCREEN_LAYOUT_MAX];
	int n;

	switch (type) {
	case VDP_IPC_HELLO: {
		struct vdp_ipc_hello v;

		if (vdp_ipc_parse_hello(p, size, &v) == 0) {
			n = vdp_ipc_build_hello_head(b, sizeof(b), v.version,
						     v.flags);
			same_bytes(p, size, b, n, v.text, v.text_len);
		}
		break;
	}
	case VDP_IPC_SCREEN_LAYOUT: {
		struct vdp_ipc_screen_layout v;

		if (vdp_ipc_parse_screen_layout(p, size, &v) == 0) {
			n = vdp_ipc_build_screen_layout(b, sizeof(b), &v);
			same_bytes(p, size, b, n, NULL, 0);
		}
		break;
	}
	case VDP_IPC_CLIENT_CAPS: {
		struct vdp_ipc_client_caps v;

		if (vdp_ipc_parse_client_caps(p, size, &v) == 0) {
			n = vdp_ipc_build_client_caps(b, sizeof(b), &v.caps,
						      v.max_clipboard);
			check(n > 0 && vdp_get_le32(b) == vdp_get_le32(p),
			      "caps rebuild");
		}
		break;
	}
	case VDP_IPC_CLIPBOARD_GRAB: {
		struct vdp_ipc_clipboard_grab v;

		if (vdp_ipc_parse_clipboard_grab(p, size, &v) == 0) {
			n = vdp_ipc_build_clipboard_grab(b, sizeof(b),
							 v.selection, v.types,
							 v.count);
			same_bytes(p, size, b, n, NULL, 0);
		}
		break;
	}
	case VDP_IPC_CLIPBOARD_REQUEST: {
		struct vdp_ipc_clipboard_request v;

		if (vdp_ipc_parse_clipboard_request(p, size, &v) == 0) {
			n = vdp_ipc_build_clipboard_request(b, sizeof(b),
							    v.selection,
							    v.type);
			same_bytes(p, size, b, n, NULL, 0);
		}
		break;
	}
	case VDP_IPC_CLIPBOARD_DATA: {
		struct vdp_ipc_clipboard_data v;

		if (vdp_ipc_parse_clipboard_data(p, size, &v) == 0) {
			n = vdp_ipc_build_clipboard_data_head(b, sizeof(b),
							      v.selection,
							      v.type);
			same_bytes(p, size, b, n, v.data, v.size);
		}
		break;
	}
	case VDP_IPC_CLIPBOARD_RELEASE: {
		struct vdp_ipc_clipboard_release v;

		if (vdp_ipc_parse_clipboard_release(p, size, &v) == 0) {
			n = vdp_ipc_build_clipboard_release(b, sizeof(b),
							    v.selection);
			same_bytes(p, size, b, n, NULL, 0);
		}
		break;
	}
	case VDP_IPC_FILE_XFER_START: {
		struct vdp_ipc_xfer_start v;

		if (vdp_ipc_parse_xfer_start(p, size, &v) == 0) {
			n = vdp_ipc_build_xfer_start_head(b, sizeof(b), v.id);
			same_bytes(p, size, b, n, v.text, v.text_len);
		}
		break;
	}
	case VDP_IPC_FILE_XFER_DATA: {
		struct vdp_ipc_xfer_data v;

		if (vdp_ipc_parse_xfer_data(p, size, &v) == 0) {
			n = vdp_ipc_build_xfer_data_head(b, sizeof(b), v.id);
			same_bytes(p, size, b, n, v.data, v.size);
		}
		break;
	}
	case VDP_IPC_FILE_XFER_STATUS: {
		struct vdp_ipc_xfer_status v;

		if (vdp_ipc_parse_xfer_status(p, size, &v) == 0) {
			n = vdp_ipc_build_xfer_status(b, sizeof(b), v.id,
						      v.result, v.detail,
						      v.detail_len);
			same_bytes(p, size, b, n, NULL, 0);
		}
		break;
	}
	case VDP_IPC_MONITORS_RESULT: {
		struct vdp_ipc_monitors_result v;

		if (vdp_ipc_parse_monitors_result(p, size, &v) == 0) {
			check(v.serial != 0, "monitors result serial 0");
			n = vdp_ipc_build_monitors_result(b, sizeof(b),
							  v.serial, v.result);
			same_bytes(p, size, b, n, NULL, 0);
		}
		break;
	}
	case VDP_IPC_CLIENT_DISCONNECTED:
		check(vdp_ipc_parse_empty(p, size) == 0 || size != 0,
		      "empty payload refused");
		break;
	default:
		/* forwarded agent-protocol payloads: vdp-validate's job */
		break;
	}
}

static int on_message(void *user, const struct vdp_ipc_message *m)
{
	struct run *r = user;
	uint32_t limit = vdp_ipc_max_payload(m->type);

	if (m->type == VDP_IPC_CLIPBOARD_DATA && r->clip_limit < limit)
		limit = r->clip_limit;
	check(m->data != NULL, "NULL data");
	check(vdp_ipc_type_allowed(m->type, r->from), "type not allowed");
	check(m->size <= limit, "size over limit");

	r->hash = fuzz_mix(r->hash, m->type);
	r->hash = fuzz_mix(r->hash, m->size);
	for (uint32_t i = 0; i < m->size; i++)
		r->hash = fuzz_mix(r->hash, m->data[i]);
	parse_one(m->type, m->data, m->size);
	if (r->steal) {
		uint8_t *owned = vdp_ipc_decoder_steal_data(r->d);

		check(owned != NULL, "steal failed");
		check(m->size == 0 || memcmp(owned, m->data, m->size) == 0,
		      "stolen data differs");
		check(vdp_ipc_decoder_steal_data(r->d) == NULL,
		      "second steal succeeded");
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

		status = vdp_ipc_decoder_feed(r->d, p + off, n, on_message, r);
		off += n;
		if (status != 0)
			break;
	}
	if (status != 0)
		check(vdp_ipc_decoder_feed(r->d, p, len, on_message, r) ==
			      VDP_IPC_ERR_BROKEN,
		      "not broken after an error");
	return status;
}

static void run_init(struct run *r, uint8_t ctl0, uint8_t ctl1)
{
	memset(r, 0, sizeof(*r));
	r->from = ctl0 & 1 ? VDP_IPC_FROM_DAEMON : VDP_IPC_FROM_AGENT;
	r->d = vdp_ipc_decoder_new(r->from);
	check(r->d != NULL, "decoder_new");
	r->steal = (ctl0 >> 1) & 1;
	r->stop_at = ctl0 >> 4;
	r->clip_limit = UINT32_MAX;
	if (ctl0 & 4) {
		r->clip_limit = VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE + ctl1;
		check(vdp_ipc_decoder_set_limit(r->d, VDP_IPC_CLIPBOARD_DATA,
						r->clip_limit) == 0,
		      "set_limit");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run whole, sliced;
	uint32_t seed;
	int s1, s2;

	if (size < 4)
		return 0;
	seed = (uint32_t)data[1] | (uint32_t)data[2] << 8 |
	       (uint32_t)data[3] << 16 | 1u << 24;
	run_init(&whole, data[0], data[1]);
	run_init(&sliced, data[0], data[1]);

	s1 = decode(&whole, data + 4, size - 4, 0);
	s2 = decode(&sliced, data + 4, size - 4, seed);
	if (s1 != s2 || whole.n != sliced.n || whole.hash != sliced.hash) {
		fprintf(stderr, "whole: status %d, %d msgs; sliced: %d, %d\n",
			s1, whole.n, s2, sliced.n);
		abort();
	}

	/* a reset decoder decodes the stream again the same way */
	vdp_ipc_decoder_reset(sliced.d);
	sliced.n = 0;
	sliced.hash = 0;
	s2 = decode(&sliced, data + 4, size - 4, seed ^ 0x5555);
	check(s1 == s2 && whole.n == sliced.n && whole.hash == sliced.hash,
	      "different result after reset");

	vdp_ipc_decoder_free(whole.d);
	vdp_ipc_decoder_free(sliced.d);
	return 0;
}
