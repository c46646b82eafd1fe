// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * vdagent_vdiport: the guest driver for the VDI port (PCI 1b36:0105), the
 * SPICE agent channel from before virtio-serial.  A sibling of
 * vdagent_vserial: the same port layer (vserial-port.c: /dev/vport<N>p0,
 * class "virtio-ports", sysfs "name" = com.redhat.spice.0), another
 * transport (vdiport-pci.c).
 *
 * It creates the "virtio-ports" class like vdagent_vserial and
 * virtio_console, so it loads only while neither of them is loaded (it
 * checks for the class and refuses with -EBUSY), and they then fail to load.
 */
#include <linux/module.h>
#include <linux/namei.h>

#include "vserial.h"

int vdip_pci_init(void);
void vdip_pci_exit(void);

unsigned int vser_tx_limit = 1U << 20;
module_param_named(tx_limit, vser_tx_limit, uint, 0644);
MODULE_PARM_DESC(tx_limit,
		 "Bytes the port may have queued for the host before writers wait (default 1 MiB)");

unsigned int vser_rx_bufs = 64;
module_param_named(rx_pages, vser_rx_bufs, uint, 0444);
MODULE_PARM_DESC(rx_pages,
		 "Receive pages kept posted (default 64, 1..1024)");

static bool vdip_class_taken(void)
{
	struct path path;

	if (kern_path("/sys/class/virtio-ports", LOOKUP_FOLLOW, &path))
		return false;
	path_put(&path);
	return true;
}

static int __init vdip_init(void)
{
	int r;

	if (vdip_class_taken()) {
		pr_err("vdagent_vdiport: the virtio-ports class exists (virtio_console or vdagent_vserial loaded?); unload it first\n");
		return -EBUSY;
	}
	r = vser_ports_init();
	if (r)
		return r;
	r = vdip_pci_init();
	if (r)
		vser_ports_exit();
	return r;
}

static void __exit vdip_exit(void)
{
	vdip_pci_exit();
	vser_ports_exit();
}

module_init(vdip_init);
module_exit(vdip_exit);

MODULE_DESCRIPTION("VDI port (PCI 1b36:0105) driver for the SPICE agent");
MODULE_AUTHOR("The vdagent project");
MODULE_LICENSE("Dual MIT/GPL");
