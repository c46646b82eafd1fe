/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <shlobj.h>

#include "file-xfer-disk.h"
#include "log.h"
#include "vdp-filename.h"
#include "wide.h"

/* Alternatives tried before giving up on a name. */
#define NUMBERED_MAX 9999u
#define TEMP_TRIES 100u

struct wa_xfer_file {
	HANDLE h;
	wchar_t *dir;
	wchar_t *tmp;
};

static int errno_from_win32(DWORD e)
{
	switch (e) {
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return -ENOSPC;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_WRITE_PROTECT:
		return -EACCES;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
		return -ENOENT;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		return -EEXIST;
	case ERROR_FILENAME_EXCED_RANGE:
		return -ENAMETOOLONG;
	case ERROR_INVALID_NAME:
		return -EILSEQ;
	default:
		return -EIO;
	}
}

/* dir + '\' + name, malloc'd. */
static wchar_t *join(const wchar_t *dir, const wchar_t *name)
{
	size_t dl = wcslen(dir), nl = wcslen(name);
	bool sep = dl > 0 && dir[dl - 1] != L'\\' && dir[dl - 1] != L'/';
	wchar_t *p = malloc((dl + sep + nl + 1) * sizeof(wchar_t));

	if (!p)
		return NULL;
	memcpy(p, dir, dl * sizeof(wchar_t));
	if (sep)
		p[dl++] = L'\\';
	memcpy(p + dl, name, (nl + 1) * sizeof(wchar_t));
	return p;
}

static int known_folder(const KNOWNFOLDERID *id, wchar_t **dir_out)
{
	wchar_t *path = NULL;
	HRESULT hr = SHGetKnownFolderPath(id, KF_FLAG_CREATE, NULL, &path);

	if (FAILED(hr)) {
		CoTaskMemFree(path);
		return -ENOENT;
	}
	*dir_out = _wcsdup(path);
	CoTaskMemFree(path);
	return *dir_out ? 0 : -ENOMEM;
}

int wa_xfer_folder_open(const char *where, wchar_t **dir_out)
{
	if (strcmp(where, "desktop") == 0)
		return known_folder(&FOLDERID_Desktop, dir_out);
	if (strcmp(where, "download") == 0)
		return known_folder(&FOLDERID_Downloads, dir_out);

	wchar_t *dir = wa_wide_from_utf8(where, strlen(where), NULL);
	if (!dir)
		return -ENOMEM;
	/* SHCreateDirectoryExW wants a full path and creates the parents */
	wchar_t full[MAX_PATH];
	DWORD n = GetFullPathNameW(dir, MAX_PATH, full, NULL);
	free(dir);
	if (n == 0 || n >= MAX_PATH)
		return -ENAMETOOLONG;
	int r = SHCreateDirectoryExW(NULL, full, NULL);
	if (r != ERROR_SUCCESS && r != ERROR_ALREADY_EXISTS &&
	    r != ERROR_FILE_EXISTS)
		return errno_from_win32((DWORD)r);
	DWORD attr = GetFileAttributesW(full);
	if (attr == INVALID_FILE_ATTRIBUTES ||
	    !(attr & FILE_ATTRIBUTE_DIRECTORY))
		return -ENOENT;
	*dir_out = _wcsdup(full);
	return *dir_out ? 0 : -ENOMEM;
}

int wa_xfer_free_space(const wchar_t *dir, uint64_t *avail)
{
	ULARGE_INTEGER free_to_caller;

	if (!GetDiskFreeSpaceExW(dir, &free_to_caller, NULL, NULL))
		return errno_from_win32(GetLastError());
	*avail = free_to_caller.QuadPart;
	return 0;
}

