/* SPDX-License-Identifier: MIT */
/* The IPC type table and the encoder (framing only; see vdp-ipc.h). */
#include <errno.h>

#include "vdp-ipc.h"
#include "vdp-util.h"

#define FROM_AGENT (1u << VDP_IPC_FROM_AGENT)
#define FROM_DAEMON (1u << VDP_IPC_FROM_DAEMON)
#define FROM_BOTH (FROM_AGENT | FROM_DAEMON)

struct ipc_type_info {
	const char *name;
	uint32_t max_payload;
	unsigned senders; /* bit per enum vdp_ipc_sender */
};

static const struct ipc_type_info ipc_types[VDP_IPC_TYPE_END] = {
	[VDP_IPC_HELLO] = { "HELLO",
			    VDP_IPC_HELLO_HEAD_SIZE + VDP_IPC_HELLO_TEXT_MAX,
			    FROM_BOTH },
	[VDP_IPC_SCREEN_LAYOUT] = { "SCREEN_LAYOUT", VDP_IPC_SCREEN_LAYOUT_MAX,
				    FROM_AGENT },
	[VDP_IPC_MONITORS_CONFIG] = { "MONITORS_CONFIG", VDP_IPC_FORWARD_MAX,
				      FROM_DAEMON },
	[VDP_IPC_GRAPHICS_DEVICE_INFO] = { "GRAPHICS_DEVICE_INFO",
					   VDP_IPC_FORWARD_MAX, FROM_DAEMON },
	[VDP_IPC_AUDIO_VOLUME_SYNC] = { "AUDIO_VOLUME_SYNC",
					VDP_IPC_VOLUME_MAX, FROM_DAEMON },
	[VDP_IPC_CLIENT_CAPS] = { "CLIENT_CAPS", VDP_IPC_CLIENT_CAPS_MAX,
				  FROM_DAEMON },
	[VDP_IPC_CLIPBOARD_GRAB] = { "CLIPBOARD_GRAB",
				     VDP_IPC_CLIPBOARD_GRAB_MAX, FROM_BOTH },
	[VDP_IPC_CLIPBOARD_REQUEST] = { "CLIPBOARD_REQUEST",
					VDP_IPC_CLIPBOARD_REQUEST_SIZE,
					FROM_BOTH },
	[VDP_IPC_CLIPBOARD_DATA] = { "CLIPBOARD_DATA",
				     VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE +
					     VDP_IPC_CLIPBOARD_DATA_MAX,
				     FROM_BOTH },
	[VDP_IPC_CLIPBOARD_RELEASE] = { "CLIPBOARD_RELEASE",
					VDP_IPC_CLIPBOARD_RELEASE_SIZE,
					FROM_BOTH },
	[VDP_IPC_FILE_XFER_START] = { "FILE_XFER_START",
				      VDP_IPC_XFER_START_HEAD_SIZE +
					      VDP_IPC_XFER_START_TEXT_MAX,
				      FROM_DAEMON },
	[VDP_IPC_FILE_XFER_DATA] = { "FILE_XFER_DATA",
				     VDP_IPC_XFER_DATA_HEAD_SIZE +
					     VDP_IPC_XFER_DATA_MAX,
				     FROM_DAEMON },
	[VDP_IPC_FILE_XFER_STATUS] = { "FILE_XFER_STATUS",
				       VDP_IPC_XFER_STATUS_MAX, FROM_BOTH },
	[VDP_IPC_CLIENT_DISCONNECTED] = { "CLIENT_DISCONNECTED", 0,
					  FROM_DAEMON },
	[VDP_IPC_MONITORS_RESULT] = { "MONITORS_RESULT",
				      VDP_IPC_MONITORS_RESULT_SIZE,
				      FROM_AGENT },
};

bool vdp_ipc_type_known(uint32_t type)
{
	return type < VDP_IPC_TYPE_END && ipc_types[type].name != NULL;
}

const char *vdp_ipc_type_name(uint32_t type)
{
	return vdp_ipc_type_known(type) ? ipc_types[type].name : "UNKNOWN";
}

bool vdp_ipc_type_allowed(uint32_t type, enum vdp_ipc_sender from)
{
	if (!vdp_ipc_type_known(type))
		return false;
	if (from != VDP_IPC_FROM_AGENT && from != VDP_IPC_FROM_DAEMON)
		return false;
	return (ipc_types[type].senders & (1u << from)) != 0;
}

uint32_t vdp_ipc_max_payload(uint32_t type)
{
	return vdp_ipc_type_known(type) ? ipc_types[type].max_payload : 0;
}

int vdp_ipc_encode(uint8_t hdr[VDP_IPC_HEADER_SIZE], uint32_t type,
		   const struct vdp_iov *pieces, int npieces,
		   struct vdp_iov out[VDP_IPC_MAX_IOV])
{
	uint64_t total = 0;
	int n = 0;

	if (!vdp_ipc_type_known(type))
		return -EINVAL;
	if (npieces < 0 || npieces > VDP_IPC_MAX_PIECES ||
	    (npieces > 0 && !pieces))
		return -EINVAL;
	for (int i = 0; i < npieces; i++) {
		if (pieces[i].len > 0 && !pieces[i].base)
			return -EINVAL;
		total += pieces[i].len;
		if (total > vdp_ipc_max_payload(type))
			return -EINVAL;
	}

	vdp_put_le32(hdr, type);
	vdp_put_le32(hdr + 4, (uint32_t)total);
	out[n++] = (struct vdp_iov){ hdr, VDP_IPC_HEADER_SIZE };
	for (int i = 0; i < npieces; i++) {
		if (pieces[i].len > 0)
			out[n++] = pieces[i];
	}
	return n;
}

size_t vdp_ipc_iov_len(const struct vdp_iov *iov, int n)
{
	size_t total = 0;

	for (int i = 0; i < n; i++)
		total += iov[i].len;
	return total;
}

int vdp_ipc_encode_append(uint8_t **buf, size_t *len, uint32_t type,
			  const struct vdp_iov *pieces, int npieces)
{
	uint8_t hdr[VDP_IPC_HEADER_SIZE];
	struct vdp_iov iov[VDP_IPC_MAX_IOV];
	size_t add, pos;
	uint8_t *nbuf;
	int n;

	n = vdp_ipc_encode(hdr, type, pieces, npieces, iov);
	if (n < 0)
		return n;
	add = vdp_ipc_iov_len(iov, n);
	if (*len > SIZE_MAX - add)
		return -ENOMEM;
	nbuf = realloc(*buf, *len + add);
	if (!nbuf)
		return -ENOMEM;
	pos = *len;
	for (int i = 0; i < n; i++) {
		memcpy(nbuf + pos, iov[i].base, iov[i].len);
		pos += iov[i].len;
	}
	*buf = nbuf;
	*len = pos;
	return 0;
}
