/* SPDX-License-Identifier: MIT */
/*
 * vdagentd/mouse.c: the exact struct input_event records a MOUSE_STATE
 * becomes, read back from the fake-uinput FIFO (and from a real uinput
 * device through its evdev node when /dev/uinput can be used).
 *
 * Linked with -Wl,--wrap=write so every message is checked to be one write().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#endif
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/input.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <syslog.h>
#include <unistd.h>

#include "mouse-queue.h" /* VDA_EVQ_MAX_EVENTS */
#include "mouse.h"
#include "tap.h"
#include "vdp-util.h"
#include "vdp-wire.h"

/* ---- counting write() calls ------------------------------------------- */

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);

static unsigned int write_calls;
/* Faults a slow device shows: writes that take nothing, or only part. */
static unsigned int eagain_writes; /* fail this many writes with EAGAIN */
static size_t write_cap;           /* nonzero: take at most this many bytes */

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	write_calls++;
	if (eagain_writes > 0) {
		eagain_writes--;
		errno = EAGAIN;
		return -1;
	}
	if (write_cap && n > write_cap)
		n = write_cap;
	return __real_write(fd, buf, n);
}

/* ---- captured log lines -------------------------------------------------- */

struct log_capture {
	unsigned int lines[8]; /* by syslog priority */
	char last[256];
};

__attribute__((format(printf, 3, 0))) static void
capture_log(void *user, int priority, const char *fmt, va_list ap)
{
	struct log_capture *c = user;

	if (priority >= 0 && priority < 8)
		c->lines[priority]++;
	vsnprintf(c->last, sizeof(c->last), fmt, ap);
}

/* ---- expected records ---------------------------------------------------- */

struct rec {
	uint16_t type;
	uint16_t code;
	int32_t value;
};

#define SYN { EV_SYN, SYN_REPORT, 0 }
#define MAX_RECS 32

/* Read what is in the FIFO now (non-blocking) and compare it record by record. */
static void expect_records(int rfd, const struct rec *want, size_t n_want,
			   const char *what)
{
	struct input_event ev[MAX_RECS];
	ssize_t got = read(rfd, ev, sizeof(ev));
	size_t n_got = got > 0 ? (size_t)got / sizeof(ev[0]) : 0;
	bool same = n_got == n_want && (got <= 0 ? n_want == 0 : (size_t)got % sizeof(ev[0]) == 0);

	for (size_t i = 0; same && i < n_want; i++) {
		if (ev[i].type != want[i].type || ev[i].code != want[i].code ||
		    ev[i].value != want[i].value || ev[i].input_event_sec != 0 ||
		    ev[i].input_event_usec != 0)
			same = false;
	}
	if (!ok(same, "%s: %zu records", what, n_want)) {
		diag("  read returned %zd (%s)", got, got < 0 ? strerror(errno) : "");
		for (size_t i = 0; i < n_got && i < MAX_RECS; i++)
			diag("  got  %u %u %d", ev[i].type, ev[i].code, ev[i].value);
		for (size_t i = 0; i < n_want; i++)
			diag("  want %u %u %d", want[i].type, want[i].code, want[i].value);
	}
}

#define EXPECT(rfd, what, ...)                                                \
	do {                                                                  \
		static const struct rec _w[] = { __VA_ARGS__ };               \
		expect_records((rfd), _w, ARRAY_LENGTH(_w), (what));          \
	} while (0)

#define EXPECT_NOTHING(rfd, what) expect_records((rfd), NULL, 0, (what))

static int send_mouse(struct vda_mouse *m, uint32_t x, uint32_t y,
		      uint32_t buttons, uint32_t display)
{
	struct vdp_mouse_state s = { .x = x, .y = y, .buttons = buttons, .display_id = (uint8_t)display };

	return vda_mouse_handle(m, &s);
}

/* Handle one state and check it cost exactly one write(). */
static void send_one_write(struct vda_mouse *m, uint32_t x, uint32_t y,
			   uint32_t buttons, uint32_t display, const char *what)
{
	unsigned int before = write_calls;
	int r = send_mouse(m, x, y, buttons, display);

	is_int(r, 0, "%s: handled", what);
	is_int(write_calls - before, 1, "%s: one write()", what);
}

