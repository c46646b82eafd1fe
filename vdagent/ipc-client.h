/* SPDX-License-Identifier: MIT */
/*
 * The agent's end of the daemon IPC: connect to the daemon's unix socket,
 * say HELLO, decode what the daemon sends, queue what we send, and
 * reconnect when the daemon goes away and comes back.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "vdp-ipc.h"

struct ipc_client;

struct ipc_client_ops {
	/* HELLO sent; the daemon may now be told anything. */
	void (*connected)(void *user);
	/* One message from the daemon (type allowed, size within limits;
	 * the payload still has to be parsed).  The payload may be taken
	 * with ipc_client_steal_data() during the call. */
	void (*message)(void *user, const struct vdp_ipc_message *msg);
	/* The connection is gone; a reconnect is scheduled. */
	void (*disconnected)(void *user);
};

/* Starts connecting at once (and keeps retrying) from the GLib main
 * context.  hello_flags: VDP_IPC_HELLO_* bits. */
struct ipc_client *ipc_client_new(const char *socket_path,
				  uint32_t hello_flags,
				  const struct ipc_client_ops *ops, void *user);
void ipc_client_free(struct ipc_client *c);

bool ipc_client_is_connected(const struct ipc_client *c);

/* Queue one message (the pieces are copied).  Returns 0, -ENOTCONN when
 * not connected (the message is dropped), -EINVAL for a message the IPC
 * refuses, -ENOMEM. */
int ipc_client_send(struct ipc_client *c, uint32_t type,
		    const struct vdp_iov *pieces, int npieces);

/* During ops->message only: own the payload (free() it). */
uint8_t *ipc_client_steal_data(struct ipc_client *c);
