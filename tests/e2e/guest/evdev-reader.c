/* SPDX-License-Identifier: MIT */
/*
 * Runs inside the test guest: watches /dev/input/event* and prints one line
 * per SYN_REPORT of every absolute pointer device on stdout (the serial
 * console), so the host can check what the guest kernel delivered:
 *
 *   EVDEV add event4 "spice vdagent tablet" x=0..1023 y=0..767
 *   EVDEV event4 x=100 y=200 buttons=0x1 wheel=0
 *   EVDEV gone event4
 *
 * buttons uses the SPICE mask bits: 1 left, 2 middle, 4 right, 8 side,
 * 16 extra.  wheel is the sum of REL_WHEEL values in that report.
 * New devices are found by rescanning /dev/input every 50 ms (the daemon
 * re-creates its device on a resolution change).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#define MAX_DEVICES 32
#define BITS_LONG (8 * sizeof(long))
#define TEST_BIT(bits, n) (((bits)[(n) / BITS_LONG] >> ((n) % BITS_LONG)) & 1)

struct device {
	int fd;			/* -1: free slot */
	unsigned int num;	/* /dev/input/eventN */
	int x, y, wheel;
	unsigned int buttons;
	bool dirty;
};

static const struct {
	unsigned short code;
	unsigned int mask;
} buttons[] = {
	{ BTN_LEFT, 1 }, { BTN_MIDDLE, 2 }, { BTN_RIGHT, 4 },
	{ BTN_SIDE, 8 }, { BTN_EXTRA, 16 },
};

static bool is_known(const struct device *devs, unsigned int num)
{
	for (int i = 0; i < MAX_DEVICES; i++)
		if (devs[i].fd >= 0 && devs[i].num == num)
			return true;
	return false;
}

/* Open node if it is an absolute pointer (ABS_X and ABS_Y); else skip it. */
static void try_open(struct device *devs, unsigned int num)
{
	unsigned long absbits[ABS_MAX / BITS_LONG + 1] = { 0 };
	struct input_absinfo ax, ay;
	char path[64], name[128] = "";
	struct device *d = NULL;
	int fd;

	for (int i = 0; i < MAX_DEVICES && !d; i++)
		if (devs[i].fd < 0)
			d = &devs[i];
	if (!d)
		return;
	snprintf(path, sizeof(path), "/dev/input/event%u", num);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (ioctl(fd, EVIOCGBIT(EV_ABS, sizeof(absbits)), absbits) < 0 ||
	    !TEST_BIT(absbits, ABS_X) || !TEST_BIT(absbits, ABS_Y) ||
	    ioctl(fd, EVIOCGABS(ABS_X), &ax) < 0 ||
	    ioctl(fd, EVIOCGABS(ABS_Y), &ay) < 0) {
		close(fd);
		return;
	}
	ioctl(fd, EVIOCGNAME(sizeof(name) - 1), name);
	*d = (struct device){ .fd = fd, .num = num, .x = ax.value,
			      .y = ay.value };
	printf("EVDEV add event%u \"%s\" x=%d..%d y=%d..%d\n", num, name,
	       ax.minimum, ax.maximum, ay.minimum, ay.maximum);
}

static void rescan(struct device *devs, bool *seen_ignored)
{
	DIR *dir = opendir("/dev/input");
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		unsigned int n;

		if (sscanf(e->d_name, "event%u", &n) != 1 || n >= 1024 ||
		    seen_ignored[n] || is_known(devs, n))
			continue;
		try_open(devs, n);
		/* non-pointers are not asked again until their node goes */
		if (!is_known(devs, n))
			seen_ignored[n] = true;
	}
	closedir(dir);
	/* a node number that disappeared may come back as a new device */
	for (unsigned int n = 0; n < 1024; n++) {
		char path[64];

		if (!seen_ignored[n])
			continue;
		snprintf(path, sizeof(path), "/dev/input/event%u", n);
		if (access(path, F_OK) != 0)
			seen_ignored[n] = false;
	}
}

static void handle(struct device *d, const struct input_event *ev)
{
	switch (ev->type) {
	case EV_ABS:
		if (ev->code == ABS_X)
			d->x = ev->value;
		else if (ev->code == ABS_Y)
			d->y = ev->value;
		d->dirty = true;
		break;
	case EV_KEY:
		for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++) {
			if (buttons[i].code != ev->code)
				continue;
			if (ev->value)
				d->buttons |= buttons[i].mask;
			else
				d->buttons &= ~buttons[i].mask;
			d->dirty = true;
		}
		break;
	case EV_REL:
		if (ev->code == REL_WHEEL) {
			d->wheel += ev->value;
			d->dirty = true;
		}
		break;
	case EV_SYN:
		if (ev->code == SYN_REPORT && d->dirty)
			printf("EVDEV event%u x=%d y=%d buttons=0x%x wheel=%d\n",
			       d->num, d->x, d->y, d->buttons, d->wheel);
		d->dirty = false;
		d->wheel = 0;
		break;
	}
}

static void drain(struct device *d)
{
	struct input_event ev[64];
	ssize_t r;

	while ((r = read(d->fd, ev, sizeof(ev))) > 0)
		for (size_t i = 0; i < (size_t)r / sizeof(ev[0]); i++)
			handle(d, &ev[i]);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		printf("EVDEV gone event%u\n", d->num);
		close(d->fd);
		d->fd = -1;
	}
}

int main(void)
{
	static bool seen_ignored[1024];
	struct device devs[MAX_DEVICES];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < MAX_DEVICES; i++)
		devs[i].fd = -1;
	printf("EVDEV reader ready\n");
	for (;;) {
		struct pollfd pfd[MAX_DEVICES];
		int idx[MAX_DEVICES], n = 0;

		rescan(devs, seen_ignored);
		for (int i = 0; i < MAX_DEVICES; i++) {
			if (devs[i].fd < 0)
				continue;
			pfd[n] = (struct pollfd){ .fd = devs[i].fd, .events = POLLIN };
			idx[n++] = i;
		}
		if (poll(pfd, (nfds_t)n, 50) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < n; i++)
			if (pfd[i].revents)
				drain(&devs[idx[i]]);
	}
}
