/* SPDX-License-Identifier: MIT */
/*
 * Displays: MONITORS_CONFIG (resolution and layout through
 * ChangeDisplaySettingsExW), DISPLAY_CONFIG (desktop effects through
 * SystemParametersInfoW), GRAPHICS_DEVICE_INFO (which Windows display a
 * client display id is), and the monitor rectangles mouse.c needs.
 *
 * Display ids: with GRAPHICS_DEVICE_INFO, id channel_id + monitor_id is
 * the Windows display number device_display_id (in EnumDisplayDevices
 * order; the PCI address is logged but not matched); without it, id i is
 * the i-th display in EnumDisplayDevices order (mirroring drivers left
 * out).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "mouse-plan.h"

struct wa_displays;

struct wa_displays *wa_displays_new(struct wa_agent *a);
void wa_displays_free(struct wa_displays *d);

/* MONITORS_CONFIG, DISPLAY_CONFIG (both answered with REPLY) and
 * GRAPHICS_DEVICE_INFO: the raw payload; 0 or the parser's errno. */
int wa_displays_handle(struct wa_displays *d, uint32_t type,
		       const uint8_t *data, size_t size);
/* The port closed: forget GRAPHICS_DEVICE_INFO (spice-server sends it
 * again on the next open; a new client does not change it). */
void wa_displays_port_closed(struct wa_displays *d);

/* The rectangle of client display id in virtual-desktop pixels; the
 * primary display's for an id without an attached display. */
void wa_displays_monitor_rect(struct wa_displays *d, uint32_t id,
			      struct wa_rect *out);
/* The virtual desktop's rectangle. */
void wa_displays_desktop_rect(struct wa_displays *d, struct wa_rect *out);
