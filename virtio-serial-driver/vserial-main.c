// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * vdagent_vserial: a guest driver for virtio-serial ports (the virtio
 * console device with multiport), giving each port a character device
 * /dev/vport<N>p<M> with a sysfs "name", as the SPICE agent expects.
 *
 * It and the kernel's virtio_console serve the same device and the same
 * device class ("virtio-ports"), so only one of them may be loaded: this
 * module refuses to load while virtio_console is (it checks for the class),
 * and virtio_console fails to load while this module is.  Whichever loads
 * first wins.  To use this one, keep virtio_console from loading
 * ("blacklist virtio_console" in /etc/modprobe.d/, or module_blacklist=
 * virtio_console on the kernel command line) and load this module; a kernel
 * with virtio_console built in cannot use it.
 */
#include <linux/module.h>
#include <linux/namei.h>

#include "vserial.h"

unsigned int vser_tx_limit = 4U << 20;
module_param_named(tx_limit, vser_tx_limit, uint, 0644);
MODULE_PARM_DESC(tx_limit,
		 "Bytes a port may have queued for the host before writers wait (default 4 MiB)");

unsigned int vser_rx_bufs = 128;
module_param_named(rx_pages, vser_rx_bufs, uint, 0444);
MODULE_PARM_DESC(rx_pages,
		 "Receive pages kept posted per port, at most the queue size (default 128, 1..1024)");

/* Whether another driver (virtio_console) owns the virtio-ports class. */
static bool vser_class_taken(void)
{
	struct path path;

	if (kern_path("/sys/class/virtio-ports", LOOKUP_FOLLOW, &path))
		return false;
	path_put(&path);
	return true;
}

static int __init vser_init(void)
{
	int r;

	if (vser_class_taken()) {
		pr_err(VSER_NAME ": the virtio-ports class exists (virtio_console loaded?); unload it first\n");
		return -EBUSY;
	}
	r = vser_ports_init();
	if (r)
		return r;
	r = vser_virtio_init();
	if (r)
		goto undo_ports;
	return 0;

undo_ports:
	vser_ports_exit();
	return r;
}

static void __exit vser_exit(void)
{
	vser_virtio_exit();
	vser_ports_exit();
}

module_init(vser_init);
module_exit(vser_exit);

MODULE_DESCRIPTION("virtio-serial port driver (character devices /dev/vportNpM) for the SPICE agent");
MODULE_AUTHOR("The vdagent project");
MODULE_LICENSE("Dual MIT/GPL");
