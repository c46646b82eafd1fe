/* SPDX-License-Identifier: MIT */
/*
 * Client mouse mode: a MOUSE_STATE (position relative to one display, the
 * button mask) becomes the input events for what changed since the previous
 * state, in desktop pixels, followed by SYN_REPORT, in one write().
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "mouse-queue.h"
#include "mouse.h"
#include "uinput.h"
#include "vdp-util.h"
#include "vdp-wire.h"

/* What a device has been told: EV_KEY buttons, and the wheel "buttons"
 * held (they send one step when pressed). */
struct pointer_state {
	bool have_x;
	bool have_y;
	int32_t x;
	int32_t y;
	uint32_t buttons;
};

struct vda_mouse {
	vda_mouse_log_func log_fn;
	void *log_user;
	vda_mouse_wait_func wait_fn;
	void *wait_user;
	int wait_fd; /* what wait_fn was last told */
	struct vda_uinput *dev;
	bool dev_failing; /* the device failed or stalled: log the recovery */

	bool have_layout;
	struct vdp_ipc_screen_layout layout;
	/* The size the device was set up for. */
	uint32_t width;
	uint32_t height;

	/*
	 * sent: what the device will have seen once the queue is written, the
	 * state the next message is compared with (all unknown on a fresh
	 * device).  taken: what it has taken so far.  queue: the frames in
	 * between, while the device (a FIFO with a slow reader) takes nothing.
	 */
	struct pointer_state sent;
	struct pointer_state taken;
	struct vda_evq *queue;
	struct timespec stall_since; /* when the queue last became non-empty */
	bool stall_logged;

	/*
	 * The newest message for a display the layout does not have (yet):
	 * the client can know a display before the agent has reported the new
	 * layout, and sends a position once when the pointer enters it; it is
	 * applied when a layout with that display arrives instead of lost.
	 */
	bool have_pending;
	struct vdp_mouse_state pending;
};

static const struct {
	uint32_t mask;
	uint16_t code;
} mouse_buttons[] = {
	{ VDP_BUTTON_LEFT, BTN_LEFT },
	{ VDP_BUTTON_MIDDLE, BTN_MIDDLE },
	{ VDP_BUTTON_RIGHT, BTN_RIGHT },
	{ VDP_BUTTON_SIDE, BTN_SIDE },
	{ VDP_BUTTON_EXTRA, BTN_EXTRA },
};

/* The wheel: one REL_WHEEL step when the "button" goes down, nothing on release. */
static const struct {
	uint32_t mask;
	int32_t step;
} mouse_wheel[] = {
	{ VDP_BUTTON_UP, 1 },
	{ VDP_BUTTON_DOWN, -1 },
};

/* ABS_X, ABS_Y, the buttons, the wheel, SYN_REPORT. */
#define MAX_EVENTS (2 + ARRAY_LENGTH(mouse_buttons) + ARRAY_LENGTH(mouse_wheel) + 1)

#define WHEEL_MASK (VDP_BUTTON_UP | VDP_BUTTON_DOWN)

/* A device that has taken nothing for this long is reported as stalled. */
#define STALL_REPORT_MS 1000

__attribute__((format(printf, 3, 0))) static void
syslog_log(void *user, int priority, const char *fmt, va_list ap)
{
	if (priority < LOG_DEBUG)
		vsyslog(priority, fmt, ap);
}

__attribute__((format(printf, 3, 4))) static void
mouse_log(const struct vda_mouse *m, int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	m->log_fn(m->log_user, priority, fmt, ap);
	va_end(ap);
}

void vda_mouse_set_log(struct vda_mouse *m, vda_mouse_log_func fn, void *user)
{
	m->log_fn = fn ? fn : syslog_log;
	m->log_user = fn ? user : NULL;
}

void vda_mouse_set_wait(struct vda_mouse *m, vda_mouse_wait_func fn,
			void *user)
{
	m->wait_fn = fn;
	m->wait_user = user;
}

