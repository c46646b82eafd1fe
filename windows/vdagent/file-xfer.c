/* SPDX-License-Identifier: MIT */
/*
 * FILE_XFER_* from the client.  A START is refused up front, with no
 * state kept, when transfers are disabled, the session is locked, too
 * many are in flight, the id is in use, the key file is bad, the folder
 * is unusable or its disk too full.  Otherwise the transfer follows the
 * state machine of file-xfer-state.h from its temporary file to SUCCESS.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wtsapi32.h>

#include "agent.h"
#include "file-xfer-disk.h"
#include "file-xfer-state.h"
#include "file-xfer.h"
#include "log.h"
#include "vdp-build.h"
#include "vdp-filename.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* At most this many files in flight, as a bound on handles and state. */
#define WA_XFER_MAX 16

struct transfer {
	uint32_t id;
	enum wa_xfer_state state;
	struct wa_xfer_file *file;
	char name[VDP_FILENAME_MAX + 1];
	uint64_t size;
	uint64_t received;
};

struct wa_xfer {
	struct wa_agent *agent;
	char *where; /* NULL: transfers disabled */
	bool locked;
	struct transfer *slot[WA_XFER_MAX];
};

static void send_status(struct wa_xfer *x, struct vdp_xfer_status_msg s)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];

	vdp_xfer_status_for_peer(
		&s, vdp_caps_has(wa_agent_client_caps(x->agent),
				 VDP_CAP_FILE_XFER_DETAILED_ERRORS));
	int n = vdp_build_xfer_status(buf, sizeof(buf), &s);
	if (n > 0)
		wa_agent_send(x->agent, VDP_MSG_FILE_XFER_STATUS, buf,
			      (size_t)n, NULL, 0);
}

static void send_result(struct wa_xfer *x, uint32_t id, uint32_t result)
{
	send_status(x, (struct vdp_xfer_status_msg){ .id = id,
						     .result = result });
}

static void send_error(struct wa_xfer *x, uint32_t id, int err)
{
	send_status(x, (struct vdp_xfer_status_msg){
		.id = id,
		.result = VDP_XFER_STATUS_ERROR,
		.detail = VDP_XFER_DETAIL_ERROR,
		.error_type = VDP_XFER_ERROR_GLIB_IO,
		.error_code = wa_xfer_gio_error(err),
	});
}

static struct transfer **find(struct wa_xfer *x, uint32_t id)
{
	for (size_t i = 0; i < WA_XFER_MAX; i++)
		if (x->slot[i] && x->slot[i]->id == id)
			return &x->slot[i];
	return NULL;
}

static struct transfer **free_slot(struct wa_xfer *x)
{
	for (size_t i = 0; i < WA_XFER_MAX; i++)
		if (!x->slot[i])
			return &x->slot[i];
	return NULL;
}

/* Apply event e to the transfer in *slot: log, remove its file and tell
 * the client as the state machine says; DONE frees it.  err is the
 * negative errno behind WA_XFER_EV_FAILED. */
static void step(struct wa_xfer *x, struct transfer **slot,
		 enum wa_xfer_event e, int err)
{
	struct transfer *t = *slot;
	struct wa_xfer_step s = wa_xfer_transition(t->state, e);

	if (!s.valid) {
		wa_debug("file transfer %" PRIu32 ": %s ignored when %s", t->id,
			 wa_xfer_event_name(e), wa_xfer_state_name(t->state));
		return;
	}
	wa_debug("file transfer %" PRIu32 ": %s -> %s (%s)", t->id,
		 wa_xfer_state_name(t->state), wa_xfer_state_name(s.next),
		 wa_xfer_event_name(e));
	t->state = s.next;
	if (s.remove_file) {
		wa_xfer_file_discard(t->file);
		t->file = NULL;
	}
	if (s.status == VDP_XFER_STATUS_ERROR)
		send_error(x, t->id, err);
	else if (s.status >= 0)
		send_result(x, t->id, (uint32_t)s.status);
	if (s.next == WA_XFER_DONE) {
		wa_xfer_file_discard(t->file); /* NULL unless kept above */
		free(t);
		*slot = NULL;
	}
}

