/* SPDX-License-Identifier: MIT */
/*
 * The session agents' socket: accepts connections, learns each peer's pid
 * and uid from the kernel (SO_PEERCRED), frames messages with vdp-ipc.h and
 * queues output.  Limits against hostile local users: a cap on connections
 * (in total and per uid; at a cap the oldest connection that has not
 * finished its handshake makes room, so idle connections cannot lock the
 * real agent out), a handshake deadline, the per-type payload
 * maximum of the IPC decoder, and a cap on each connection's queued output.
 * A connection that breaks a limit is closed with one log line.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vdp-ipc.h"

#define IPC_MAX_CONNECTIONS 128u
#define IPC_MAX_CONNECTIONS_PER_UID 16u /* not for uid 0 */
#define IPC_HELLO_TIMEOUT_S 10u
#define IPC_QUEUE_HIGH (4u * 1024 * 1024)
#define IPC_QUEUE_LOW (1u * 1024 * 1024)
/* Queued output allowed for a connection that is not the active agent. */
#define IPC_QUEUE_CAP_SMALL (1u * 1024 * 1024)
/* For the active agent: flow control keeps it near IPC_QUEUE_HIGH; one
 * maximal message on top is allowed. */
#define IPC_QUEUE_CAP_ACTIVE \
	(2 * IPC_QUEUE_HIGH + VDP_IPC_CLIPBOARD_DATA_MAX + 64u * 1024)

struct ipc_server;
struct ipc_conn;

struct ipc_server_callbacks {
	/* A new connection, credentials known.  Return false to refuse it
	 * (it is closed; the callee has logged why). */
	bool (*connected)(void *user, struct ipc_conn *c);
	void (*message)(void *user, struct ipc_conn *c,
			const struct vdp_ipc_message *msg);
	/* The connection is going away (c still valid during the call). */
	void (*disconnected)(void *user, struct ipc_conn *c);
	/* Output fell below IPC_QUEUE_LOW after having been above it. */
	void (*drained)(void *user, struct ipc_conn *c);
};

/* listen_fd >= 0: a socket passed by systemd; else bind path.  Returns NULL
 * with errno set on failure (logged). */
struct ipc_server *ipc_server_new(const char *path, int listen_fd,
				  const struct ipc_server_callbacks *cb,
				  void *user);
void ipc_server_free(struct ipc_server *s);
unsigned ipc_server_count(const struct ipc_server *s);

/* Pieces of at most this many bytes are always copied. */
#define IPC_COPY_MAX 32u

/* Queue a framed message; pieces longer than IPC_COPY_MAX lie inside owner
 * (referenced), everything is copied when owner is NULL.  Over the
 * connection's cap the connection is closed (soon, not inside this call)
 * and -ENOBUFS returned. */
int ipc_conn_send(struct ipc_conn *c, uint32_t type,
		  const struct vdp_iov *pieces, int npieces, GBytes *owner);
/* Close with one log line (reason may be NULL: quiet).  Safe anywhere;
 * the disconnected callback runs from the main loop. */
void ipc_conn_close(struct ipc_conn *c, const char *reason);
bool ipc_conn_closing(const struct ipc_conn *c);

pid_t ipc_conn_pid(const struct ipc_conn *c);
uid_t ipc_conn_uid(const struct ipc_conn *c);
/* The handshake is done: stop the deadline. */
void ipc_conn_set_ready(struct ipc_conn *c);
void ipc_conn_set_user(struct ipc_conn *c, void *data);
void *ipc_conn_get_user(const struct ipc_conn *c);
void ipc_conn_set_queue_cap(struct ipc_conn *c, size_t cap);
size_t ipc_conn_queued(const struct ipc_conn *c);
void ipc_conn_pause_reading(struct ipc_conn *c, bool paused);
/* From inside the message callback: take ownership of msg->data. */
uint8_t *ipc_conn_steal_data(struct ipc_conn *c);
int ipc_conn_set_limit(struct ipc_conn *c, uint32_t type, uint32_t max);
/* A short name for logs: "agent pid 1234 uid 1000". */
const char *ipc_conn_name(const struct ipc_conn *c);
