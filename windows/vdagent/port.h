/* SPDX-License-Identifier: MIT */
/*
 * The agent port: a byte stream of chunks to and from spice-server.
 *
 * Two backends behind one small table: the virtio-serial device
 * (port-virtio.c, overlapped file I/O) and TCP (port-tcp.c, Winsock with
 * an event object, for tests).  port.c adds what both share: the bounded
 * output queue and the reopen schedule (100 ms, doubling up to 10 s).
 * Everything runs on the agent's one thread and never blocks except in
 * the backend's open (a local connect or CreateFile).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#define WA_PORT_HANDLES_MAX 2
#define WA_PORT_RETRY_MIN_MS 100u
#define WA_PORT_RETRY_MAX_MS 10000u

struct wa_port_io; /* a backend's open connection */

struct wa_port_backend {
	const char *name;
	/* Open path; 0 or a negative errno (logged by the caller). */
	int (*open)(const char *path, struct wa_port_io **out);
	void (*close)(struct wa_port_io *io);
	/* The handles that signal when read or write may progress. */
	int (*handles)(struct wa_port_io *io, HANDLE *out);
	/* > 0 bytes read, -EAGAIN for nothing now, -EPIPE when closed. */
	int (*read)(struct wa_port_io *io, uint8_t *buf, size_t size);
	/* Bytes taken (0 while busy) or -EPIPE.  Called with size 0 when
	 * nothing is queued, to finish a write in flight. */
	int (*write)(struct wa_port_io *io, const uint8_t *buf, size_t size);
};

extern const struct wa_port_backend wa_port_backend_tcp;
extern const struct wa_port_backend wa_port_backend_virtio;

struct wa_port;

/* path: "tcp:HOST:PORT" or a device path; out_max bounds the queue. */
struct wa_port *wa_port_new(const char *path, size_t out_max);
void wa_port_free(struct wa_port *p);

bool wa_port_is_open(const struct wa_port *p);
/* Open when the schedule allows (now: GetTickCount64()).  Returns 0 when
 * it opened, -EAGAIN when it is not time yet, or the backend's error
 * (the next try is then scheduled with a doubled delay). */
int wa_port_try_open(struct wa_port *p, uint64_t now);
/* Milliseconds until the next open try (0: now). */
DWORD wa_port_retry_in(const struct wa_port *p, uint64_t now);
/* A message came through: the next outage starts again from the
 * shortest delay.  (Not reset on open alone, so that a peer that accepts
 * and hangs up at once is retried with a growing delay.) */
void wa_port_healthy(struct wa_port *p);
/* Close, drop the queue, schedule the next open after the current delay. */
void wa_port_close(struct wa_port *p);

int wa_port_handles(struct wa_port *p, HANDLE *out);
int wa_port_read(struct wa_port *p, uint8_t *buf, size_t size);
/* Append bytes to the output queue (all or nothing): 0, -E2BIG over the
 * bound, -ENOMEM, -ENOTCONN when closed.  Call wa_port_flush() after. */
int wa_port_queue(struct wa_port *p, const void *buf, size_t len);
/* Bytes the queue could still take. */
size_t wa_port_queue_room(const struct wa_port *p);
/* Write what the backend takes now: 0 or -EPIPE. */
int wa_port_flush(struct wa_port *p);
