/* SPDX-License-Identifier: MIT */
/*
 * Output configuration on KDE Plasma through KWin's kde_output_management_v2
 * and kde_output_device_v2 (code generated at build time from Debian's
 * plasma-wayland-protocols): every output device with its modes,
 * disabled ones included, and one configuration applied at once.  KWin
 * answers later (applied or failed): the answer is logged and reported
 * through ev->monitors_result with the token of the configuration.
 *
 * Display ids map to the devices' names as in wl-layout.h; a size no
 * mode of the device has keeps its current mode (logged).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

#include "backend.h"
#include "vdp-validate.h"

struct wl_kde_output;

struct wl_kde_output *wl_kde_output_new(const struct backend_events *ev,
					void *user);
void wl_kde_output_free(struct wl_kde_output *k);

/* Registry events: true when the global was ours. */
bool wl_kde_output_global(struct wl_kde_output *k, struct wl_registry *reg,
			  uint32_t name, const char *iface, uint32_t version);
void wl_kde_output_global_remove(struct wl_kde_output *k, uint32_t name);

/* The compositor offers output management. */
bool wl_kde_output_active(const struct wl_kde_output *k);

/* Send the configuration.  Returns BACKEND_MONITORS_PENDING when sent
 * (answered later: 0 when applied, -ERANGE when applied with a size no
 * mode had, kept at its old mode, -EIO when refused), -EINVAL when
 * nothing would stay enabled. */
int wl_kde_output_apply(struct wl_kde_output *k, struct wl_display *d,
			char *const *connector, unsigned ncon,
			const struct vdp_monitors_config *mc, uint64_t token);
