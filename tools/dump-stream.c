/* SPDX-License-Identifier: MIT */
/*
 * The stream walker reads chunk by chunk (header, then body) so that it
 * knows the file offset of every byte it gives the decoder.  For each port
 * it tracks where the message now being reassembled started, which is what
 * a line's offset shows.
 */
#include "dump-stream.h"

#include <errno.h>
#include <inttypes.h>

#include "dump-message.h"
#include "vdp-decoder.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "vdp-wire.h"

#define CHUNK_HDR_SIZE sizeof(struct vdp_chunk_header)
#define MSG_HDR_SIZE sizeof(struct vdp_message_header)

struct port_track {
	uint64_t fed;      /* body bytes of this port given to the decoder */
	uint64_t msg_end;  /* port stream position where the last message ended */
	uint64_t msg_off;  /* file offset where the next/current message starts */
	bool msg_pending;  /* no byte of the next message seen yet */
};

struct walker {
	const struct dump_options *opt;
	FILE *out;
	struct vdp_decoder *dec;
	struct port_track port[2];
	/* the chunk being fed */
	uint32_t chunk_port;
	uint64_t chunk_data_off;
	uint64_t chunk_pos; /* port stream position of its first body byte */
	uint32_t chunk_len;
	bool have_announced;
	struct vdp_caps announced;
	unsigned violations;
};

static const char *port_name(uint32_t port)
{
	return port == VDP_PORT_CLIENT ? "client" : "server";
}

static const struct vdp_caps *negotiated(const struct walker *w,
					 struct vdp_caps *tmp)
{
	if (w->opt->fixed_caps)
		return &w->opt->caps;
	if (!w->have_announced)
		return NULL;
	if (!w->opt->have_peer_caps)
		return &w->announced;
	*tmp = vdp_caps_intersect(&w->announced, &w->opt->peer_caps);
	return tmp;
}

/* A client announcement changes what later clipboard messages look like. */
static void track_caps(struct walker *w, const struct vdp_message *msg)
{
	struct vdp_capabilities c;
	struct vdp_caps tmp;
	char names[1024];

	if (w->opt->fixed_caps || msg->port != VDP_PORT_CLIENT ||
	    vdp_parse_capabilities(msg->data, msg->size, &c) < 0)
		return;
	w->announced = c.caps;
	w->have_announced = true;
	if (w->opt->have_peer_caps) {
		vdp_caps_format(negotiated(w, &tmp), names, sizeof(names));
		fprintf(w->out, " negotiated=%s", names[0] ? names : "none");
	}
}

static int on_message(void *user, const struct vdp_message *msg)
{
	struct walker *w = user;
	struct port_track *pt = &w->port[msg->port - 1];
	uint64_t off = pt->msg_off;
	const char *type = vdp_message_type_name(msg->type);
	const char *why = NULL;
	struct vdp_caps tmp;
	int r;

	/* where the next message of this port starts */
	pt->msg_end += MSG_HDR_SIZE + (uint64_t)msg->size;
	if (pt->msg_end < w->chunk_pos + w->chunk_len) {
		pt->msg_off = w->chunk_data_off + (pt->msg_end - w->chunk_pos);
		pt->msg_pending = false;
	} else {
		pt->msg_pending = true;
	}

	fprintf(w->out, "%08" PRIx64 " %s ", off, port_name(msg->port));
	if (streq(type, "UNKNOWN"))
		fprintf(w->out, "UNKNOWN(%" PRIu32 ")", msg->type);
	else
		fputs(type, w->out);
	fprintf(w->out, " size=%" PRIu32, msg->size);
	if (msg->opaque)
		fprintf(w->out, " opaque=0x%" PRIx64, msg->opaque);

	r = dump_message_fields(w->out, msg, negotiated(w, &tmp), &why);
	if (r == -EOPNOTSUPP) {
		fputs(" (unknown type, not decoded)", w->out);
	} else if (r == -ENOMEM) {
		return -1;
	} else if (r < 0) {
		fprintf(w->out, " VIOLATION: %s", why);
		w->violations++;
	} else if (msg->type == VDP_MSG_ANNOUNCE_CAPABILITIES) {
		track_caps(w, msg);
	}
	fputc('\n', w->out);
	return 0;
}

/* The decoder refused the stream: say where and why. */
static void decode_error(struct walker *w, int status, uint64_t hdr_off,
			 uint32_t port, uint32_t size)
{
	switch (status) {
	case VDP_DECODE_ERR_CHUNK_SIZE:
	case VDP_DECODE_ERR_PORT:
		fprintf(w->out,
			"%08" PRIx64 " VIOLATION: %s (chunk port=%" PRIu32
			" size=%" PRIu32 ")\n",
			hdr_off, vdp_decode_strerror(status), port, size);
		break;
	case VDP_DECODE_ERR_PROTOCOL:
	case VDP_DECODE_ERR_MESSAGE_SIZE:
		fprintf(w->out, "%08" PRIx64 " %s VIOLATION: %s",
			w->port[port - 1].msg_off, port_name(port),
			vdp_decode_strerror(status));
		if (status == VDP_DECODE_ERR_MESSAGE_SIZE)
			fprintf(w->out, " (--max-message=%" PRIu32 ")",
				w->opt->max_message);
		fputc('\n', w->out);
		break;
	default:
		fprintf(w->out, "%08" PRIx64 " VIOLATION: %s\n", hdr_off,
			vdp_decode_strerror(status));
		break;
	}
	w->violations++;
}