static const struct vdp_ipc_screen_layout layout_two = {
	.width = 1824, .height = 768, .count = 2,
	.displays = {
		{ .display_id = 0, .x = 0, .y = 0, .width = 1024, .height = 768 },
		{ .display_id = 1, .x = 1024, .y = 100, .width = 800, .height = 600 },
	},
};

/* ---- fake uinput through a FIFO ------------------------------------------ */

static int open_reader(const char *fifo)
{
	return open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

static void test_fake_events(const char *fifo)
{
	struct vda_mouse *m = vda_mouse_new(fifo, true);
	int rfd = open_reader(fifo);
	static const struct {
		uint32_t mask;
		uint16_t code;
		const char *name;
	} buttons[] = {
		{ VDP_BUTTON_LEFT, BTN_LEFT, "left" },
		{ VDP_BUTTON_MIDDLE, BTN_MIDDLE, "middle" },
		{ VDP_BUTTON_RIGHT, BTN_RIGHT, "right" },
		{ VDP_BUTTON_SIDE, BTN_SIDE, "side" },
		{ VDP_BUTTON_EXTRA, BTN_EXTRA, "extra" },
	};
	char what[64];

	ok(m != NULL && rfd >= 0, "fake mouse and FIFO reader");

	is_int(send_mouse(m, 1, 2, 0, 0), -ENOENT, "no layout: dropped");
	EXPECT_NOTHING(rfd, "no layout: no records");

	is_int(vda_mouse_set_layout(m, &layout_two), 0, "layout of two displays");

	send_one_write(m, 10, 20, 0, 0, "first move");
	EXPECT(rfd, "first move: both axes",
	       { EV_ABS, ABS_X, 10 }, { EV_ABS, ABS_Y, 20 }, SYN);

	send_one_write(m, 10, 25, 0, 0, "vertical move");
	EXPECT(rfd, "vertical move: ABS_Y only", { EV_ABS, ABS_Y, 25 }, SYN);

	send_one_write(m, 11, 25, 0, 0, "horizontal move");
	EXPECT(rfd, "horizontal move: ABS_X only", { EV_ABS, ABS_X, 11 }, SYN);

	{
		unsigned int before = write_calls;

		is_int(send_mouse(m, 11, 25, 0, 0), 0, "unchanged state handled");
		is_int(write_calls - before, 0, "unchanged state: no write()");
		EXPECT_NOTHING(rfd, "unchanged state: no records");
	}

	for (size_t i = 0; i < ARRAY_LENGTH(buttons); i++) {
		struct rec press[] = { { EV_KEY, buttons[i].code, 1 }, SYN };
		struct rec release[] = { { EV_KEY, buttons[i].code, 0 }, SYN };

		snprintf(what, sizeof(what), "%s press", buttons[i].name);
		send_one_write(m, 11, 25, buttons[i].mask, 0, what);
		expect_records(rfd, press, ARRAY_LENGTH(press), what);
		snprintf(what, sizeof(what), "%s release", buttons[i].name);
		send_one_write(m, 11, 25, 0, 0, what);
		expect_records(rfd, release, ARRAY_LENGTH(release), what);
	}

	send_one_write(m, 12, 26, VDP_BUTTON_LEFT | VDP_BUTTON_RIGHT, 0, "move + 2 buttons");
	EXPECT(rfd, "move + 2 buttons: axes, then keys in order, one SYN",
	       { EV_ABS, ABS_X, 12 }, { EV_ABS, ABS_Y, 26 },
	       { EV_KEY, BTN_LEFT, 1 }, { EV_KEY, BTN_RIGHT, 1 }, SYN);
	send_one_write(m, 12, 26, VDP_BUTTON_RIGHT, 0, "left up, right held");
	EXPECT(rfd, "left up, right held", { EV_KEY, BTN_LEFT, 0 }, SYN);
	send_one_write(m, 12, 26, 0, 0, "right up");
	EXPECT(rfd, "right up", { EV_KEY, BTN_RIGHT, 0 }, SYN);

	send_one_write(m, 12, 26, VDP_BUTTON_UP, 0, "wheel up press");
	EXPECT(rfd, "wheel up press: REL_WHEEL +1", { EV_REL, REL_WHEEL, 1 }, SYN);
	is_int(send_mouse(m, 12, 26, VDP_BUTTON_UP, 0), 0, "wheel up held");
	EXPECT_NOTHING(rfd, "wheel up held: nothing more");
	is_int(send_mouse(m, 12, 26, 0, 0), 0, "wheel up release");
	EXPECT_NOTHING(rfd, "wheel up release: nothing");
	send_one_write(m, 12, 26, VDP_BUTTON_DOWN, 0, "wheel down press");
	EXPECT(rfd, "wheel down press: REL_WHEEL -1", { EV_REL, REL_WHEEL, -1 }, SYN);
	is_int(send_mouse(m, 12, 26, 0, 0), 0, "wheel down release");
	EXPECT_NOTHING(rfd, "wheel down release: nothing");
	send_one_write(m, 12, 26, VDP_BUTTON_DOWN | VDP_BUTTON_LEFT, 0, "wheel down + left");
	EXPECT(rfd, "wheel down + left: key before wheel",
	       { EV_KEY, BTN_LEFT, 1 }, { EV_REL, REL_WHEEL, -1 }, SYN);
	send_one_write(m, 12, 26, 0, 0, "all released");
	EXPECT(rfd, "all released", { EV_KEY, BTN_LEFT, 0 }, SYN);

	send_one_write(m, 5, 6, 0, 1, "second display");
	EXPECT(rfd, "second display: its offset added",
	       { EV_ABS, ABS_X, 1029 }, { EV_ABS, ABS_Y, 106 }, SYN);
	send_one_write(m, 5, 0, 0, 0, "back to the first display");
	EXPECT(rfd, "back to the first display",
	       { EV_ABS, ABS_X, 5 }, { EV_ABS, ABS_Y, 0 }, SYN);

	{
		struct log_capture log = { .lines = { 0 } };

		vda_mouse_set_log(m, capture_log, &log);
		is_int(send_mouse(m, 5, 6, VDP_BUTTON_LEFT, 7), -ENOENT, "unknown display: dropped");
		EXPECT_NOTHING(rfd, "unknown display: no records");
		is_int(log.lines[LOG_DEBUG], 1, "unknown display: one debug line");
		ok(strstr(log.last, "unknown display 7") != NULL, "unknown display: \"%s\"", log.last);
		vda_mouse_set_log(m, NULL, NULL);
	}
	send_one_write(m, 5, 0, VDP_BUTTON_LEFT, 0, "state after a dropped message");
	EXPECT(rfd, "dropped message changed nothing", { EV_KEY, BTN_LEFT, 1 }, SYN);
	send_one_write(m, 5, 0, 0, 0, "release");
	EXPECT(rfd, "release", { EV_KEY, BTN_LEFT, 0 }, SYN);

	send_one_write(m, 4000000000u, 4000000000u, 0, 1, "far outside");
	EXPECT(rfd, "far outside: clamped to the desktop",
	       { EV_ABS, ABS_X, 1823 }, { EV_ABS, ABS_Y, 767 }, SYN);

	/* Same size, other displays: the state carries over. */
	{
		static const struct vdp_ipc_screen_layout l = {
			.width = 1824, .height = 768, .count = 2,
			.displays = {
				{ .display_id = 0, .x = 800, .y = 0, .width = 1024, .height = 768 },
				{ .display_id = 1, .x = 0, .y = 0, .width = 800, .height = 600 },
			},
		};

		is_int(vda_mouse_set_layout(m, &l), 0, "displays swapped, same size");
		send_one_write(m, 10, 767, 0, 0, "move after the swap");
		EXPECT(rfd, "move after the swap: new offset, ABS_Y unchanged",
		       { EV_ABS, ABS_X, 810 }, SYN);
	}

	/* A new desktop size: a fresh device state, everything is sent again. */
	{
		static const struct vdp_ipc_screen_layout l = {
			.width = 1280, .height = 1024, .count = 1,
			.displays = { { .display_id = 3, .width = 1280, .height = 1024 } },
		};

		is_int(vda_mouse_set_layout(m, &l), 0, "layout change to 1280x1024");
		is_int(send_mouse(m, 1, 1, 0, 1), -ENOENT, "display 1 is gone");
		EXPECT_NOTHING(rfd, "display 1 is gone: no records");
		send_one_write(m, 810, 767, 0, 3, "same point after the resize");
		EXPECT(rfd, "after a resize both axes are sent again",
		       { EV_ABS, ABS_X, 810 }, { EV_ABS, ABS_Y, 767 }, SYN);
	}

	is_int(vda_mouse_set_layout(m, NULL), 0, "agent gone");
	is_int(send_mouse(m, 1, 1, 0, 3), -ENOENT, "no agent: dropped");
	EXPECT_NOTHING(rfd, "no agent: no records");

	vda_mouse_free(m);
	close(rfd);
}

static void test_invalid_layouts(const char *fifo)
{
	struct vda_mouse *m = vda_mouse_new(fifo, true);
	struct vdp_ipc_screen_layout l = layout_two;

	l.width = 0;
	is_int(vda_mouse_set_layout(m, &l), -EINVAL, "zero width refused");
	l = layout_two;
	l.height = VDP_IPC_MAX_DIMENSION + 1;
	is_int(vda_mouse_set_layout(m, &l), -EINVAL, "oversized desktop refused");
	l = layout_two;
	l.count = VDP_IPC_MAX_DISPLAYS + 1;
	is_int(vda_mouse_set_layout(m, &l), -EINVAL, "too many displays refused");
	is_int(send_mouse(m, 1, 1, 0, 0), -ENOENT, "still no layout after refusals");
	vda_mouse_free(m);
}

/* The reader goes away and comes back: errors, no crash, state resent. */
static void test_fake_reader_gone(const char *fifo)
{
	struct vda_mouse *m = vda_mouse_new(fifo, true);
	struct log_capture log = { .lines = { 0 } };
	int rfd;

	vda_mouse_set_log(m, capture_log, &log);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "layout");
	is_int(send_mouse(m, 1, 2, 0, 0), -ENXIO, "FIFO without reader: ENXIO, dropped");
	is_int(send_mouse(m, 1, 2, 0, 0), -ENXIO, "still no reader: ENXIO again");
	is_int(log.lines[LOG_INFO], 1, "no reader: logged once, at info");

	rfd = open_reader(fifo);
	send_one_write(m, 1, 2, VDP_BUTTON_MIDDLE, 0, "reader arrived");
	EXPECT(rfd, "reader arrived: full state",
	       { EV_ABS, ABS_X, 1 }, { EV_ABS, ABS_Y, 2 }, { EV_KEY, BTN_MIDDLE, 1 }, SYN);
	close(rfd);

	is_int(log.lines[LOG_INFO], 2, "reader arrived: recovery logged");
	is_int(send_mouse(m, 3, 2, VDP_BUTTON_MIDDLE, 0), -EPIPE, "reader gone: EPIPE");
	is_int(send_mouse(m, 3, 2, VDP_BUTTON_MIDDLE, 0), -ENXIO, "reopen without reader: ENXIO");
	is_int(log.lines[LOG_WARNING], 1, "reader gone: one warning");

	rfd = open_reader(fifo);
	send_one_write(m, 3, 2, VDP_BUTTON_MIDDLE, 0, "new reader");
	EXPECT(rfd, "new reader: fresh state including the held button",
	       { EV_ABS, ABS_X, 3 }, { EV_ABS, ABS_Y, 2 }, { EV_KEY, BTN_MIDDLE, 1 }, SYN);

	/* A reader that does not read: messages are kept, nothing blocks. */
	{
		int r = 0, sent = 0;
		unsigned int before = write_calls;

		fcntl(rfd, F_SETPIPE_SZ, 4096);
		for (uint32_t i = 0; i < 1000 && r == 0; i++, sent++)
			r = send_mouse(m, i % 1000, 1, VDP_BUTTON_MIDDLE, 0);
		is_int(r, 0, "full FIFO: %d messages handled", sent);
		ok(write_calls - before < 1000, "full FIFO: no write() per message once it is full (%u)",
		   write_calls - before);

		struct input_event drain[256];
		while (read(rfd, drain, sizeof(drain)) > 0)
			;
		is_int(vda_mouse_flush(m), 0, "drained FIFO: the kept motion goes out");
		while (read(rfd, drain, sizeof(drain)) > 0)
			;
		is_int(send_mouse(m, 500, 400, 0, 0), 0, "drained FIFO: writes again");
		EXPECT(rfd, "after the backlog, the difference to the last kept state",
		       { EV_ABS, ABS_X, 500 }, { EV_ABS, ABS_Y, 400 },
		       { EV_KEY, BTN_MIDDLE, 0 }, SYN);
	}

	close(rfd);
	vda_mouse_free(m);
}