static void set_wait(struct vda_mouse *m, int fd)
{
	if (m->wait_fd == fd)
		return;
	m->wait_fd = fd;
	if (m->wait_fn)
		m->wait_fn(m->wait_user, fd);
}

struct vda_mouse *vda_mouse_new(const char *path, bool fake)
{
	struct vda_mouse *m = zalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->wait_fd = -1;
	m->dev = vda_uinput_new(path, fake);
	m->queue = vda_evq_new();
	if (!m->dev || !m->queue) {
		vda_uinput_free(m->dev);
		vda_evq_free(m->queue);
		free(m);
		return NULL;
	}
	vda_mouse_set_log(m, NULL, NULL);
	return m;
}

void vda_mouse_free(struct vda_mouse *m)
{
	if (!m)
		return;
	set_wait(m, -1);
	vda_evq_free(m->queue);
	vda_uinput_free(m->dev);
	free(m);
}

static void mouse_forget_state(struct vda_mouse *m)
{
	m->sent = (struct pointer_state){ .buttons = 0 };
	m->taken = m->sent;
}

/* The device is new or gone: what was queued for it is moot. */
static void mouse_drop_queue(struct vda_mouse *m)
{
	vda_evq_clear(m->queue);
	m->stall_logged = false;
	set_wait(m, -1);
}

static const struct vdp_ipc_display *find_display(const struct vda_mouse *m,
						  uint32_t id);

/* The IPC parser checked this already; the device depends on it, so again. */
static bool layout_valid(const struct vdp_ipc_screen_layout *l)
{
	return l->width > 0 && l->height > 0 &&
	       l->width <= VDP_IPC_MAX_DIMENSION &&
	       l->height <= VDP_IPC_MAX_DIMENSION &&
	       l->count <= VDP_IPC_MAX_DISPLAYS;
}

int vda_mouse_set_layout(struct vda_mouse *m,
			 const struct vdp_ipc_screen_layout *layout)
{
	int r;

	if (!layout) {
		m->have_layout = false;
		m->have_pending = false;
		return 0;
	}
	if (!layout_valid(layout)) {
		mouse_log(m, LOG_WARNING,
			  "mouse: invalid layout %ux%u with %u displays ignored",
			  layout->width, layout->height, layout->count);
		return -EINVAL;
	}

	mouse_log(m, LOG_DEBUG, "mouse: desktop %ux%u, %u displays",
		  layout->width, layout->height, layout->count);
	for (uint32_t i = 0; i < layout->count; i++) {
		const struct vdp_ipc_display *d = &layout->displays[i];

		mouse_log(m, LOG_DEBUG, "mouse:   display %u: %ux%u%+d%+d",
			  d->display_id, d->width, d->height, d->x, d->y);
	}

	m->have_layout = true;
	m->layout = *layout;
	if (m->width != layout->width || m->height != layout->height) {
		m->width = layout->width;
		m->height = layout->height;
		mouse_forget_state(m);
		r = vda_uinput_set_size(m->dev, m->width, m->height);
		if (r != 0)
			mouse_drop_queue(m);
		if (r < 0) {
			mouse_log(m, LOG_ERR,
				  "mouse: cannot create the %s device for %ux%u: %s",
				  vda_uinput_backend_name(m->dev), m->width,
				  m->height, strerror(-r));
			m->dev_failing = true;
			return r;
		}
	}
	if (m->have_pending && find_display(m, m->pending.display_id)) {
		struct vdp_mouse_state s = m->pending;

		mouse_log(m, LOG_DEBUG,
			  "mouse: display %u arrived: applying its kept event",
			  s.display_id);
		m->have_pending = false;
		vda_mouse_handle(m, &s);
	}
	return 0;
}

static const struct vdp_ipc_display *find_display(const struct vda_mouse *m,
						  uint32_t id)
{
	for (uint32_t i = 0; i < m->layout.count; i++)
		if (m->layout.displays[i].display_id == id)
			return &m->layout.displays[i];
	return NULL;
}

