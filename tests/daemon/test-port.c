/* SPDX-License-Identifier: MIT */
/*
 * The port's attach logic with a character device: a missing device is
 * waited for (no timer) when udev is running, hotplug news attach and
 * detach it, and re-attach after the device comes back.  The device is a
 * raw pty reached through a symlink under /dev, like the udev link of a
 * virtio port (needs root to create the link; skipped otherwise).
 */
#define _GNU_SOURCE 1
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "port.h"
#include "tap.h"
#include "vdp-util.h"
#include "vdp-wire.h"

struct seen {
	int attached, detached, messages;
};

static void on_message(void *user, const struct vdp_message *m)
{
	((struct seen *)user)->messages++;
}

static void on_attached(void *user)
{
	((struct seen *)user)->attached++;
}

static void on_detached(void *user)
{
	((struct seen *)user)->detached++;
}

static const struct port_callbacks cbs = {
	.message = on_message,
	.attached = on_attached,
	.detached = on_detached,
};

static gboolean set_flag(gpointer p)
{
	*(bool *)p = true;
	return G_SOURCE_REMOVE;
}

/* Run the main loop until *counter reaches want; false after 10 s. */
static bool pump_until(int *counter, int want)
{
	bool late = false;
	guint t = g_timeout_add(10000, set_flag, &late);

	while (*counter < want && !late)
		g_main_context_iteration(NULL, TRUE);
	if (!late)
		g_source_remove(t);
	return *counter >= want;
}

static int open_raw_pty(int *slave_out, char *name, size_t size)
{
	struct termios tio;
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, name, size) != 0)
		return -1;
	*slave_out = open(name, O_RDWR | O_NOCTTY);
	tcgetattr(*slave_out, &tio);
	cfmakeraw(&tio);
	tcsetattr(*slave_out, TCSANOW, &tio);
	return master;
}

int main(void)
{
	char link[64], pts[64];
	struct seen seen = { 0 };
	struct port *p;
	int master, slave;
	uint8_t msg[28];
	struct pollfd pfd;

	snprintf(link, sizeof(link), "/dev/vdagentd-test-port-%d", getpid());
	if (access("/dev", W_OK) < 0) {
		printf("1..0 # SKIP needs write access to /dev\n");
		return 0;
	}
	p = port_new(link, &cbs, &seen, NULL);
	port_set_udev(p, true);
	port_set_wanted(p, true);
	ok(port_waiting_for_device(p), "missing device: waiting for udev");
	ok(!port_attached(p) && seen.attached == 0, "not attached");

	master = open_raw_pty(&slave, pts, sizeof(pts));
	ok(master >= 0 && symlink(pts, link) == 0, "device appears (%s)", pts);
	port_device_added(p);
	ok(port_attached(p) && seen.attached == 1, "udev add: attached");

	/* a message from the "host" is decoded */
	vdp_put_le32(msg, VDP_PORT_CLIENT);
	vdp_put_le32(msg + 4, 20);
	vdp_put_le32(msg + 8, VDP_PROTOCOL_VERSION);
	vdp_put_le32(msg + 12, VDP_MSG_CLIENT_DISCONNECTED);
	memset(msg + 16, 0, 8);
	vdp_put_le32(msg + 24, 0);
	ok(write(master, msg, sizeof(msg)) == (ssize_t)sizeof(msg) &&
	   pump_until(&seen.messages, 1), "a message read from the device");

	/* hot-unplug */
	unlink(link);
	port_device_removed(p);
	ok(!port_attached(p) && seen.detached == 1, "udev remove: detached");
	ok(port_waiting_for_device(p), "... and waiting for the device again");

	/* hot-plug again */
	ok(symlink(pts, link) == 0, "device back");
	port_device_added(p);
	ok(port_attached(p) && seen.attached == 2, "udev add: attached again");

	/* the daemon writes: it reaches the device */
	ok(port_send(p, VDP_MSG_REPLY, NULL, 0, NULL) == 0, "queued a message");
	pfd = (struct pollfd){ .fd = master, .events = POLLIN };
	ok(poll(&pfd, 1, 10000) == 1 && read(master, msg, sizeof(msg)) == 28 &&
	   vdp_get_le32(msg + 12) == VDP_MSG_REPLY,
	   "written to the device");

	port_set_wanted(p, false);
	ok(!port_attached(p) && seen.detached == 2, "not wanted: detached");
	port_free(p);
	unlink(link);
	close(slave);
	close(master);
	return tap_done();
}