int wa_xfer_file_create(const wchar_t *dir, uint32_t id,
			struct wa_xfer_file **out)
{
	struct wa_xfer_file *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->h = INVALID_HANDLE_VALUE;
	f->dir = _wcsdup(dir);
	if (!f->dir) {
		free(f);
		return -ENOMEM;
	}
	int r = -EEXIST;
	for (unsigned n = 0; n < TEMP_TRIES && r == -EEXIST; n++) {
		wchar_t name[64];
		_snwprintf(name, ARRAYSIZE(name), L".vdagent-xfer-%lu-%lu-%u.part",
			   (unsigned long)GetCurrentProcessId(),
			   (unsigned long)id, n);
		name[ARRAYSIZE(name) - 1] = 0;
		f->tmp = join(dir, name);
		if (!f->tmp) {
			r = -ENOMEM;
			break;
		}
		f->h = CreateFileW(f->tmp, GENERIC_WRITE, 0, NULL, CREATE_NEW,
				   FILE_ATTRIBUTE_HIDDEN, NULL);
		if (f->h != INVALID_HANDLE_VALUE) {
			*out = f;
			return 0;
		}
		r = errno_from_win32(GetLastError());
		free(f->tmp);
		f->tmp = NULL;
	}
	free(f->dir);
	free(f);
	return r;
}

int wa_xfer_file_write(struct wa_xfer_file *f, const uint8_t *data,
		       size_t len)
{
	while (len > 0) {
		DWORD chunk = len > (1u << 30) ? (1u << 30) : (DWORD)len;
		DWORD done = 0;
		if (!WriteFile(f->h, data, chunk, &done, NULL))
			return errno_from_win32(GetLastError());
		if (done == 0)
			return -EIO;
		data += done;
		len -= done;
	}
	return 0;
}

/* Move the closed temporary file to name in its folder. */
static int move_to(struct wa_xfer_file *f, const char *name, wchar_t **dst)
{
	wchar_t *wname = wa_wide_from_utf8(name, strlen(name), NULL);
	if (!wname)
		return -ENOMEM;
	*dst = join(f->dir, wname);
	free(wname);
	if (!*dst)
		return -ENOMEM;
	/* without MOVEFILE_REPLACE_EXISTING an existing file is kept */
	if (MoveFileExW(f->tmp, *dst, MOVEFILE_WRITE_THROUGH))
		return 0;
	int r = errno_from_win32(GetLastError());
	free(*dst);
	*dst = NULL;
	return r;
}

int wa_xfer_file_commit(struct wa_xfer_file *f, const char *safe_name,
			char **final_out)
{
	char alt[VDP_FILENAME_MAX + 1];
	wchar_t *dst = NULL;
	int r = 0;

	if (f->h != INVALID_HANDLE_VALUE) {
		BOOL closed = CloseHandle(f->h);
		f->h = INVALID_HANDLE_VALUE;
		if (!closed)
			return errno_from_win32(GetLastError());
	}
	for (unsigned n = 0; n <= NUMBERED_MAX; n++) {
		const char *name = safe_name;
		if (n > 0) {
			if (vdp_filename_numbered(safe_name, n, alt,
						  sizeof(alt)) < 0)
				return -EINVAL;
			name = alt;
		}
		r = move_to(f, name, &dst);
		if (r != -EEXIST)
			break;
	}
	if (r < 0)
		return r;
	SetFileAttributesW(dst, FILE_ATTRIBUTE_NORMAL);
	*final_out = wa_utf8_from_wide(dst, wcslen(dst), NULL);
	free(dst);
	free(f->tmp);
	free(f->dir);
	free(f);
	return 0;
}

void wa_xfer_file_discard(struct wa_xfer_file *f)
{
	if (!f)
		return;
	if (f->h != INVALID_HANDLE_VALUE)
		CloseHandle(f->h);
	if (f->tmp && !DeleteFileW(f->tmp) &&
	    GetLastError() != ERROR_FILE_NOT_FOUND)
		wa_warning("cannot remove a partial file: error %lu",
			   (unsigned long)GetLastError());
	free(f->tmp);
	free(f->dir);
	free(f);
}

void wa_xfer_file_temp_name(const struct wa_xfer_file *f, char *buf,
			    size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	if (f->tmp && size <= INT_MAX)
		WideCharToMultiByte(CP_UTF8, 0, f->tmp, -1, buf, (int)size,
				    NULL, NULL);
	buf[size - 1] = '\0';
}