/* ---- a device that stops taking events ----------------------------------- */

static int wait_fd = -1;
static unsigned int wait_calls;

static void record_wait(void *user, int fd)
{
	wait_fd = fd;
	wait_calls++;
}

/* Replays records like a device: where the pointer is, which keys are down. */
struct replay {
	int32_t x, y;
	uint32_t keys; /* bit per BTN_ code - BTN_LEFT */
	unsigned int presses, releases, wheel_up, wheel_down, syns;
	unsigned int bad_order; /* a press of a key already down, or the like */
	/* pointer position at each BTN_LEFT press, in order */
	int32_t press_x[256], press_y[256];
};

static void replay_event(struct replay *r, const struct input_event *e)
{
	if (e->type == EV_ABS && e->code == ABS_X)
		r->x = e->value;
	else if (e->type == EV_ABS && e->code == ABS_Y)
		r->y = e->value;
	else if (e->type == EV_REL && e->code == REL_WHEEL && e->value > 0)
		r->wheel_up++;
	else if (e->type == EV_REL && e->code == REL_WHEEL)
		r->wheel_down++;
	else if (e->type == EV_SYN)
		r->syns++;
	else if (e->type == EV_KEY && e->code >= BTN_LEFT && e->code < BTN_LEFT + 8) {
		uint32_t bit = 1u << (e->code - BTN_LEFT);

		if (!!(r->keys & bit) == !!e->value)
			r->bad_order++;
		r->keys = e->value ? r->keys | bit : r->keys & ~bit;
		if (e->code == BTN_LEFT && e->value) {
			if (r->presses < ARRAY_LENGTH(r->press_x)) {
				r->press_x[r->presses] = r->x;
				r->press_y[r->presses] = r->y;
			}
			r->presses++;
		} else if (e->code == BTN_LEFT) {
			r->releases++;
		}
	}
}

