/* SPDX-License-Identifier: MIT */
/* SPICE device addresses from sysfs paths (GRAPHICS_DEVICE_INFO). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "../../vdagent/device-info.h"
#include "tap.h"

static void addr(const char *path, const char *want)
{
	char out[128];
	int r = device_address_from_sysfs(path, out, sizeof(out));
	is_int(r, 0, "%s parsed", path);
	if (!ok(r == 0 && strcmp(out, want) == 0, "-> %s", want))
		diag("  got %s", r == 0 ? out : "(error)");
}

int main(void)
{
	addr("/sys/devices/pci0000:00/0000:00:02.0", "pci/0000/02.0");
	addr("/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0",
	     "pci/0000/01.0/00.0");
	addr("/sys/devices/pci0001:10/0001:10:1c.7/0001:11:00.3/",
	     "pci/0001/1c.7/00.3");

	char out[128];
	is_int(device_address_from_sysfs("/sys/devices/platform/vkms", out,
					 sizeof(out)),
	       -EINVAL, "not a PCI device");
	is_int(device_address_from_sysfs("/sys/devices/pci0000:00/xyz", out,
					 sizeof(out)),
	       -EINVAL, "PCI root without a device");
	is_int(device_address_from_sysfs("/sys/devices/pci0000:00/0000:00:02.0",
					 out, 8),
	       -ENOSPC, "too small a buffer");
	ok(device_connector_name("pci/ffff/1f.7", 0) == NULL,
	   "an address no DRM device has gives no connector");
	return tap_done();
}
