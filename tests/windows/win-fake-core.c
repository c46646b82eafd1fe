/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "win-fake-core.h"

#define FAKE_MSGS_MAX 4096

struct wa_agent {
	struct vdp_caps client;
	struct vdp_caps negotiated;
	HWND hwnd;
	fake_wndproc_fn wndproc;
	void *wndproc_user;
	void (*wait_hook)(void *user);
	void *wait_user;
	bool waiting;
	int send_error;
	struct fake_msg msgs[FAKE_MSGS_MAX];
	size_t count;
};

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wp,
				    LPARAM lp)
{
	struct wa_agent *a = (struct wa_agent *)GetWindowLongPtrW(hwnd,
								  GWLP_USERDATA);
	LRESULT result = 0;

	if (a && a->wndproc && a->wndproc(a->wndproc_user, msg, wp, lp, &result))
		return result;
	return DefWindowProcW(hwnd, msg, wp, lp);
}

struct wa_agent *fake_core_new(void)
{
	static const wchar_t cls_name[] = L"wa-fake-core";
	WNDCLASSW cls = {
		.lpfnWndProc = window_proc,
		.hInstance = GetModuleHandleW(NULL),
		.lpszClassName = cls_name,
	};
	struct wa_agent *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	RegisterClassW(&cls); /* fails harmlessly when registered already */
	a->hwnd = CreateWindowExW(0, cls_name, L"", 0, 0, 0, 0, 0,
				  HWND_MESSAGE, NULL, cls.hInstance, NULL);
	if (!a->hwnd) {
		free(a);
		return NULL;
	}
	SetWindowLongPtrW(a->hwnd, GWLP_USERDATA, (LONG_PTR)a);
	return a;
}

void fake_core_clear(struct wa_agent *a)
{
	for (size_t i = 0; i < a->count; i++)
		free(a->msgs[i].data);
	a->count = 0;
}

void fake_core_free(struct wa_agent *a)
{
	if (!a)
		return;
	fake_core_clear(a);
	DestroyWindow(a->hwnd);
	free(a);
}

void fake_core_set_client_caps(struct wa_agent *a, const unsigned *caps,
			       size_t n)
{
	vdp_caps_clear_all(&a->client);
	for (size_t i = 0; i < n; i++)
		vdp_caps_set(&a->client, caps[i]);
	a->negotiated = a->client;
}

void fake_core_set_wndproc(struct wa_agent *a, fake_wndproc_fn fn,
			   void *user)
{
	a->wndproc = fn;
	a->wndproc_user = user;
}

void fake_core_set_wait_hook(struct wa_agent *a, void (*hook)(void *user),
			     void *user)
{
	a->wait_hook = hook;
	a->wait_user = user;
}

void fake_core_set_send_error(struct wa_agent *a, int err)
{
	a->send_error = err;
}

size_t fake_core_count(const struct wa_agent *a)
{
	return a->count;
}

const struct fake_msg *fake_core_msg(const struct wa_agent *a, size_t i)
{
	return i < a->count ? &a->msgs[i] : NULL;
}

const struct fake_msg *fake_core_last(const struct wa_agent *a)
{
	return a->count ? &a->msgs[a->count - 1] : NULL;
}

void fake_core_pump(void)
{
	MSG m;

	while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
		TranslateMessage(&m);
		DispatchMessageW(&m);
	}
}

/* ---- agent.h ------------------------------------------------------------- */

int wa_agent_send(struct wa_agent *a, uint32_t type, const void *head,
		  size_t head_len, const void *data, size_t data_len)
{
	if (a->send_error)
		return a->send_error;
	if (a->count == FAKE_MSGS_MAX)
		return -E2BIG;
	struct fake_msg *m = &a->msgs[a->count];
	m->data = malloc(head_len + data_len + 1);
	if (!m->data)
		return -ENOMEM;
	if (head_len)
		memcpy(m->data, head, head_len);
	if (data_len)
		memcpy(m->data + head_len, data, data_len);
	m->type = type;
	m->size = head_len + data_len;
	a->count++;
	return 0;
}

const struct vdp_caps *wa_agent_client_caps(const struct wa_agent *a)
{
	return &a->client;
}

const struct vdp_caps *wa_agent_negotiated(const struct wa_agent *a)
{
	return &a->negotiated;
}

HWND wa_agent_hwnd(const struct wa_agent *a)
{
	return a->hwnd;
}

int wa_agent_wait(struct wa_agent *a, bool (*done)(void *user), void *user,
		  DWORD timeout_ms)
{
	if (a->waiting)
		return -EBUSY;
	if (done(user))
		return 0;
	if (a->wait_hook) {
		a->waiting = true;
		a->wait_hook(a->wait_user);
		a->waiting = false;
	}
	return done(user) ? 0 : -ETIMEDOUT;
}