/* Read everything, flushing whenever the module waits, until it waits no more. */
static void drain_fifo(struct vda_mouse *m, int rfd, struct replay *r)
{
	static struct input_event buf[4096];
	size_t partial = 0; /* bytes of a record read so far */

	for (int rounds = 0; rounds < 1000000; rounds++) {
		ssize_t got = read(rfd, (char *)buf + partial, sizeof(buf) - partial);

		if (got > 0) {
			size_t bytes = partial + (size_t)got;
			size_t n = bytes / sizeof(buf[0]);

			for (size_t i = 0; i < n; i++)
				replay_event(r, &buf[i]);
			partial = bytes % sizeof(buf[0]);
			memmove(buf, &buf[n], partial);
		}
		if (wait_fd >= 0)
			vda_mouse_flush(m);
		else if (got <= 0)
			break;
	}
}

/*
 * The bug report: 20 000 messages in one burst while the reader does not
 * read, a left click every 100 messages, a wheel step every 100, the last
 * one at a position not seen before; then the reader resumes.
 */
static void test_fake_burst(const char *fifo)
{
	struct vda_mouse *m = vda_mouse_new(fifo, true);
	int rfd = open_reader(fifo);
	static struct replay r;
	struct log_capture log = { .lines = { 0 } };
	int bad = 0;

	vda_mouse_set_wait(m, record_wait, NULL);
	vda_mouse_set_log(m, capture_log, &log);
	fcntl(rfd, F_SETPIPE_SZ, 4096);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "burst: layout");
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t buttons = (i / 50) % 2 == 0 ? VDP_BUTTON_LEFT : 0;

		if (i % 100 == 25)
			buttons |= VDP_BUTTON_UP;
		if (i % 100 == 75)
			buttons |= VDP_BUTTON_DOWN;
		if (send_mouse(m, i % 1000, (i / 7) % 700, buttons, 0) != 0)
			bad++;
	}
	is_int(send_mouse(m, 1010, 710, 0, 0), 0, "burst: the last message");
	is_int(bad, 0, "burst: every message handled while the FIFO is full");
	ok(wait_fd >= 0, "burst: the module waits for the FIFO to be writable");

	drain_fifo(m, rfd, &r);
	is_int(wait_fd, -1, "burst: drained, nothing waits any more");
	is_int(r.presses, 200, "burst: every press arrived");
	is_int(r.releases, 200, "burst: every release arrived");
	is_int(r.wheel_up, 200, "burst: every wheel step up arrived");
	is_int(r.wheel_down, 200, "burst: every wheel step down arrived");
	is_int(r.bad_order, 0, "burst: key transitions alternate");
	is_int(r.keys, 0, "burst: no key left down");
	ok(r.x == 1010 && r.y == 710, "burst: the pointer ends at the last position (%d,%d)",
	   r.x, r.y);
	{
		int wrong = 0;

		for (unsigned int k = 0; k < 200 && k < r.presses; k++) {
			uint32_t i = k * 100; /* the message that pressed */

			if (r.press_x[k] != (int32_t)(i % 1000) ||
			    r.press_y[k] != (int32_t)((i / 7) % 700))
				wrong++;
		}
		is_int(wrong, 0, "burst: each press where its message put the pointer");
	}
	is_int(log.lines[LOG_WARNING], 0, "burst: a short stall is not a warning");

	close(rfd);
	vda_mouse_free(m);
}

