/* SPDX-License-Identifier: MIT */
/*
 * A session backend: what the agent needs from the display server of its
 * session (an X server, or a Wayland compositor), behind one table of
 * operations chosen once at start (main.c), so that agent.c stays the
 * same for every kind of session.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-ipc.h"
#include "vdp-validate.h"

struct backend;

/* What a backend tells the agent. */
struct backend_events {
	/* The layout may have changed; the agent calls layout_settle and
	 * get_layout from an idle callback. */
	void (*layout_changed)(void *user);
	/* Clipboard: a guest application took or dropped a selection, the
	 * guest wants the client's data, or the guest's data for the
	 * client's request (type VDP_CLIPBOARD_NONE, no data: it failed). */
	void (*grab)(void *user, uint8_t sel, const uint32_t *types,
		     uint32_t count);
	void (*release)(void *user, uint8_t sel);
	void (*request)(void *user, uint8_t sel, uint32_t type);
	void (*data)(void *user, uint8_t sel, uint32_t type,
		     const uint8_t *data, size_t size);
	/* The display server's answer to an apply_monitors that returned
	 * BACKEND_MONITORS_PENDING, with its token: 0 applied, or negative
	 * errno.  Called once per such apply (none after free). */
	void (*monitors_result)(void *user, uint64_t token, int result);
};

/* apply_monitors: the answer comes later through monitors_result. */
#define BACKEND_MONITORS_PENDING 1

/* What the agent asks of a backend.  Every operation but name and free
 * may be NULL: the backend cannot do it. */
struct backend_ops {
	const char *name; /* "x11", "wayland" */
	void (*free)(struct backend *b);

	/* Monitors */
	/* The current layout.  Returns 0 or negative errno. */
	int (*get_layout)(struct backend *b, struct vdp_ipc_screen_layout *out);
	/* After layout_changed, before get_layout (X11: follow the
	 * preferred modes of virtual GPUs). */
	void (*layout_settle)(struct backend *b);
	/* A validated MONITORS_CONFIG.  Returns 0 (applied), negative errno
	 * (refused, or not fully applied), or BACKEND_MONITORS_PENDING when
	 * the display server answers later (events->monitors_result with
	 * this token). */
	int (*apply_monitors)(struct backend *b,
			      const struct vdp_monitors_config *mc,
			      uint64_t token);
	/* Display id -> connector map; NULL clears it. */
	void (*set_device_info)(struct backend *b,
				const struct vdp_graphics_device_info *info);

	/* Clipboard (semantics of x11-selection.h) */
	void (*clip_set_client)(struct backend *b, bool crlf,
				int32_t max_clipboard);
	void (*clip_grab)(struct backend *b, uint8_t sel,
			  const uint32_t *types, uint32_t count);
	void (*clip_release)(struct backend *b, uint8_t sel);
	void (*clip_request)(struct backend *b, uint8_t sel, uint32_t type);
	/* Takes ownership of data (malloc'd, may be NULL when size is 0). */
	void (*clip_data)(struct backend *b, uint8_t sel, uint32_t type,
			  uint8_t *data, size_t size);
	void (*clip_client_gone)(struct backend *b);
	void (*clip_resend_grabs)(struct backend *b);
};

/* Every backend's struct starts with this. */
struct backend {
	const struct backend_ops *ops;
};

/* Open a backend that reports to ev/user.  Returns NULL on failure
 * (logged), or with *already_running set when another agent serves the
 * session.  arg: what main.c passes through (a Display, a wl_display). */
typedef struct backend *(*backend_open_func)(void *arg,
					     const struct backend_events *ev,
					     void *user,
					     bool *already_running);
