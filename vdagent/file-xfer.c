/* SPDX-License-Identifier: MIT */
/*
 * Each transfer is a small state machine:
 *
 *   (START) -> RECEIVING -> (all bytes) -> renamed, SUCCESS, gone
 *                  |-> (write error / too many bytes) -> ERROR, removed
 *                  |-> (cancel from daemon / disconnect) -> removed
 *
 * START is refused up front (no state kept) for a bad key file, an
 * unusable directory or too little free space.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "file-xfer.h"
#include "vdp-filename.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "vdp-wire.h"

/* At most this many files in flight, as a bound on fds and state. */
#define MAX_TRANSFERS 64
#define MAX_NUMBERED 9999

struct transfer {
	uint32_t id;
	int fd;
	char *tmp_path;
	char name[VDP_FILENAME_MAX + 1];
	uint64_t size;
	uint64_t received;
};

struct file_xfer {
	char *dir;
	const struct file_xfer_ops *ops;
	void *user;
	GHashTable *transfers; /* id -> struct transfer */
};

static void send_status(struct file_xfer *x, uint32_t id, uint32_t result)
{
	x->ops->status(x->user, id, result, NULL, 0);
}

static void send_error(struct file_xfer *x, uint32_t id, int err)
{
	uint8_t detail[sizeof(struct vdp_xfer_error_wire)];

	detail[0] = VDP_XFER_ERROR_GLIB_IO;
	vdp_put_le32(detail + 1, (uint32_t)g_io_error_from_errno(err));
	x->ops->status(x->user, id, VDP_XFER_STATUS_ERROR, detail,
		       sizeof(detail));
}

static void transfer_free(gpointer p)
{
	struct transfer *t = p;

	if (t->fd >= 0)
		close(t->fd);
	if (t->tmp_path) {
		if (unlink(t->tmp_path) < 0 && errno != ENOENT)
			g_message("cannot remove %s: %s", t->tmp_path,
				  g_strerror(errno));
		g_free(t->tmp_path);
	}
	g_free(t);
}

struct file_xfer *file_xfer_new(const char *dir,
				const struct file_xfer_ops *ops, void *user)
{
	struct file_xfer *x = g_new0(struct file_xfer, 1);

	x->dir = g_strdup(dir);
	x->ops = ops;
	x->user = user;
	x->transfers = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					     NULL, transfer_free);
	return x;
}

void file_xfer_free(struct file_xfer *x)
{
	if (!x)
		return;
	g_hash_table_destroy(x->transfers);
	g_free(x->dir);
	g_free(x);
}

unsigned file_xfer_active(const struct file_xfer *x)
{
	return g_hash_table_size(x->transfers);
}