/*
 * A reader that never reads: the queue fills, is folded once, the module
 * says so once and keeps the newest state for when the reader comes back.
 */
static void test_fake_stopped_reader(const char *fifo)
{
	struct vda_mouse *m = vda_mouse_new(fifo, true);
	int rfd = open_reader(fifo);
	static struct replay r;
	struct log_capture log = { .lines = { 0 } };
	int bad = 0;

	vda_mouse_set_wait(m, record_wait, NULL);
	vda_mouse_set_log(m, capture_log, &log);
	fcntl(rfd, F_SETPIPE_SZ, 4096);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "stopped reader: layout");
	/* a click every message: nothing merges, 4 records each */
	for (uint32_t i = 0; i < 3 * VDA_EVQ_MAX_EVENTS; i++)
		if (send_mouse(m, i % 1000, i % 700, i % 2 ? VDP_BUTTON_LEFT : 0, 0) != 0)
			bad++;
	is_int(send_mouse(m, 7, 8, VDP_BUTTON_RIGHT, 1), 0, "stopped reader: the last message");
	is_int(bad, 0, "stopped reader: every message handled, nothing blocked");
	is_int(log.lines[LOG_WARNING], 1, "stopped reader: said once");
	ok(strstr(log.last, "not accepting events") != NULL, "stopped reader: \"%s\"", log.last);

	drain_fifo(m, rfd, &r);
	is_int(wait_fd, -1, "stopped reader: drained when it reads again");
	is_int(r.bad_order, 0, "stopped reader: key transitions still alternate");
	ok(r.x == 1031 && r.y == 108, "stopped reader: the final position (%d,%d)", r.x, r.y);
	is_int(r.keys, 1u << (BTN_RIGHT - BTN_LEFT), "stopped reader: only the held right button down");
	is_int(log.lines[LOG_INFO], 1, "stopped reader: the recovery is logged");

	close(rfd);
	vda_mouse_free(m);
}