/* fread that tells a short read at EOF from an I/O error. */
static int read_full(FILE *in, void *buf, size_t len, size_t *got)
{
	*got = fread(buf, 1, len, in);
	if (*got < len && ferror(in))
		return -EIO;
	return 0;
}

/* The stream ended: complain about anything left half-received. */
static void check_end(struct walker *w)
{
	for (uint32_t port = VDP_PORT_CLIENT; port <= VDP_PORT_SERVER; port++) {
		const struct port_track *pt = &w->port[port - 1];

		if (pt->fed <= pt->msg_end)
			continue;
		fprintf(w->out,
			"%08" PRIx64 " %s VIOLATION: stream ends inside a "
			"message (%" PRIu64 " bytes of it)\n",
			pt->msg_off, port_name(port), pt->fed - pt->msg_end);
		w->violations++;
	}
}

static int walk(struct walker *w, FILE *in)
{
	uint8_t hdr[CHUNK_HDR_SIZE];
	uint8_t body[VDP_CHUNK_MAX_DATA];
	uint64_t off = 0;
	size_t got;
	int r;

	for (;;) {
		uint32_t port, size;
		struct port_track *pt;

		r = read_full(in, hdr, sizeof(hdr), &got);
		if (r < 0)
			return r;
		if (got == 0)
			break;
		if (got < sizeof(hdr)) {
			fprintf(w->out,
				"%08" PRIx64 " VIOLATION: stream ends inside a "
				"chunk header (%zu of %zu bytes)\n",
				off, got, sizeof(hdr));
			w->violations++;
			return 0;
		}
		port = vdp_get_le32(hdr);
		size = vdp_get_le32(hdr + 4);
		r = vdp_decoder_feed(w->dec, hdr, sizeof(hdr), on_message, w);
		if (r < 0) {
			decode_error(w, r, off, port, size);
			return 0;
		}

		/* the decoder accepted it: a known port, at most 2048 bytes */
		pt = &w->port[port - 1];
		r = read_full(in, body, size, &got);
		if (r < 0)
			return r;
		w->chunk_port = port;
		w->chunk_data_off = off + sizeof(hdr);
		w->chunk_pos = pt->fed;
		w->chunk_len = (uint32_t)got;
		if (pt->msg_pending && got > 0) {
			pt->msg_off = w->chunk_data_off;
			pt->msg_pending = false;
		}
		pt->fed += got;
		r = vdp_decoder_feed(w->dec, body, got, on_message, w);
		if (r == VDP_DECODE_ERR_STOPPED)
			return -ENOMEM;
		if (r < 0) {
			decode_error(w, r, off, port, size);
			return 0;
		}
		if (got < size) {
			fprintf(w->out,
				"%08" PRIx64 " VIOLATION: stream ends inside a "
				"chunk (%zu of %" PRIu32 " bytes)\n",
				off, got, size);
			w->violations++;
			return 0;
		}
		off += sizeof(hdr) + size;
	}
	check_end(w);
	return 0;
}

int dump_stream(const struct dump_options *opt, FILE *in, FILE *out)
{
	struct walker w = {
		.opt = opt,
		.out = out,
		.port = { { .msg_pending = true }, { .msg_pending = true } },
	};
	int r;

	w.dec = vdp_decoder_new(opt->max_message);
	if (!w.dec)
		return -ENOMEM;
	r = walk(&w, in);
	vdp_decoder_free(w.dec);
	if (r < 0)
		return r;
	return w.violations ? DUMP_MALFORMED : DUMP_CLEAN;
}

struct find_caps {
	struct vdp_caps caps;
	bool found;
};

static int on_message_find_caps(void *user, const struct vdp_message *msg)
{
	struct find_caps *fc = user;
	struct vdp_capabilities c;

	if (msg->port != VDP_PORT_CLIENT ||
	    msg->type != VDP_MSG_ANNOUNCE_CAPABILITIES ||
	    vdp_parse_capabilities(msg->data, msg->size, &c) < 0)
		return 0;
	fc->caps = c.caps;
	fc->found = true;
	return 1; /* stop: the first one is enough */
}

int dump_find_caps(FILE *in, uint32_t max_message, struct vdp_caps *caps)
{
	struct find_caps fc = { .found = false };
	struct vdp_decoder *dec = vdp_decoder_new(max_message);
	uint8_t buf[4096];
	int r = 0;

	if (!dec)
		return -ENOMEM;
	while (!fc.found) {
		size_t got = fread(buf, 1, sizeof(buf), in);

		if (got == 0) {
			r = ferror(in) ? -EIO : -ENOENT;
			break;
		}
		r = vdp_decoder_feed(dec, buf, got, on_message_find_caps, &fc);
		if (r == VDP_DECODE_ERR_STOPPED && fc.found)
			r = 0;
		else if (r < 0) {
			r = -EBADMSG;
			break;
		}
	}
	vdp_decoder_free(dec);
	if (fc.found)
		*caps = fc.caps;
	return fc.found ? 0 : r;
}