static void finish(struct wa_xfer *x, struct transfer **slot)
{
	struct transfer *t = *slot;
	char *path = NULL;
	int r = wa_xfer_file_commit(t->file, t->name, &path);

	if (r < 0) {
		wa_warning("file transfer %" PRIu32 ": cannot save %s: %s",
			   t->id, t->name, strerror(-r));
		step(x, slot, WA_XFER_EV_FAILED, r);
		return;
	}
	t->file = NULL; /* freed by the commit */
	wa_info("file transfer %" PRIu32 ": saved %s", t->id,
		path ? path : t->name);
	free(path);
	step(x, slot, WA_XFER_EV_SAVED, 0);
}

/* Refuse the START of id with a plain result, logged. */
static void refuse(struct wa_xfer *x, uint32_t id, uint32_t result,
		   const char *why)
{
	wa_info("file transfer %" PRIu32 " refused: %s", id, why);
	send_result(x, id, result);
}

static void refuse_error(struct wa_xfer *x, uint32_t id, int err,
			 const char *why)
{
	wa_info("file transfer %" PRIu32 " refused: %s: %s", id, why,
		strerror(-err));
	send_error(x, id, err);
}

/* The checks that need the folder; a transfer in *slot on success. */
static void open_transfer(struct wa_xfer *x, struct transfer **slot,
			  uint32_t id, const char *name, uint64_t size)
{
	wchar_t *dir = NULL;
	uint64_t avail;
	struct transfer *t;

	int r = wa_xfer_folder_open(x->where, &dir);
	if (r < 0) {
		refuse_error(x, id, r, "no usable folder");
		return;
	}
	if (wa_xfer_free_space(dir, &avail) == 0 && avail < size) {
		wa_info("file transfer %" PRIu32 " refused: %" PRIu64
			" bytes, %" PRIu64 " free",
			id, size, avail);
		send_status(x, (struct vdp_xfer_status_msg){
			.id = id,
			.result = VDP_XFER_STATUS_NOT_ENOUGH_SPACE,
			.detail = VDP_XFER_DETAIL_NO_SPACE,
			.disk_free_space = avail,
		});
		free(dir);
		return;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		free(dir);
		refuse_error(x, id, -ENOMEM, "out of memory");
		return;
	}
	t->id = id;
	t->size = size;
	t->state = WA_XFER_NEW;
	r = vdp_filename_make_safe(name, VDP_FILENAME_WINDOWS, t->name,
				   sizeof(t->name));
	if (r == 0)
		r = wa_xfer_file_create(dir, id, &t->file);
	free(dir);
	if (r < 0) {
		free(t);
		refuse_error(x, id, r, "cannot create the file");
		return;
	}
	*slot = t;
	wa_debug("file transfer %" PRIu32 ": %s, %" PRIu64 " bytes", id,
		 t->name, size);
	step(x, slot, WA_XFER_EV_OPENED, 0);
	if (size == 0)
		finish(x, slot);
}

static int handle_start(struct wa_xfer *x, const uint8_t *data, size_t size)
{
	struct vdp_xfer_start s;
	char name[VDP_XFER_NAME_MAX];
	uint64_t file_size;

	int r = vdp_parse_xfer_start(data, size, &s);
	if (r < 0) {
		/* tell the client, or it waits for ever */
		if (size >= 4)
			send_error(x, vdp_get_le32(data), -EINVAL);
		return r;
	}
	if (!x->where) {
		refuse(x, s.id, VDP_XFER_STATUS_DISABLED,
		       "file transfer is disabled");
		return 0;
	}
	if (x->locked) {
		refuse(x, s.id, VDP_XFER_STATUS_SESSION_LOCKED,
		       "the session is locked");
		return 0;
	}
	if (find(x, s.id)) {
		refuse_error(x, s.id, -EEXIST, "id already in use");
		return 0;
	}
	struct transfer **slot = free_slot(x);
	if (!slot) {
		refuse_error(x, s.id, -EMFILE, "too many transfers at once");
		return 0;
	}
	r = vdp_xfer_keyfile_parse(s.keyfile, s.keyfile_len, name,
				   sizeof(name), &file_size);
	if (r < 0) {
		refuse_error(x, s.id, -EINVAL, "bad key file");
		return 0;
	}
	open_transfer(x, slot, s.id, name, file_size);
	return 0;
}

