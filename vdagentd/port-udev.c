/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <glib.h>
#include <libudev.h>
#include <sys/stat.h>

#include "fdwatch.h"
#include "port-udev.h"
#include "port.h"
#include "vdp-util.h"

struct port_udev {
	struct port *port;
	struct udev *udev;
	struct udev_monitor *mon;
	struct fdwatch *watch;
};

/* Is dev the node of our port path: its devnode, one of its udev links,
 * or a node made by something else (mdev, a hotplug helper) with its
 * device number? */
static bool is_our_device(struct port_udev *u, struct udev_device *dev)
{
	const char *path = port_path(u->port);
	const char *node = udev_device_get_devnode(dev);
	struct udev_list_entry *e;
	struct stat st;

	if (node && streq(node, path))
		return true;
	udev_list_entry_foreach(e, udev_device_get_devlinks_list_entry(dev))
		if (streq(udev_list_entry_get_name(e), path))
			return true;
	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
	       st.st_rdev == udev_device_get_devnum(dev);
}

static void on_event(void *user, GIOCondition rev)
{
	struct port_udev *u = user;
	struct udev_device *dev = udev_monitor_receive_device(u->mon);
	const char *action;

	if (!dev)
		return;
	action = udev_device_get_action(dev);
	g_debug("udev: %s %s", action ? action : "?",
		udev_device_get_sysname(dev));
	/* The kernel may announce a virtio port before it knows the port's
	 * name; udev adds the /dev/virtio-ports/NAME link on the "change"
	 * that follows.  So both can be the moment our path appears. */
	if (action && (streq(action, "add") || streq(action, "change")) &&
	    is_our_device(u, dev))
		port_device_added(u->port);
	else if (action && streq(action, "remove") && is_our_device(u, dev))
		port_device_removed(u->port);
	udev_device_unref(dev);
}

struct port_udev *port_udev_new(struct port *p)
{
	struct port_udev *u = zalloc(sizeof(*u));

	if (!u)
		return NULL;
	u->port = p;
	u->udev = udev_new();
	if (!u->udev)
		goto fail;
	u->mon = udev_monitor_new_from_netlink(u->udev, "udev");
	if (!u->mon ||
	    udev_monitor_filter_add_match_subsystem_devtype(u->mon,
							    "virtio-ports",
							    NULL) < 0 ||
	    udev_monitor_enable_receiving(u->mon) < 0)
		goto fail;
	u->watch = fdwatch_new(udev_monitor_get_fd(u->mon), G_IO_IN, on_event,
			       u);
	return u;
fail:
	g_debug("udev: monitor not available");
	port_udev_free(u);
	return NULL;
}

void port_udev_free(struct port_udev *u)
{
	if (!u)
		return;
	fdwatch_free(u->watch);
	if (u->mon)
		udev_monitor_unref(u->mon);
	if (u->udev)
		udev_unref(u->udev);
	free(u);
}
