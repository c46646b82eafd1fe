/* SPDX-License-Identifier: MIT */
/*
 * The agent port: where the SPICE server's chunk stream comes in and goes
 * out.  The port attaches only while the owner wants it (a session agent
 * has reported its layout); on EOF, an I/O error or a protocol violation it
 * logs once, detaches and re-attaches with backoff.  Writes are queued and
 * never block reading.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-decoder.h"
#include "vdp-encoder.h"

struct record;

/* How a port path is opened: the "dispatch interface" of port backends. */
struct port_backend {
	const char *name;
	/* Returns a non-blocking, close-on-exec fd, or a negative errno. */
	int (*open)(const char *path);
	/* Whether a missing path is worth waiting for on udev rather than
	 * retrying on a timer. */
	bool udev_hotplug;
	/* The peer's writes stall on a full buffer until it hears from us
	 * (Xspice): see port_nudge_writer(). */
	bool nudge_writer;
};

extern const struct port_backend port_backend_chardev;
extern const struct port_backend port_backend_socket;

/* The backend for a path: a unix socket when the path is one (or does not
 * exist outside /dev), else the character device. */
const struct port_backend *port_backend_for_path(const char *path);

struct port_callbacks {
	/* A complete message; msg->data valid during the call only, unless
	 * taken with port_steal_data(). */
	void (*message)(void *user, const struct vdp_message *msg);
	void (*attached)(void *user);
	void (*detached)(void *user);
	/* The write queue fell below the low watermark. */
	void (*drained)(void *user);
};

/* Limits. */
#define PORT_MAX_MESSAGE (256u * 1024 * 1024)
#define PORT_QUEUE_HIGH (4u * 1024 * 1024)
#define PORT_QUEUE_LOW (1u * 1024 * 1024)

struct port;

struct port *port_new(const char *path, const struct port_callbacks *cb,
		      void *user, struct record *rec);
void port_free(struct port *p);

/* Attach when wanted (now or as soon as possible), detach when not. */
void port_set_wanted(struct port *p, bool wanted);
bool port_attached(const struct port *p);

/* Pieces of at most this many bytes are always copied. */
#define PORT_COPY_MAX 32u

/* Queue one message to the client port.  payload pieces longer than
 * PORT_COPY_MAX must lie inside owner (referenced until written); with
 * owner NULL everything is copied.
 * Returns 0, -ENOTCONN when detached, -ENOBUFS over the hard queue cap. */
int port_send(struct port *p, uint32_t type, const struct vdp_iov *pieces,
	      int npieces, GBytes *owner);
size_t port_queued(const struct port *p);

/* Stop or resume reading the port (flow control towards slow agents). */
void port_pause_reading(struct port *p, bool paused);

/* From inside the message callback: take ownership of msg->data. */
uint8_t *port_steal_data(struct port *p);

/* Hotplug news from udev about the port's device node. */
void port_device_added(struct port *p);
void port_device_removed(struct port *p);
/* Whether the port waits for a udev event before the next attempt. */
bool port_waiting_for_device(const struct port *p);
void port_set_udev(struct port *p, bool have_udev);

const char *port_path(const struct port *p);