static int handle_data(struct wa_xfer *x, const uint8_t *data, size_t size)
{
	struct vdp_xfer_data d;

	int r = vdp_parse_xfer_data(data, size, &d);
	if (r < 0)
		return r;
	struct transfer **slot = find(x, d.id);
	if (!slot) {
		wa_debug("file transfer %" PRIu32 ": data for no transfer",
			 d.id);
		return 0;
	}
	struct transfer *t = *slot;
	if (d.size > t->size - t->received) {
		wa_warning("file transfer %" PRIu32
			   ": more data than announced",
			   t->id);
		step(x, slot, WA_XFER_EV_FAILED, -EFBIG);
		return 0;
	}
	r = wa_xfer_file_write(t->file, d.data, (size_t)d.size);
	if (r < 0) {
		wa_warning("file transfer %" PRIu32 ": write failed: %s", t->id,
			   strerror(-r));
		step(x, slot, WA_XFER_EV_FAILED, r);
		return 0;
	}
	t->received += d.size;
	if (t->received == t->size)
		finish(x, slot);
	return 0;
}

static int handle_status(struct wa_xfer *x, const uint8_t *data,
			 size_t size)
{
	struct vdp_xfer_status_msg s;

	int r = vdp_parse_xfer_status(data, size, &s);
	if (r < 0)
		return r;
	struct transfer **slot = find(x, s.id);
	if (!slot || s.result == VDP_XFER_STATUS_CAN_SEND_DATA)
		return 0;
	wa_info("file transfer %" PRIu32 ": the client says %s", s.id,
		vdp_xfer_status_name(s.result));
	step(x, slot, WA_XFER_EV_CANCELLED, 0);
	return 0;
}

int wa_xfer_handle(struct wa_xfer *x, uint32_t type, const uint8_t *data,
		   size_t size)
{
	switch (type) {
	case VDP_MSG_FILE_XFER_START:
		return handle_start(x, data, size);
	case VDP_MSG_FILE_XFER_DATA:
		return handle_data(x, data, size);
	case VDP_MSG_FILE_XFER_STATUS:
		return handle_status(x, data, size);
	default:
		return -EOPNOTSUPP;
	}
}

struct wa_xfer *wa_xfer_new(struct wa_agent *a, const char *where)
{
	struct wa_xfer *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->agent = a;
	if (where) {
		x->where = strdup(where);
		if (!x->where) {
			free(x);
			return NULL;
		}
	}
	return x;
}

void wa_xfer_client_disconnected(struct wa_xfer *x)
{
	for (size_t i = 0; i < WA_XFER_MAX; i++)
		if (x->slot[i])
			step(x, &x->slot[i], WA_XFER_EV_CANCELLED, 0);
}

void wa_xfer_free(struct wa_xfer *x)
{
	if (!x)
		return;
	wa_xfer_client_disconnected(x);
	free(x->where);
	free(x);
}

bool wa_xfer_wndproc(struct wa_xfer *x, UINT msg, WPARAM wp, LPARAM lp,
		     LRESULT *result)
{
	if (msg != WM_WTSSESSION_CHANGE)
		return false;
	if (wp == WTS_SESSION_LOCK && !x->locked) {
		wa_info("session locked: file transfers refused");
		x->locked = true;
	} else if (wp == WTS_SESSION_UNLOCK && x->locked) {
		wa_info("session unlocked: file transfers accepted");
		x->locked = false;
	}
	return false;
}