/* Writes that take nothing, then a few bytes at a time (any backend). */
static void test_partial_writes(const char *dir)
{
	char path[PATH_MAX];
	struct vda_mouse *m;
	int fd, rfd;

	snprintf(path, sizeof(path), "%s/partial", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	close(fd);
	m = vda_mouse_new(path, true);
	vda_mouse_set_wait(m, record_wait, NULL);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "partial: layout");
	eagain_writes = 1;
	is_int(send_mouse(m, 10, 20, VDP_BUTTON_LEFT, 0), 0, "partial: EAGAIN, kept");
	ok(wait_fd >= 0, "partial: waiting for the device");
	is_int(send_mouse(m, 30, 20, VDP_BUTTON_LEFT, 0), 0, "partial: a move");
	is_int(send_mouse(m, 30, 40, VDP_BUTTON_LEFT, 0), 0, "partial: a move merged");
	is_int(send_mouse(m, 30, 40, 0, 0), 0, "partial: a release");
	is_int(send_mouse(m, 31, 40, VDP_BUTTON_UP, 0), 0, "partial: a move and a wheel step");
	write_cap = 7;
	for (int i = 0; i < 1000 && wait_fd >= 0; i++)
		vda_mouse_flush(m);
	write_cap = 0;
	is_int(wait_fd, -1, "partial: written 7 bytes at a time");
	vda_mouse_free(m);
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	EXPECT(rfd, "partial: every frame in order, the two moves merged",
	       { EV_ABS, ABS_X, 10 }, { EV_ABS, ABS_Y, 20 }, { EV_KEY, BTN_LEFT, 1 }, SYN,
	       { EV_ABS, ABS_X, 30 }, { EV_ABS, ABS_Y, 40 }, SYN,
	       { EV_KEY, BTN_LEFT, 0 }, SYN,
	       { EV_ABS, ABS_X, 31 }, { EV_REL, REL_WHEEL, 1 }, SYN);
	close(rfd);
	unlink(path);
}

