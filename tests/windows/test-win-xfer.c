/* SPDX-License-Identifier: MIT */
/*
 * The Windows agent's file transfer (windows/vdagent/file-xfer*.c) against
 * a fake core, on the real file system (run under wine): what reaches the
 * folder, what the client is told, and that nothing partial stays behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wtsapi32.h>

#include "file-xfer-disk.h"
#include "file-xfer-state.h"
#include "file-xfer.h"
#include "tap.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "win-fake-core.h"

static char dir[MAX_PATH];
static struct wa_agent *core;

static const unsigned detailed_caps[] = { VDP_CAP_FILE_XFER_DETAILED_ERRORS };

static int start(struct wa_xfer *x, uint32_t id, const char *name,
		 uint64_t size)
{
	uint8_t buf[2048];
	int n = vdp_build_xfer_start(buf, sizeof(buf), id, name, size);
	if (n < 0)
		return n;
	return wa_xfer_handle(x, VDP_MSG_FILE_XFER_START, buf, (size_t)n);
}

static int data(struct wa_xfer *x, uint32_t id, const void *bytes,
		size_t len)
{
	uint8_t *buf = malloc(VDP_BUILD_SMALL_MAX + len);
	int n = vdp_build_xfer_data_header(buf, VDP_BUILD_SMALL_MAX, id, len);
	memcpy(buf + n, bytes, len);
	int r = wa_xfer_handle(x, VDP_MSG_FILE_XFER_DATA, buf, (size_t)n + len);
	free(buf);
	return r;
}

static int client_status(struct wa_xfer *x, uint32_t id, uint32_t result)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	struct vdp_xfer_status_msg s = { .id = id, .result = result };
	int n = vdp_build_xfer_status(buf, sizeof(buf), &s);
	return wa_xfer_handle(x, VDP_MSG_FILE_XFER_STATUS, buf, (size_t)n);
}

/* The last status sent, parsed; result UINT32_MAX when none. */
static struct vdp_xfer_status_msg last_status(void)
{
	struct vdp_xfer_status_msg s = { .result = UINT32_MAX };
	const struct fake_msg *m = fake_core_last(core);

	if (m && m->type == VDP_MSG_FILE_XFER_STATUS)
		vdp_parse_xfer_status(m->data, m->size, &s);
	return s;
}

static bool last_is(uint32_t id, uint32_t result)
{
	struct vdp_xfer_status_msg s = last_status();
	if (s.id == id && s.result == result)
		return true;
	diag("  last status: id %u result %u (%s)", (unsigned)s.id,
	     (unsigned)s.result, vdp_xfer_status_name(s.result));
	return false;
}

/* Read dir\name into a malloc'd buffer; NULL when missing. */
static uint8_t *slurp(const char *name, size_t *len)
{
	char path[MAX_PATH * 2];
	wchar_t wpath[MAX_PATH * 2];
	snprintf(path, sizeof(path), "%s\\%s", dir, name);
	/* names are UTF-8: not the ANSI code page of fopen() */
	if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, MAX_PATH * 2))
		return NULL;
	FILE *f = _wfopen(wpath, L"rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

static bool file_is(const char *name, const void *want, size_t want_len)
{
	size_t len = 0;
	uint8_t *b = slurp(name, &len);
	bool same = b && len == want_len && memcmp(b, want, len) == 0;
	if (!b)
		diag("  %s missing", name);
	free(b);
	return same;
}

/* Files in dir whose name starts with prefix ("" for all). */
static unsigned count_files(const char *prefix)
{
	char pattern[MAX_PATH * 2];
	WIN32_FIND_DATAA fd;
	unsigned n = 0;

	snprintf(pattern, sizeof(pattern), "%s\\%s*", dir, prefix);
	HANDLE h = FindFirstFileA(pattern, &fd);
	if (h == INVALID_HANDLE_VALUE)
		return 0;
	do {
		if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
			n++;
	} while (FindNextFileA(h, &fd));
	FindClose(h);
	return n;
}

static void make_dir(void)
{
	char tmp[MAX_PATH];
	GetTempPathA(sizeof(tmp), tmp);
	snprintf(dir, sizeof(dir), "%swa-xfer-%lu", tmp,
		 (unsigned long)GetCurrentProcessId());
}

static void remove_dir(void)
{
	char pattern[MAX_PATH * 2], path[MAX_PATH * 2];
	WIN32_FIND_DATAA fd;

	snprintf(pattern, sizeof(pattern), "%s\\*", dir);
	HANDLE h = FindFirstFileA(pattern, &fd);
	if (h != INVALID_HANDLE_VALUE) {
		do {
			snprintf(path, sizeof(path), "%s\\%s", dir, fd.cFileName);
			SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL);
			DeleteFileA(path);
		} while (FindNextFileA(h, &fd));
		FindClose(h);
	}
	RemoveDirectoryA(dir);
}

