/* SPDX-License-Identifier: MIT */
/*
 * Files sent by the client: each transfer is written under a hidden
 * temporary name in the target directory and renamed to a safe, unique
 * name when complete; removed on cancel, error or disconnect.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file_xfer;

struct file_xfer_ops {
	/* Tell the daemon: enum vdp_xfer_status with its wire detail. */
	void (*status)(void *user, uint32_t id, uint32_t result,
		       const void *detail, size_t detail_len);
	/* A transfer finished as path (for logs and opening the folder). */
	void (*done)(void *user, const char *path);
};

/* dir: the target directory (created if missing). */
struct file_xfer *file_xfer_new(const char *dir,
				const struct file_xfer_ops *ops, void *user);
void file_xfer_free(struct file_xfer *x);

void file_xfer_start(struct file_xfer *x, uint32_t id, const char *keyfile,
		     size_t len);
void file_xfer_data(struct file_xfer *x, uint32_t id, const uint8_t *data,
		    size_t len);
/* A status from the daemon: anything but CAN_SEND_DATA cancels. */
void file_xfer_status(struct file_xfer *x, uint32_t id, uint32_t result);
/* The client or the daemon went away: remove every partial file. */
void file_xfer_cancel_all(struct file_xfer *x);
/* Number of transfers in progress. */
unsigned file_xfer_active(const struct file_xfer *x);
