/* SPDX-License-Identifier: MIT */
/*
 * A test probe run under wine next to vdagent.exe: a low-level mouse hook
 * that prints every mouse event the session sees, one line each, flushed:
 *   ready
 *   down N / up N      N: 1 left, 2 middle, 3 right, 4 X1, 5 X2
 *   wheel D            D: the wheel delta (+120 away from the user)
 * Wine's SendInput moves the X pointer but keeps button events inside
 * wine, so the test observes clicks here rather than on the X server.
 */
#include <stdio.h>
#include <windows.h>

static void say(const char *what, long n)
{
	printf("%s %ld\n", what, n);
	fflush(stdout);
}

static LRESULT CALLBACK hook(int code, WPARAM wp, LPARAM lp)
{
	const MSLLHOOKSTRUCT *m = (const MSLLHOOKSTRUCT *)lp;

	if (code == HC_ACTION) {
		switch (wp) {
		case WM_LBUTTONDOWN: say("down", 1); break;
		case WM_LBUTTONUP: say("up", 1); break;
		case WM_MBUTTONDOWN: say("down", 2); break;
		case WM_MBUTTONUP: say("up", 2); break;
		case WM_RBUTTONDOWN: say("down", 3); break;
		case WM_RBUTTONUP: say("up", 3); break;
		case WM_XBUTTONDOWN:
			say("down", HIWORD(m->mouseData) == XBUTTON1 ? 4 : 5);
			break;
		case WM_XBUTTONUP:
			say("up", HIWORD(m->mouseData) == XBUTTON1 ? 4 : 5);
			break;
		case WM_MOUSEWHEEL:
			say("wheel", (short)HIWORD(m->mouseData));
			break;
		default:
			break;
		}
	}
	return CallNextHookEx(NULL, code, wp, lp);
}

int main(void)
{
	HHOOK h = SetWindowsHookExW(WH_MOUSE_LL, hook, GetModuleHandleW(NULL), 0);
	MSG msg;

	if (!h) {
		printf("error %lu\n", GetLastError());
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (GetMessageW(&msg, NULL, 0, 0) > 0)
		DispatchMessageW(&msg);
	UnhookWindowsHookEx(h);
	return 0;
}