static void test_fake_missing(const char *dir)
{
	char path[PATH_MAX];
	struct vda_mouse *m;

	snprintf(path, sizeof(path), "%s/missing", dir);
	m = vda_mouse_new(path, true);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "fake path missing: layout still fine");
	is_int(send_mouse(m, 1, 2, 0, 0), -ENOENT, "fake path missing: ENOENT, dropped");
	is_int(access(path, F_OK), -1, "fake path missing: not created");
	vda_mouse_free(m);
}

/* Fake mode on a regular file: records appended, also across reopen. */
static void test_fake_file(const char *dir)
{
	char path[PATH_MAX];
	struct vda_mouse *m;
	int fd, rfd;

	snprintf(path, sizeof(path), "%s/events", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	close(fd);
	m = vda_mouse_new(path, true);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "file: layout");
	send_one_write(m, 7, 8, 0, 1, "file: move");
	send_one_write(m, 7, 8, VDP_BUTTON_LEFT, 1, "file: press");
	vda_mouse_free(m);
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	EXPECT(rfd, "file holds the records",
	       { EV_ABS, ABS_X, 1031 }, { EV_ABS, ABS_Y, 108 }, SYN,
	       { EV_KEY, BTN_LEFT, 1 }, SYN);
	close(rfd);
}

/* ---- real uinput ------------------------------------------------------------ */

/* Find the evdev node of our device by name and make a node for it in dir. */
static int open_evdev(const char *dir, const char *name, int *max_x, int *max_y)
{
	DIR *d = opendir("/sys/class/input");
	struct dirent *e;
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		char p[PATH_MAX], buf[256] = "";
		unsigned int maj, min;
		FILE *f;

		if (strncmp(e->d_name, "event", 5) != 0)
			continue;
		snprintf(p, sizeof(p), "/sys/class/input/%s/device/name", e->d_name);
		f = fopen(p, "re");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		buf[strcspn(buf, "\n")] = 0;
		if (strcmp(buf, name) != 0)
			continue;
		snprintf(p, sizeof(p), "/sys/class/input/%s/dev", e->d_name);
		f = fopen(p, "re");
		if (!f)
			continue;
		if (fscanf(f, "%u:%u", &maj, &min) != 2) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
		if (mknod(p, S_IFCHR | 0600, makedev(maj, min)) < 0)
			continue;
		fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		unlink(p);
		if (fd >= 0) {
			struct input_absinfo ax, ay;

			if (ioctl(fd, EVIOCGABS(ABS_X), &ax) < 0 ||
			    ioctl(fd, EVIOCGABS(ABS_Y), &ay) < 0 ||
			    (max_x && ax.maximum != *max_x) || (max_y && ay.maximum != *max_y)) {
				close(fd);
				fd = -1;
			}
		}
	}
	closedir(d);
	return fd;
}

/* Read evdev events until a SYN_REPORT (the device delivers asynchronously). */
static size_t read_evdev_report(int fd, struct rec *out, size_t max)
{
	size_t n = 0;

	while (n < max) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct input_event ev;

		if (poll(&p, 1, 2000) <= 0)
			break;
		if (read(fd, &ev, sizeof(ev)) != sizeof(ev))
			break;
		out[n++] = (struct rec){ ev.type, ev.code, ev.value };
		if (ev.type == EV_SYN && ev.code == SYN_REPORT)
			break;
	}
	return n;
}