static void test_state_machine(void)
{
	struct wa_xfer_step s;

	s = wa_xfer_transition(WA_XFER_NEW, WA_XFER_EV_OPENED);
	ok(s.valid && s.next == WA_XFER_RECEIVING &&
		   s.status == VDP_XFER_STATUS_CAN_SEND_DATA && !s.remove_file,
	   "state: new --opened--> receiving, CAN_SEND_DATA");
	s = wa_xfer_transition(WA_XFER_RECEIVING, WA_XFER_EV_SAVED);
	ok(s.valid && s.next == WA_XFER_DONE &&
		   s.status == VDP_XFER_STATUS_SUCCESS && !s.remove_file,
	   "state: receiving --saved--> done, SUCCESS");
	s = wa_xfer_transition(WA_XFER_RECEIVING, WA_XFER_EV_FAILED);
	ok(s.valid && s.next == WA_XFER_DONE &&
		   s.status == VDP_XFER_STATUS_ERROR && s.remove_file,
	   "state: receiving --failed--> done, ERROR, file removed");
	s = wa_xfer_transition(WA_XFER_RECEIVING, WA_XFER_EV_CANCELLED);
	ok(s.valid && s.next == WA_XFER_DONE && s.status == -1 && s.remove_file,
	   "state: receiving --cancelled--> done, silent, file removed");
	s = wa_xfer_transition(WA_XFER_NEW, WA_XFER_EV_SAVED);
	ok(!s.valid && s.next == WA_XFER_NEW, "state: saved before opened: no");
	s = wa_xfer_transition(WA_XFER_RECEIVING, WA_XFER_EV_OPENED);
	ok(!s.valid, "state: opened twice: no");
	s = wa_xfer_transition(WA_XFER_DONE, WA_XFER_EV_CANCELLED);
	ok(!s.valid, "state: nothing leaves done");

	is_int(wa_xfer_gio_error(-ENOSPC), 12, "gio: ENOSPC -> NO_SPACE");
	is_int(wa_xfer_gio_error(-EACCES), 14, "gio: EACCES -> PERMISSION_DENIED");
	is_int(wa_xfer_gio_error(-EMFILE), 31, "gio: EMFILE -> TOO_MANY_OPEN_FILES");
	is_int(wa_xfer_gio_error(-EEXIST), 2, "gio: EEXIST -> EXISTS");
	is_int(wa_xfer_gio_error(-EIO), 0, "gio: EIO -> FAILED");
}

