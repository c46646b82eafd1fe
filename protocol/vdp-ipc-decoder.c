/* SPDX-License-Identifier: MIT */
/* IPC stream decoder: socket bytes in, whole IPC messages out. */
#include <errno.h>

#include "vdp-ipc.h"
#include "vdp-util.h"

/* First allocation for a payload; later ones double, capped by the
 * declared size, so memory is at most twice what has arrived. */
#define IPC_MIN_ALLOC 4096u
/* A buffer larger than this is not kept for the next message. */
#define IPC_KEEP_ALLOC (64u * 1024)

struct vdp_ipc_decoder {
	enum vdp_ipc_sender from;
	uint32_t limits[VDP_IPC_TYPE_END];
	bool broken;
	bool in_callback;

	uint8_t hdr[VDP_IPC_HEADER_SIZE];
	size_t hdr_len; /* header bytes received */
	uint32_t type;
	uint32_t size;

	uint8_t *buf;   /* payload received so far */
	size_t cap;     /* bytes allocated at buf */
	size_t got;     /* payload bytes received */
	const uint8_t *direct; /* payload delivered from the input slice */
	bool stolen;
};

static void ipc_decoder_clear(struct vdp_ipc_decoder *d)
{
	free(d->buf);
	d->buf = NULL;
	d->cap = 0;
	d->got = 0;
	d->hdr_len = 0;
	d->type = 0;
	d->size = 0;
	d->direct = NULL;
	d->stolen = false;
	d->broken = false;
	d->in_callback = false;
}

struct vdp_ipc_decoder *vdp_ipc_decoder_new(enum vdp_ipc_sender from)
{
	struct vdp_ipc_decoder *d;

	if (from != VDP_IPC_FROM_AGENT && from != VDP_IPC_FROM_DAEMON)
		return NULL;
	d = zalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->from = from;
	for (uint32_t t = 0; t < VDP_IPC_TYPE_END; t++)
		d->limits[t] = vdp_ipc_max_payload(t);
	return d;
}

void vdp_ipc_decoder_free(struct vdp_ipc_decoder *d)
{
	if (!d)
		return;
	free(d->buf);
	free(d);
}

void vdp_ipc_decoder_reset(struct vdp_ipc_decoder *d)
{
	ipc_decoder_clear(d);
}

int vdp_ipc_decoder_set_limit(struct vdp_ipc_decoder *d, uint32_t type,
			      uint32_t max)
{
	if (!vdp_ipc_type_known(type) || max > vdp_ipc_max_payload(type))
		return -EINVAL;
	d->limits[type] = max;
	return 0;
}

static int ipc_fail(struct vdp_ipc_decoder *d, int status)
{
	d->broken = true;
	return status;
}

/* Make room for `more` payload bytes after d->got (never past d->size). */
static int ipc_reserve(struct vdp_ipc_decoder *d, size_t more)
{
	size_t need = d->got + more;
	size_t ncap;
	uint8_t *nbuf;

	if (need <= d->cap)
		return 0;
	ncap = d->cap < IPC_MIN_ALLOC ? IPC_MIN_ALLOC : d->cap;
	while (ncap < need)
		ncap *= 2;
	if (ncap > d->size)
		ncap = d->size;
	nbuf = realloc(d->buf, ncap);
	if (!nbuf)
		return -ENOMEM;
	d->buf = nbuf;
	d->cap = ncap;
	return 0;
}

static int ipc_deliver(struct vdp_ipc_decoder *d, const uint8_t *data,
		       vdp_ipc_message_cb cb, void *user)
{
	static const uint8_t empty[1];
	struct vdp_ipc_message msg = {
		.type = d->type,
		.size = d->size,
		.data = data ? data : empty,
	};
	int r;

	d->stolen = false;
	d->in_callback = true;
	r = cb(user, &msg);
	d->in_callback = false;
	d->direct = NULL;
	if (d->cap > IPC_KEEP_ALLOC) {
		free(d->buf);
		d->buf = NULL;
		d->cap = 0;
	}
	d->stolen = false;
	d->hdr_len = 0;
	d->got = 0;
	return r;
}

/* The header is complete: refuse what the peer may not send. */
static int ipc_check_header(struct vdp_ipc_decoder *d)
{
	d->type = vdp_get_le32(d->hdr);
	d->size = vdp_get_le32(d->hdr + 4);
	d->got = 0;
	if (!vdp_ipc_type_allowed(d->type, d->from))
		return VDP_IPC_ERR_TYPE;
	if (d->size > d->limits[d->type])
		return VDP_IPC_ERR_SIZE;
	return VDP_IPC_OK;
}

int vdp_ipc_decoder_feed(struct vdp_ipc_decoder *d, const void *buf,
			 size_t len, vdp_ipc_message_cb cb, void *user)
{
	const uint8_t *p = buf;

	if (d->broken || d->in_callback)
		return VDP_IPC_ERR_BROKEN;

	for (;;) {
		const uint8_t *payload = NULL;
		size_t n;
		int r;

		if (d->hdr_len < VDP_IPC_HEADER_SIZE) {
			if (len == 0)
				break;
			n = VDP_IPC_HEADER_SIZE - d->hdr_len;
			if (n > len)
				n = len;
			memcpy(d->hdr + d->hdr_len, p, n);
			d->hdr_len += n;
			p += n;
			len -= n;
			if (d->hdr_len < VDP_IPC_HEADER_SIZE)
				break;
			r = ipc_check_header(d);
			if (r < 0)
				return ipc_fail(d, r);
		}

		if (d->got == 0 && len >= d->size) {
			/* the whole payload is in this slice: no copy */
			payload = p;
			d->direct = p;
			p += d->size;
			len -= d->size;
		} else {
			if (len == 0)
				break;
			n = d->size - d->got;
			if (n > len)
				n = len;
			if (ipc_reserve(d, n) < 0)
				return ipc_fail(d, VDP_IPC_ERR_NOMEM);
			memcpy(d->buf + d->got, p, n);
			d->got += n;
			p += n;
			len -= n;
			if (d->got < d->size)
				break;
			payload = d->buf;
		}

		if (d->size == 0)
			payload = NULL;
		if (ipc_deliver(d, payload, cb, user) != 0)
			return ipc_fail(d, VDP_IPC_ERR_STOPPED);
	}
	return VDP_IPC_OK;
}

uint8_t *vdp_ipc_decoder_steal_data(struct vdp_ipc_decoder *d)
{
	uint8_t *data;

	if (!d->in_callback || d->stolen)
		return NULL;
	if (d->direct || !d->buf) {
		data = malloc(d->size ? d->size : 1);
		if (!data)
			return NULL;
		if (d->size)
			memcpy(data, d->direct, d->size);
		d->stolen = true;
		return data;
	}
	data = d->buf;
	d->buf = NULL;
	d->cap = 0;
	d->stolen = true;
	return data;
}

bool vdp_ipc_decoder_mid_message(const struct vdp_ipc_decoder *d)
{
	return d->hdr_len > 0;
}

const char *vdp_ipc_strerror(int status)
{
	switch (status) {
	case VDP_IPC_OK:
		return "success";
	case VDP_IPC_ERR_TYPE:
		return "unknown message type or not allowed from this peer";
	case VDP_IPC_ERR_SIZE:
		return "message larger than its type allows";
	case VDP_IPC_ERR_NOMEM:
		return "out of memory";
	case VDP_IPC_ERR_BROKEN:
		return "decoder broken by an earlier error";
	case VDP_IPC_ERR_STOPPED:
		return "stopped by the callback";
	}
	return "unknown status";
}