static int32_t clamp_axis(int64_t v, uint32_t size)
{
	if (v < 0)
		return 0;
	if (v >= (int64_t)size)
		return (int32_t)size - 1;
	return (int32_t)v;
}

static void device_error(struct vda_mouse *m, int r)
{
	if (m->dev_failing)
		return;
	m->dev_failing = true;
	/* A FIFO without reader is expected while Xspice is not up yet. */
	mouse_log(m, r == -ENXIO ? LOG_INFO : LOG_WARNING,
		  "mouse: %s device unusable, dropping events: %s",
		  vda_uinput_backend_name(m->dev), strerror(-r));
}

static int64_t ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	       (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* Said once per stall, when it lasts or fills the queue. */
static void report_stall(struct vda_mouse *m, const char *why)
{
	if (m->stall_logged)
		return;
	m->stall_logged = true;
	m->dev_failing = true;
	mouse_log(m, LOG_WARNING,
		  "mouse: the %s device is not accepting events (%s); "
		  "keeping them for when it does",
		  vda_uinput_backend_name(m->dev), why);
}

static void check_stall(struct vda_mouse *m)
{
	if (ms_since(&m->stall_since) >= STALL_REPORT_MS)
		report_stall(m, "nothing taken for a second");
}

static void add_event(struct input_event *ev, size_t *n, uint16_t type,
		      uint16_t code, int32_t value)
{
	/* time stays zero: uinput stamps events itself, Xspice ignores it. */
	ev[*n] = (struct input_event){ .type = type, .code = code, .value = value };
	(*n)++;
}

/* The events that take a device from one state to another, SYN_REPORT
 * last; 0 when there is nothing to send. */
static size_t build_frame(const struct pointer_state *from,
			  const struct pointer_state *to,
			  struct input_event ev[MAX_EVENTS])
{
	size_t n = 0;

	if (!from->have_x || to->x != from->x)
		add_event(ev, &n, EV_ABS, ABS_X, to->x);
	if (!from->have_y || to->y != from->y)
		add_event(ev, &n, EV_ABS, ABS_Y, to->y);
	for (size_t i = 0; i < ARRAY_LENGTH(mouse_buttons); i++) {
		uint32_t mask = mouse_buttons[i].mask;

		if ((to->buttons ^ from->buttons) & mask)
			add_event(ev, &n, EV_KEY, mouse_buttons[i].code,
				  !!(to->buttons & mask));
	}
	for (size_t i = 0; i < ARRAY_LENGTH(mouse_wheel); i++) {
		uint32_t mask = mouse_wheel[i].mask;

		if ((to->buttons & mask) && !(from->buttons & mask))
			add_event(ev, &n, EV_REL, REL_WHEEL, mouse_wheel[i].step);
	}
	if (n > 0)
		add_event(ev, &n, EV_SYN, SYN_REPORT, 0);
	return n;
}

/* What an event tells the device (the wheel leaves no state). */
static void apply_event(void *user, const struct input_event *e)
{
	struct pointer_state *p = user;

	if (e->type == EV_ABS && e->code == ABS_X) {
		p->have_x = true;
		p->x = e->value;
	} else if (e->type == EV_ABS && e->code == ABS_Y) {
		p->have_y = true;
		p->y = e->value;
	} else if (e->type == EV_KEY) {
		for (size_t i = 0; i < ARRAY_LENGTH(mouse_buttons); i++) {
			if (mouse_buttons[i].code != e->code)
				continue;
			if (e->value)
				p->buttons |= mouse_buttons[i].mask;
			else
				p->buttons &= ~mouse_buttons[i].mask;
		}
	}
}

static void on_taken(void *user, const struct input_event *e)
{
	struct vda_mouse *m = user;

	apply_event(&m->taken, e);
}

/*
 * A full queue: the device has not read for a long time.  Keep the frame it
 * is in the middle of, and replace the rest with the way from there to the
 * newest state: the intermediate clicks and wheel steps are what a stuck
 * reader costs, never a stuck button or a wrong final position.
 */
static int fold_queue(struct vda_mouse *m, const struct pointer_state *to)
{
	struct pointer_state base = m->taken;
	struct input_event ev[MAX_EVENTS];
	size_t n;

	report_stall(m, "its queue is full");
	vda_evq_fold(m->queue, apply_event, &base);
	base.buttons = (base.buttons & ~WHEEL_MASK) | (to->buttons & WHEEL_MASK);
	n = build_frame(&base, to, ev);
	return n > 0 ? vda_evq_push(m->queue, ev, n) : 0;
}

/* Write what the queue holds; wait for the device when it takes nothing. */
static int mouse_flush(struct vda_mouse *m)
{
	ssize_t w = vda_evq_write(m->queue, m->dev, on_taken, m);

	if (w < 0) {
		/* the device was closed: a fresh one gets the full state */
		mouse_forget_state(m);
		mouse_drop_queue(m);
		return (int)w;
	}
	if (!vda_evq_empty(m->queue)) {
		if (m->wait_fd < 0) {
			clock_gettime(CLOCK_MONOTONIC, &m->stall_since);
			mouse_log(m, LOG_DEBUG,
				  "mouse: device busy, %zu events kept",
				  vda_evq_length(m->queue));
		} else {
			check_stall(m);
		}
		set_wait(m, vda_uinput_fd(m->dev));
		return 0;
	}
	set_wait(m, -1);
	m->stall_logged = false;
	if (m->dev_failing) {
		m->dev_failing = false;
		mouse_log(m, LOG_INFO, "mouse: %s device usable again",
			  vda_uinput_backend_name(m->dev));
	}
	return 0;
}

int vda_mouse_flush(struct vda_mouse *m)
{
	int r = mouse_flush(m);

	if (r < 0)
		device_error(m, r);
	return r;
}

/* Queue the events for what changed since the device was last told, and
 * write them: one write() when nothing is waiting. */
static int emit(struct vda_mouse *m, const struct vdp_mouse_state *s,
		int32_t x, int32_t y)
{
	struct pointer_state to = {
		.have_x = true, .have_y = true, .x = x, .y = y,
		.buttons = s->buttons,
	};
	struct input_event ev[MAX_EVENTS];
	size_t n;
	int r;

	r = vda_uinput_open(m->dev);
	if (r < 0)
		return r;
	if (r > 0) {
		mouse_forget_state(m);
		mouse_drop_queue(m);
	}

	n = build_frame(&m->sent, &to, ev);
	if (n == 0) {
		/* A wheel release: nothing to send, but it must be remembered. */
		m->sent.buttons = s->buttons;
		return 0;
	}
	r = vda_evq_push(m->queue, ev, n);
	if (r == -ENOSPC)
		r = fold_queue(m, &to);
	if (r < 0)
		return r;
	m->sent = to;
	if (m->wait_fd >= 0) {
		/* vda_mouse_flush() writes when the device has room */
		check_stall(m);
		return 0;
	}
	return mouse_flush(m);
}

int vda_mouse_handle(struct vda_mouse *m, const struct vdp_mouse_state *s)
{
	const struct vdp_ipc_display *d;
	int32_t x, y;
	int r;

	if (!m->have_layout) {
		mouse_log(m, LOG_DEBUG, "mouse: no screen layout yet, event dropped");
		return -ENOENT;
	}
	d = find_display(m, s->display_id);
	if (!d) {
		mouse_log(m, LOG_DEBUG,
			  "mouse: event for unknown display %u kept for the next layout",
			  s->display_id);
		m->have_pending = true;
		m->pending = *s;
		return -ENOENT;
	}
	m->have_pending = false;
	x = clamp_axis((int64_t)d->x + s->x, m->width);
	y = clamp_axis((int64_t)d->y + s->y, m->height);

	r = emit(m, s, x, y);
	if (r < 0)
		device_error(m, r);
	return r;
}