static void test_transfers(void)
{
	struct wa_xfer *x = wa_xfer_new(core, dir);
	static const char hello[] = "hello, windows";
	const size_t hlen = sizeof(hello) - 1;

	ok(x != NULL, "wa_xfer_new on a new folder");
	is_int(start(x, 1, "hello.txt", hlen), 0, "START accepted");
	ok(last_is(1, VDP_XFER_STATUS_CAN_SEND_DATA), "CAN_SEND_DATA");
	ok(GetFileAttributesA(dir) & FILE_ATTRIBUTE_DIRECTORY,
	   "the folder was created");
	is_int(count_files(".vdagent-xfer-"), 1, "a temporary file exists");
	is_int(count_files("hello"), 0, "no final file yet");
	data(x, 1, hello, 5);
	size_t before = fake_core_count(core);
	data(x, 1, hello + 5, hlen - 5);
	ok(last_is(1, VDP_XFER_STATUS_SUCCESS), "SUCCESS after the last byte");
	is_int(fake_core_count(core), before + 1, "one status for the data");
	ok(file_is("hello.txt", hello, hlen), "hello.txt holds the bytes");
	is_int(count_files(".vdagent-xfer-"), 0, "no temporary file left");
	DWORD attr;
	char path[MAX_PATH * 2];
	snprintf(path, sizeof(path), "%s\\hello.txt", dir);
	attr = GetFileAttributesA(path);
	ok(attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_HIDDEN),
	   "the saved file is not hidden");

	/* the same name twice more: numbered, nothing replaced */
	start(x, 2, "hello.txt", 3);
	data(x, 2, "two", 3);
	ok(last_is(2, VDP_XFER_STATUS_SUCCESS), "same name again: SUCCESS");
	start(x, 3, "hello.txt", 5);
	data(x, 3, "three", 5);
	ok(file_is("hello (1).txt", "two", 3), "second copy is hello (1).txt");
	ok(file_is("hello (2).txt", "three", 5), "third is hello (2).txt");
	ok(file_is("hello.txt", hello, hlen), "the first is unchanged");

	/* Windows name rules and hostile names */
	static const struct {
		const char *in, *saved;
	} names[] = {
		{ "CON.txt", "_CON.txt" },
		{ "a:b?c*.log", "a_b_c_.log" },
		{ "..\\..\\evil.bat", "evil.bat" },
		{ "C:\\Windows\\win.ini", "win.ini" },
		{ "trailing. . ", "trailing" },
		{ "\xe6\xbc\xa2\xe5\xad\x97.txt", "\xe6\xbc\xa2\xe5\xad\x97.txt" },
	};
	for (size_t i = 0; i < ARRAY_LENGTH(names); i++) {
		uint32_t id = 10 + (uint32_t)i;
		start(x, id, names[i].in, 1);
		data(x, id, "x", 1);
		ok(last_is(id, VDP_XFER_STATUS_SUCCESS) &&
			   file_is(names[i].saved, "x", 1),
		   "'%s' saved as '%s'", names[i].in, names[i].saved);
	}

	/* an empty file */
	fake_core_clear(core);
	start(x, 30, "empty", 0);
	is_int(fake_core_count(core), 2, "empty file: two statuses");
	ok(last_is(30, VDP_XFER_STATUS_SUCCESS), "empty file: SUCCESS");
	ok(file_is("empty", "", 0), "empty file saved");

	/* cancelled by the client midway */
	fake_core_clear(core);
	start(x, 40, "cancel.bin", 1000);
	data(x, 40, "0123456789", 10);
	is_int(count_files(".vdagent-xfer-"), 1, "cancel: partial file exists");
	client_status(x, 40, VDP_XFER_STATUS_CANCELLED);
	is_int(count_files(".vdagent-xfer-"), 0, "cancel: partial file removed");
	is_int(count_files("cancel"), 0, "cancel: no final file");
	is_int(fake_core_count(core), 1, "cancel: nothing sent back");
	data(x, 40, "late", 4);
	is_int(fake_core_count(core), 1, "data after cancel dropped silently");

	/* the client goes away */
	start(x, 41, "gone1", 100);
	start(x, 42, "gone2", 100);
	data(x, 41, "abc", 3);
	is_int(count_files(".vdagent-xfer-"), 2, "disconnect: two partial files");
	fake_core_clear(core);
	wa_xfer_client_disconnected(x);
	is_int(count_files(".vdagent-xfer-"), 0,
	       "disconnect: partial files removed");
	is_int(fake_core_count(core), 0, "disconnect: nothing sent");

	/* more data than announced */
	fake_core_set_client_caps(core, detailed_caps, 1);
	start(x, 50, "small", 2);
	data(x, 50, "toolong", 7);
	struct vdp_xfer_status_msg s = last_status();
	ok(s.id == 50 && s.result == VDP_XFER_STATUS_ERROR &&
		   s.detail == VDP_XFER_DETAIL_ERROR && s.error_code == 13,
	   "too much data: ERROR, detail INVALID_ARGUMENT");
	is_int(count_files("small"), 0, "too much data: nothing saved");
	is_int(count_files(".vdagent-xfer-"), 0, "too much data: file removed");

	/* too large for the disk */
	start(x, 51, "huge.iso", 1ULL << 62);
	s = last_status();
	ok(s.id == 51 && s.result == VDP_XFER_STATUS_NOT_ENOUGH_SPACE &&
		   s.detail == VDP_XFER_DETAIL_NO_SPACE &&
		   s.disk_free_space > 0 && s.disk_free_space < (1ULL << 62),
	   "too large: NOT_ENOUGH_SPACE with the free space (%llu)",
	   (unsigned long long)s.disk_free_space);
	fake_core_set_client_caps(core, NULL, 0);
	start(x, 52, "huge.iso", 1ULL << 62);
	s = last_status();
	ok(s.id == 52 && s.result == VDP_XFER_STATUS_ERROR &&
		   s.detail == VDP_XFER_DETAIL_NONE,
	   "too large, client without detailed errors: plain ERROR");
	is_int(count_files("huge"), 0, "too large: nothing created");

	/* ids */
	fake_core_set_client_caps(core, detailed_caps, 1);
	start(x, 60, "dup", 10);
	start(x, 60, "dup", 10);
	s = last_status();
	ok(s.id == 60 && s.result == VDP_XFER_STATUS_ERROR && s.error_code == 2,
	   "an id in use: ERROR EXISTS");
	client_status(x, 60, VDP_XFER_STATUS_CANCELLED);

	/* bounded number of transfers */
	for (uint32_t id = 100; id < 116; id++)
		start(x, id, "many", 10);
	ok(last_is(115, VDP_XFER_STATUS_CAN_SEND_DATA), "16 transfers at once");
	start(x, 116, "many", 10);
	s = last_status();
	ok(s.id == 116 && s.result == VDP_XFER_STATUS_ERROR &&
		   s.error_code == 31,
	   "the 17th: ERROR TOO_MANY_OPEN_FILES");
	wa_xfer_client_disconnected(x);
	is_int(count_files(".vdagent-xfer-"), 0, "all 16 cleaned up");

	/* malformed messages */
	uint8_t bad[8] = { 7, 0, 0, 0, 'x', 'y', 0, 'z' };
	ok(wa_xfer_handle(x, VDP_MSG_FILE_XFER_START, bad, sizeof(bad)) < 0,
	   "a START with a NUL inside is refused");
	ok(last_is(7, VDP_XFER_STATUS_ERROR), "... and the client told ERROR");
	uint8_t kf[64];
	int n = vdp_build_xfer_start_raw(kf, sizeof(kf), 8, "[x]\nname=a\n", 11);
	wa_xfer_handle(x, VDP_MSG_FILE_XFER_START, kf, (size_t)n);
	ok(last_is(8, VDP_XFER_STATUS_ERROR), "a key file without the group: ERROR");
	ok(wa_xfer_handle(x, VDP_MSG_FILE_XFER_DATA, bad, 3) < 0,
	   "a short DATA is refused");
	ok(wa_xfer_handle(x, VDP_MSG_FILE_XFER_STATUS, bad, 5) < 0,
	   "a short STATUS is refused");

	/* the session locked */
	LRESULT res;
	ok(!wa_xfer_wndproc(x, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, 1, &res),
	   "lock observed, not consumed");
	start(x, 70, "locked", 1);
	ok(last_is(70, VDP_XFER_STATUS_SESSION_LOCKED), "locked: SESSION_LOCKED");
	wa_xfer_wndproc(x, WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK, 1, &res);
	start(x, 71, "unlocked", 1);
	ok(last_is(71, VDP_XFER_STATUS_CAN_SEND_DATA), "unlocked: accepted");
	data(x, 71, "u", 1);

	/* a transfer in flight when the module goes */
	start(x, 72, "inflight", 10);
	wa_xfer_free(x);
	is_int(count_files(".vdagent-xfer-"), 0, "free removes partial files");

	/* disabled */
	x = wa_xfer_new(core, NULL);
	start(x, 80, "nope", 1);
	ok(last_is(80, VDP_XFER_STATUS_DISABLED), "disabled: DISABLED");
	fake_core_set_client_caps(core, NULL, 0);
	start(x, 81, "nope", 1);
	ok(last_is(81, VDP_XFER_STATUS_ERROR),
	   "disabled, client without detailed errors: ERROR");
	is_int(count_files("nope"), 0, "disabled: nothing written");
	wa_xfer_free(x);

	/* a folder that cannot be made */
	fake_core_set_client_caps(core, detailed_caps, 1);
	char bad_dir[MAX_PATH * 2];
	snprintf(bad_dir, sizeof(bad_dir), "%s\\hello.txt\\sub", dir);
	x = wa_xfer_new(core, bad_dir);
	start(x, 90, "f", 1);
	ok(last_is(90, VDP_XFER_STATUS_ERROR), "a file in the way of the folder: ERROR");
	wa_xfer_free(x);
}

static void test_known_folders(void)
{
	wchar_t *d = NULL;
	int r = wa_xfer_folder_open("desktop", &d);
	ok(r == 0 && d && (GetFileAttributesW(d) & FILE_ATTRIBUTE_DIRECTORY),
	   "the desktop folder resolves and exists");
	free(d);
	d = NULL;
	r = wa_xfer_folder_open("download", &d);
	ok(r == 0 && d && (GetFileAttributesW(d) & FILE_ATTRIBUTE_DIRECTORY),
	   "the downloads folder resolves and exists");
	free(d);
}

int main(void)
{
	CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
	make_dir();
	remove_dir();
	core = fake_core_new();
	if (!core) {
		printf("Bail out! no fake core\n");
		return 1;
	}
	test_state_machine();
	test_transfers();
	test_known_folders();
	fake_core_free(core);
	remove_dir();
	CoUninitialize();
	return tap_done();
}
