/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <windows.h>

#include "log.h"
#include "mouse-plan.h"
#include "mouse.h"
#include "vdp-util.h"

struct wa_mouse {
	struct wa_displays *displays;
	struct wa_mouse_track track;
	bool logged_failure; /* one SendInput failure line per streak */
};

struct wa_mouse *wa_mouse_new(struct wa_displays *d)
{
	struct wa_mouse *m = zalloc(sizeof(*m));

	if (m)
		m->displays = d;
	return m;
}

void wa_mouse_free(struct wa_mouse *m)
{
	free(m);
}

static DWORD button_flag(int button, bool down, DWORD *data)
{
	*data = 0;
	switch (button) {
	case WA_BUTTON_LEFT:
		return down ? MOUSEEVENTF_LEFTDOWN : MOUSEEVENTF_LEFTUP;
	case WA_BUTTON_MIDDLE:
		return down ? MOUSEEVENTF_MIDDLEDOWN : MOUSEEVENTF_MIDDLEUP;
	case WA_BUTTON_RIGHT:
		return down ? MOUSEEVENTF_RIGHTDOWN : MOUSEEVENTF_RIGHTUP;
	default:
		*data = button == WA_BUTTON_X1 ? XBUTTON1 : XBUTTON2;
		return down ? MOUSEEVENTF_XDOWN : MOUSEEVENTF_XUP;
	}
}

static void to_input(const struct wa_input_action *a, INPUT *in)
{
	MOUSEINPUT *mi = &in->mi;
	DWORD data = 0;

	*in = (INPUT){ .type = INPUT_MOUSE };
	switch (a->kind) {
	case WA_INPUT_MOVE:
		mi->dx = a->x;
		mi->dy = a->y;
		mi->dwFlags = MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE |
			      MOUSEEVENTF_VIRTUALDESK;
		break;
	case WA_INPUT_DOWN:
	case WA_INPUT_UP:
		mi->dwFlags = button_flag(a->button, a->kind == WA_INPUT_DOWN,
					  &data);
		mi->mouseData = data;
		break;
	case WA_INPUT_WHEEL:
		mi->dwFlags = MOUSEEVENTF_WHEEL;
		mi->mouseData = (DWORD)(a->steps * WHEEL_DELTA);
		break;
	}
}

static void send_actions(struct wa_mouse *m, const struct wa_input_action *a,
			 size_t n)
{
	INPUT in[WA_MOUSE_ACTIONS_MAX];
	UINT sent;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		to_input(&a[i], &in[i]);
	sent = SendInput((UINT)n, in, sizeof(INPUT));
	if (sent != n && !m->logged_failure) {
		/* e.g. the secure desktop (UAC, lock screen) is in front */
		wa_warning("mouse: SendInput took %u of %u events (error %lu)",
			   sent, (unsigned)n, GetLastError());
		m->logged_failure = true;
	} else if (sent == n) {
		m->logged_failure = false;
	}
}

int wa_mouse_handle(struct wa_mouse *m, const uint8_t *data, size_t size)
{
	struct wa_input_action actions[WA_MOUSE_ACTIONS_MAX];
	struct vdp_mouse_state st;
	struct wa_rect mon, desk;
	size_t n;
	int r;

	r = vdp_parse_mouse_state(data, size, &st);
	if (r < 0)
		return r;
	wa_displays_monitor_rect(m->displays, st.display_id, &mon);
	wa_displays_desktop_rect(m->displays, &desk);
	n = wa_mouse_plan(&m->track, &st, &mon, &desk, actions);
	wa_debug("mouse: %u,%u on display %u (%dx%d+%d+%d) buttons 0x%x: "
		 "%u events", st.x, st.y, st.display_id, mon.width, mon.height,
		 mon.x, mon.y, st.buttons, (unsigned)n);
	send_actions(m, actions, n);
	return 0;
}

void wa_mouse_client_disconnected(struct wa_mouse *m)
{
	struct wa_input_action actions[WA_MOUSE_ACTIONS_MAX];

	send_actions(m, actions, wa_mouse_plan_release(&m->track, actions));
	m->track.have_pos = false;
}
