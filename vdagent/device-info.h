/* SPDX-License-Identifier: MIT */
/*
 * GRAPHICS_DEVICE_INFO support: which DRM connector shows a client
 * display.  The client (through spice-server) names a display as a PCI
 * device address plus the index of the output on that device; the X
 * output of the same name as that DRM connector is the one to configure.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "vdp-validate.h" /* struct vdp_graphics_device_info */

/*
 * The SPICE device address for a sysfs device path: for
 * "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0" it is
 * "pci/0000/01.0/00.0" (the domain, then slot.function of each bridge
 * and of the device).  Returns 0, -EINVAL for a path that is not a PCI
 * device, -ENOSPC when out is too small.
 */
int device_address_from_sysfs(const char *path, char *out, size_t size);

/*
 * The name of connector number index of the DRM device at the SPICE
 * address (e.g. "Virtual-1"), looked up through /sys/class/drm and
 * libdrm.  Returns a g_malloc'd string, or NULL when not found.
 */
char *device_connector_name(const char *address, uint32_t index);

/*
 * Replace the names in connector[0..n-1] (freed) by those of the client's
 * displays in info (NULL: none known): connector[channel_id + monitor_id]
 * is the g_malloc'd DRM connector name of that display, or NULL.
 */
void device_info_connectors(const struct vdp_graphics_device_info *info,
			    char **connector, size_t n);
