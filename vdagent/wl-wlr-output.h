/* SPDX-License-Identifier: MIT */
/*
 * Output configuration on wlroots compositors through
 * wlr-output-management (zwlr_output_manager_v1, versions 1 to 4; the
 * interfaces in wl-wlr-output-protocol.h): every head, disabled ones
 * included, with its modes, and the manager's serial.  A MONITORS_CONFIG
 * becomes one configuration: each enabled head gets a mode of the asked
 * size (the one with the current refresh rate when there are several) or
 * a custom mode, and a position; the others are disabled.  The
 * compositor answers later: succeeded and failed are logged; cancelled
 * (the outputs changed meanwhile) is retried once with the new serial.
 * The last answer of each configuration (succeeded 0, failed -EIO,
 * cancelled twice -ECANCELED) goes to ev->monitors_result with its token.
 *
 * Display ids map to the heads' names as in wl-layout.h.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

#include "backend.h"
#include "vdp-validate.h"

struct wl_wlr_output;

struct wl_wlr_output *wl_wlr_output_new(struct wl_display *d,
					const struct backend_events *ev,
					void *user);
void wl_wlr_output_free(struct wl_wlr_output *o);

/* Registry event: true when the global was ours. */
bool wl_wlr_output_global(struct wl_wlr_output *o, struct wl_registry *reg,
			  uint32_t name, const char *iface, uint32_t version);

/* The compositor offers the manager and has described its heads. */
bool wl_wlr_output_active(const struct wl_wlr_output *o);

/* Send the configuration.  connector[id] (ncon may be 0) must stay valid
 * while the answer is pending: a retry reads it again.  Returns
 * BACKEND_MONITORS_PENDING when sent (answered later with token),
 * -EINVAL when nothing would stay enabled, -EAGAIN before the
 * compositor described its heads, -ENODEV when the manager is gone. */
int wl_wlr_output_apply(struct wl_wlr_output *o, char *const *connector,
			unsigned ncon, const struct vdp_monitors_config *mc,
			uint64_t token);
