/* SPDX-License-Identifier: MIT */
/*
 * The "Windows application" of tests/bench/bench-windows.py, run under wine.
 * It reads one command a line on stdin and answers on stdout (flushed):
 *   ping            -> pong
 *   seq             -> seq N           GetClipboardSequenceNumber()
 *   get             -> got WCHARS US   CF_UNICODETEXT in hand (US: micro-
 *                                      seconds from the command to GlobalLock)
 *                   -> sum BYTES CRC   its UTF-8 length and CRC-32 (hex)
 *                      (got -1 ... when there is no text)
 *   set PATH        -> set US          PATH's UTF-8 text put on the clipboard
 *                                      as CF_UNICODETEXT (US: open to close)
 *   cursor X Y      -> armed, then cur US once GetCursorPos() == (X, Y)
 *                      (polled every 1 ms; cur -1 after 10 s); meanwhile,
 *                      when started as "wbench-helper hook", its low-level
 *                      mouse hook prints "hook" when it sees a move to (X, Y)
 *                      (with such a hook installed, wine 8 does not move the
 *                      X pointer for another process's SendInput)
 *   send X Y        -> sent US         SendInput() of an absolute move
 *   empty           -> empty           the clipboard emptied
 *   quit
 * Built by bench-windows.py with x86_64-w64-mingw32-gcc; not installed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static CRITICAL_SECTION out_lock;
static LARGE_INTEGER qpf;
static volatile LONG want_x = -100000, want_y = -100000;
static volatile LONG hook_armed;

static void say(const char *fmt, ...)
{
	va_list ap;

	EnterCriticalSection(&out_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	LeaveCriticalSection(&out_lock);
}

static long long now_us(void)
{
	LARGE_INTEGER c;

	QueryPerformanceCounter(&c);
	return (long long)(c.QuadPart * 1000000.0 / qpf.QuadPart);
}

static unsigned long crc_table[256];

static void crc_init(void)
{
	for (unsigned long n = 0; n < 256; n++) {
		unsigned long c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320UL ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static unsigned long crc32_of(const unsigned char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;

	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffUL;
}

static BOOL open_clipboard(void)
{
	for (int i = 0; i < 2000; i++) {
		if (OpenClipboard(NULL))
			return TRUE;
		Sleep(5);
	}
	return FALSE;
}

static void cmd_get(void)
{
	long long t0 = now_us();
	HANDLE h;
	const WCHAR *w;
	size_t n;

	if (!open_clipboard()) {
		say("got -1 0");
		return;
	}
	h = GetClipboardData(CF_UNICODETEXT);
	w = h ? GlobalLock(h) : NULL;
	if (!w) {
		CloseClipboard();
		say("got -1 %lld", now_us() - t0);
		return;
	}
	n = wcslen(w);
	say("got %lu %lld", (unsigned long)n, now_us() - t0);
	{
		int len = WideCharToMultiByte(CP_UTF8, 0, w, (int)n, NULL, 0,
					      NULL, NULL);
		unsigned char *u = malloc(len > 0 ? len : 1);

		WideCharToMultiByte(CP_UTF8, 0, w, (int)n, (char *)u, len,
				    NULL, NULL);
		GlobalUnlock(h);
		CloseClipboard();
		say("sum %d %08lx", len, crc32_of(u, len > 0 ? len : 0));
		free(u);
	}
}

static void cmd_set(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;
	int wn;
	HGLOBAL g;
	WCHAR *w;
	long long t0;

	if (!f) {
		say("set -1");
		return;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(size + 1);
	if (fread(buf, 1, size, f) != (size_t)size) {
		fclose(f);
		free(buf);
		say("set -1");
		return;
	}
	fclose(f);
	wn = MultiByteToWideChar(CP_UTF8, 0, buf, (int)size, NULL, 0);
	g = GlobalAlloc(GMEM_MOVEABLE, (wn + 1) * sizeof(WCHAR));
	w = GlobalLock(g);
	MultiByteToWideChar(CP_UTF8, 0, buf, (int)size, w, wn);
	w[wn] = 0;
	GlobalUnlock(g);
	free(buf);
	t0 = now_us();
	if (!open_clipboard()) {
		GlobalFree(g);
		say("set -1");
		return;
	}
	EmptyClipboard();
	SetClipboardData(CF_UNICODETEXT, g);
	CloseClipboard();
	say("set %lld", now_us() - t0);
}

static void cmd_cursor(LONG x, LONG y)
{
	long long t0;
	POINT p;

	InterlockedExchange(&want_x, x);
	InterlockedExchange(&want_y, y);
	InterlockedExchange(&hook_armed, 1);
	say("armed");
	t0 = now_us();
	while (now_us() - t0 < 10000000) {
		if (GetCursorPos(&p) && p.x == x && p.y == y) {
			say("cur %lld", now_us() - t0);
			return;
		}
		Sleep(1);
	}
	say("cur -1");
}

static void cmd_send(LONG x, LONG y)
{
	INPUT in;
	int w = GetSystemMetrics(SM_CXSCREEN), h = GetSystemMetrics(SM_CYSCREEN);
	long long t0;

	memset(&in, 0, sizeof(in));
	in.type = INPUT_MOUSE;
	in.mi.dx = (LONG)((x * 65535LL + (w - 1) / 2) / (w > 1 ? w - 1 : 1));
	in.mi.dy = (LONG)((y * 65535LL + (h - 1) / 2) / (h > 1 ? h - 1 : 1));
	in.mi.dwFlags = MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE;
	t0 = now_us();
	SendInput(1, &in, sizeof(in));
	say("sent %lld", now_us() - t0);
}

static LRESULT CALLBACK mouse_hook(int code, WPARAM wp, LPARAM lp)
{
	const MSLLHOOKSTRUCT *m = (const MSLLHOOKSTRUCT *)lp;

	if (code == HC_ACTION && wp == WM_MOUSEMOVE && hook_armed &&
	    m->pt.x == want_x && m->pt.y == want_y) {
		InterlockedExchange(&hook_armed, 0);
		say("hook");
	}
	return CallNextHookEx(NULL, code, wp, lp);
}

static DWORD WINAPI hook_thread(LPVOID arg)
{
	MSG msg;

	(void)arg;
	if (!SetWindowsHookExW(WH_MOUSE_LL, mouse_hook, GetModuleHandleW(NULL),
			       0))
		return 1;
	while (GetMessageW(&msg, NULL, 0, 0) > 0)
		DispatchMessageW(&msg);
	return 0;
}

int main(int argc, char **argv)
{
	char line[4096];

	InitializeCriticalSection(&out_lock);
	QueryPerformanceFrequency(&qpf);
	crc_init();
	if (argc > 1 && !strcmp(argv[1], "hook"))
		CreateThread(NULL, 0, hook_thread, NULL, 0, NULL);
	say("ready");
	while (fgets(line, sizeof(line), stdin)) {
		long x, y;

		line[strcspn(line, "\r\n")] = 0;
		if (!strcmp(line, "ping"))
			say("pong");
		else if (!strcmp(line, "seq"))
			say("seq %lu", GetClipboardSequenceNumber());
		else if (!strcmp(line, "get"))
			cmd_get();
		else if (!strncmp(line, "set ", 4))
			cmd_set(line + 4);
		else if (sscanf(line, "cursor %ld %ld", &x, &y) == 2)
			cmd_cursor(x, y);
		else if (sscanf(line, "send %ld %ld", &x, &y) == 2)
			cmd_send(x, y);
		else if (!strcmp(line, "empty")) {
			if (open_clipboard()) {
				EmptyClipboard();
				CloseClipboard();
			}
			say("empty");
		} else if (!strcmp(line, "quit"))
			break;
		else
			say("error %s", line);
	}
	return 0;
}
