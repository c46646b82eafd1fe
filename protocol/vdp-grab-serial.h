/* SPDX-License-Identifier: MIT */
/*
 * CLIPBOARD_GRAB_SERIAL bookkeeping of one selection, for whoever speaks
 * to the client (the Linux daemon, the Windows agent).  Both sides count
 * grabs: ours go out with the current serial, which then advances; a
 * client grab is current when it carries that serial (it advances too),
 * or the one before it (the client grabbed while our grab was on its
 * way: the client's grab wins that race).  Anything else is stale and is
 * dropped.  A new client starts again from 0.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct vdp_grab_serial {
	uint32_t next;
};

/* Back to 0, for a new client. */
void vdp_grab_serial_reset(struct vdp_grab_serial *s);
/* The serial for a grab we send; the count advances. */
uint32_t vdp_grab_serial_ours(struct vdp_grab_serial *s);
/* A client grab with serial got: true when it is to be taken. */
bool vdp_grab_serial_theirs(struct vdp_grab_serial *s, uint32_t got);
