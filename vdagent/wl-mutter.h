/* SPDX-License-Identifier: MIT */
/*
 * Output configuration on GNOME through mutter's D-Bus interface
 * org.gnome.Mutter.DisplayConfig on the session bus: GetCurrentState for
 * the monitors and their modes (disabled monitors included), then one
 * ApplyMonitorsConfig (method "temporary", as a display settings dialog
 * before its confirmation) with every enabled monitor: the whole
 * configuration is applied at once or not at all.
 *
 * Display ids map to the monitors' connectors as in wl-layout.h.  Mutter
 * only sets the modes a monitor lists: a size no mode has keeps the
 * monitor's current mode (and the apply reports -ERANGE after applying
 * the rest).
 */
#pragma once

#include "vdp-validate.h"

struct wl_mutter;

/* NULL when nothing owns org.gnome.Mutter.DisplayConfig. */
struct wl_mutter *wl_mutter_new(void);
void wl_mutter_free(struct wl_mutter *m);

/* connector[id]: from GRAPHICS_DEVICE_INFO (ncon may be 0).  Returns 0,
 * -ERANGE when a size had no mode, -EIO when mutter refused (logged). */
int wl_mutter_apply(struct wl_mutter *m, char *const *connector,
		    unsigned ncon, const struct vdp_monitors_config *mc);