static void is_report(int fd, const struct rec *want, size_t n_want, const char *what)
{
	struct rec got[MAX_RECS];
	size_t n = read_evdev_report(fd, got, MAX_RECS);

	if (!ok(n == n_want && memcmp(got, want, n * sizeof(*got)) == 0, "%s", what)) {
		for (size_t i = 0; i < n; i++)
			diag("  got  %u %u %d", got[i].type, got[i].code, got[i].value);
	}
}

static void test_real(const char *dir)
{
	const char *path = "/dev/uinput";
	int probe = open(path, O_RDWR | O_CLOEXEC);
	struct vda_mouse *m;
	int evfd, mx = 1823, my = 767;

	if (probe < 0) {
		printf("ok %d # SKIP real uinput: cannot open %s: %s\n", ++tap_count,
		       path, strerror(errno));
		return;
	}
	close(probe);

	m = vda_mouse_new(path, false);
	is_int(vda_mouse_set_layout(m, &layout_two), 0, "real: device created");
	evfd = open_evdev(dir, "spice vdagent tablet", &mx, &my);
	if (!ok(evfd >= 0, "real: evdev node with range 0..1823 x 0..767")) {
		vda_mouse_free(m);
		return;
	}
	is_int(send_mouse(m, 5, 6, VDP_BUTTON_LEFT, 1), 0, "real: move + press");
	{
		static const struct rec w[] = {
			{ EV_ABS, ABS_X, 1029 }, { EV_ABS, ABS_Y, 106 },
			{ EV_KEY, BTN_LEFT, 1 }, SYN,
		};
		is_report(evfd, w, ARRAY_LENGTH(w), "real: evdev sees the desktop position and the key");
	}
	is_int(send_mouse(m, 5, 6, VDP_BUTTON_UP, 1), 0, "real: wheel + release");
	{
		static const struct rec w[] = {
			{ EV_KEY, BTN_LEFT, 0 }, { EV_REL, REL_WHEEL, 1 }, SYN,
		};
		is_report(evfd, w, ARRAY_LENGTH(w), "real: evdev sees release and wheel");
	}
	close(evfd);

	{
		static const struct vdp_ipc_screen_layout l = {
			.width = 640, .height = 480, .count = 1,
			.displays = { { .display_id = 0, .width = 640, .height = 480 } },
		};
		int nx = 639, ny = 479;

		is_int(vda_mouse_set_layout(m, &l), 0, "real: resized");
		evfd = open_evdev(dir, "spice vdagent tablet", &nx, &ny);
		ok(evfd >= 0, "real: re-created with range 0..639 x 0..479");
		mx = 1823;
		my = 767;
		int old = open_evdev(dir, "spice vdagent tablet", &mx, &my);
		is_int(old, -1, "real: the old device is gone");
		if (old >= 0)
			close(old);
		if (evfd >= 0) {
			static const struct rec w[] = {
				{ EV_ABS, ABS_X, 639 }, { EV_ABS, ABS_Y, 10 }, SYN,
			};
			is_int(send_mouse(m, 5000, 10, 0, 0), 0, "real: clamped move");
			is_report(evfd, w, ARRAY_LENGTH(w), "real: evdev sees the clamped position");
			close(evfd);
		}
	}
	vda_mouse_free(m);
}

int main(void)
{
	char dir[] = "/tmp/test-mouse-XXXXXX";
	char fifo[PATH_MAX];

	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	if (mkfifo(fifo, 0600) < 0) {
		perror("mkfifo");
		return 1;
	}

	test_fake_events(fifo);
	test_invalid_layouts(fifo);
	test_fake_reader_gone(fifo);
	test_fake_burst(fifo);
	test_fake_stopped_reader(fifo);
	test_partial_writes(dir);
	test_fake_missing(dir);
	test_fake_file(dir);
	test_real(dir);

	unlink(fifo);
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/events", dir);
		unlink(p);
	}
	rmdir(dir);
	return tap_done();
}
