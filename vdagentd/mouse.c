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

#include "mouse.h"
#include "uinput.h"
#include "vdp-util.h"
#include "vdp-wire.h"

struct vda_mouse {
	vda_mouse_log_func log_fn;
	void *log_user;
	struct vda_uinput *dev;
	bool dev_failing; /* the last write failed: log the recovery */

	bool have_layout;
	struct vdp_ipc_screen_layout layout;
	/* The size the device was set up for. */
	uint32_t width;
	uint32_t height;

	/* What the device was last told; pos_known is false on a fresh device. */
	bool pos_known;
	int32_t x;
	int32_t y;
	uint32_t buttons;

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

struct vda_mouse *vda_mouse_new(const char *path, bool fake)
{
	struct vda_mouse *m = zalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->dev = vda_uinput_new(path, fake);
	if (!m->dev) {
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
	vda_uinput_free(m->dev);
	free(m);
}

static void mouse_forget_state(struct vda_mouse *m)
{
	m->pos_known = false;
	m->buttons = 0;
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
	mouse_log(m, r == -ENXIO || r == -EAGAIN ? LOG_INFO : LOG_WARNING,
		  "mouse: %s device unusable, dropping events: %s",
		  vda_uinput_backend_name(m->dev), strerror(-r));
}

static void add_event(struct input_event *ev, size_t *n, uint16_t type,
		      uint16_t code, int32_t value)
{
	/* time stays zero: uinput stamps events itself, Xspice ignores it. */
	ev[*n] = (struct input_event){ .type = type, .code = code, .value = value };
	(*n)++;
}

/* The events for what changed since the device was last told, in one write. */
static int emit(struct vda_mouse *m, const struct vdp_mouse_state *s,
		int32_t x, int32_t y)
{
	struct input_event ev[MAX_EVENTS];
	size_t n = 0;
	int r;

	r = vda_uinput_open(m->dev);
	if (r < 0)
		return r;
	if (r > 0)
		mouse_forget_state(m);

	if (!m->pos_known || x != m->x)
		add_event(ev, &n, EV_ABS, ABS_X, x);
	if (!m->pos_known || y != m->y)
		add_event(ev, &n, EV_ABS, ABS_Y, y);
	for (size_t i = 0; i < ARRAY_LENGTH(mouse_buttons); i++) {
		uint32_t mask = mouse_buttons[i].mask;

		if ((s->buttons ^ m->buttons) & mask)
			add_event(ev, &n, EV_KEY, mouse_buttons[i].code,
				  !!(s->buttons & mask));
	}
	for (size_t i = 0; i < ARRAY_LENGTH(mouse_wheel); i++) {
		uint32_t mask = mouse_wheel[i].mask;

		if ((s->buttons & mask) && !(m->buttons & mask))
			add_event(ev, &n, EV_REL, REL_WHEEL, mouse_wheel[i].step);
	}
	if (n == 0) {
		/* A wheel release: nothing to send, but it must be remembered. */
		m->buttons = s->buttons;
		return 0;
	}
	add_event(ev, &n, EV_SYN, SYN_REPORT, 0);

	r = vda_uinput_write(m->dev, ev, n);
	if (r < 0)
		return r;
	if (m->dev_failing) {
		m->dev_failing = false;
		mouse_log(m, LOG_INFO, "mouse: %s device usable again",
			  vda_uinput_backend_name(m->dev));
	}
	m->pos_known = true;
	m->x = x;
	m->y = y;
	m->buttons = s->buttons;
	return 0;
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