void file_xfer_start(struct file_xfer *x, uint32_t id, const char *keyfile,
		     size_t len)
{
	char name[VDP_XFER_NAME_MAX];
	uint64_t size;
	int r;

	if (g_hash_table_contains(x->transfers, GUINT_TO_POINTER(id))) {
		g_message("file transfer %u started twice: refused", id);
		send_error(x, id, EEXIST);
		return;
	}
	if (g_hash_table_size(x->transfers) >= MAX_TRANSFERS) {
		g_message("file transfer %u: too many transfers at once", id);
		send_error(x, id, EBUSY);
		return;
	}
	r = vdp_xfer_keyfile_parse(keyfile, len, name, sizeof(name), &size);
	if (r < 0) {
		g_message("file transfer %u: bad description: %s", id,
			  g_strerror(-r));
		send_error(x, id, EINVAL);
		return;
	}

	struct transfer *t = g_new0(struct transfer, 1);
	t->id = id;
	t->fd = -1;
	t->size = size;
	if (vdp_filename_make_safe(name, VDP_FILENAME_POSIX, t->name,
				   sizeof(t->name)) < 0) {
		transfer_free(t);
		send_error(x, id, EINVAL);
		return;
	}

	if (g_mkdir_with_parents(x->dir, 0755) < 0) {
		int e = errno;
		g_message("file transfer %u: cannot create %s: %s", id, x->dir,
			  g_strerror(e));
		transfer_free(t);
		send_error(x, id, e);
		return;
	}

	struct statvfs vfs;
	if (statvfs(x->dir, &vfs) == 0) {
		uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
		if (avail < size) {
			uint8_t detail[sizeof(struct vdp_xfer_no_space_wire)];
			g_message("file transfer %u: %s needs %" PRIu64
				  " bytes, %s has %" PRIu64 " free",
				  id, t->name, size, x->dir, avail);
			vdp_put_le64(detail, avail);
			transfer_free(t);
			x->ops->status(x->user, id,
				       VDP_XFER_STATUS_NOT_ENOUGH_SPACE, detail,
				       sizeof(detail));
			return;
		}
	}

	t->tmp_path = g_strdup_printf("%s/.vdagent-xfer-%u-XXXXXX", x->dir, id);
	t->fd = g_mkstemp_full(t->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
	if (t->fd < 0) {
		int e = errno;
		g_message("file transfer %u: cannot create a file in %s: %s",
			  id, x->dir, g_strerror(e));
		g_free(t->tmp_path);
		t->tmp_path = NULL;
		transfer_free(t);
		send_error(x, id, e);
		return;
	}
	g_debug("file transfer %u: %s, %" PRIu64 " bytes, into %s", id,
		t->name, size, t->tmp_path);
	g_hash_table_insert(x->transfers, GUINT_TO_POINTER(id), t);
	send_status(x, id, VDP_XFER_STATUS_CAN_SEND_DATA);
	if (size == 0)
		file_xfer_data(x, id, NULL, 0);
}

/* Move the finished temp file to a free name; returns the final path. */
static char *rename_unique(struct file_xfer *x, struct transfer *t, int *err)
{
	char alt[VDP_FILENAME_MAX + 1];

	for (unsigned n = 0; n <= MAX_NUMBERED; n++) {
		const char *name = t->name;
		if (n > 0) {
			if (vdp_filename_numbered(t->name, n, alt, sizeof(alt)) < 0)
				break;
			name = alt;
		}
		char *path = g_build_filename(x->dir, name, NULL);
		if (renameat2(AT_FDCWD, t->tmp_path, AT_FDCWD, path,
			      RENAME_NOREPLACE) == 0)
			return path;
		int e = errno;
		if (e == EINVAL || e == ENOSYS) {
			/* no RENAME_NOREPLACE here: a hard link never
			 * replaces either */
			if (link(t->tmp_path, path) == 0) {
				unlink(t->tmp_path);
				return path;
			}
			e = errno;
		}
		g_free(path);
		if (e != EEXIST) {
			*err = e;
			return NULL;
		}
	}
	*err = EEXIST;
	return NULL;
}

static void finish(struct file_xfer *x, struct transfer *t)
{
	int err = 0;
	uint32_t id = t->id;

	if (close(t->fd) < 0) {
		err = errno;
		t->fd = -1;
		goto fail;
	}
	t->fd = -1;
	char *path = rename_unique(x, t, &err);
	if (!path)
		goto fail;
	g_free(t->tmp_path);
	t->tmp_path = NULL;
	g_message("file transfer %u: saved %s", id, path);
	g_hash_table_remove(x->transfers, GUINT_TO_POINTER(id));
	send_status(x, id, VDP_XFER_STATUS_SUCCESS);
	if (x->ops->done)
		x->ops->done(x->user, path);
	g_free(path);
	return;
fail:
	g_message("file transfer %u: cannot save %s: %s", id, t->name,
		  g_strerror(err));
	g_hash_table_remove(x->transfers, GUINT_TO_POINTER(id));
	send_error(x, id, err);
}

void file_xfer_data(struct file_xfer *x, uint32_t id, const uint8_t *data,
		    size_t len)
{
	struct transfer *t = g_hash_table_lookup(x->transfers,
						 GUINT_TO_POINTER(id));
	if (!t) {
		g_debug("file transfer %u: data for no transfer dropped", id);
		return;
	}
	if (len > t->size - t->received) {
		g_message("file transfer %u: more data than announced", id);
		g_hash_table_remove(x->transfers, GUINT_TO_POINTER(id));
		send_error(x, id, EFBIG);
		return;
	}
	while (len > 0) {
		ssize_t n = write(t->fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			g_message("file transfer %u: write failed: %s", id,
				  g_strerror(e));
			g_hash_table_remove(x->transfers, GUINT_TO_POINTER(id));
			send_error(x, id, e);
			return;
		}
		data += n;
		len -= (size_t)n;
		t->received += (uint64_t)n;
	}
	if (t->received == t->size)
		finish(x, t);
}

void file_xfer_status(struct file_xfer *x, uint32_t id, uint32_t result)
{
	if (result == VDP_XFER_STATUS_CAN_SEND_DATA)
		return;
	if (g_hash_table_remove(x->transfers, GUINT_TO_POINTER(id)))
		g_message("file transfer %u: cancelled (%s)", id,
			  vdp_xfer_status_name(result));
}

void file_xfer_cancel_all(struct file_xfer *x)
{
	unsigned n = g_hash_table_size(x->transfers);

	if (n)
		g_message("%u file transfers cancelled", n);
	g_hash_table_remove_all(x->transfers);
}
