/* SPDX-License-Identifier: MIT */
/* The port on virtio-win's vioserial device (\\.\Global\com.redhat.spice.0):
 * overlapped ReadFile/WriteFile, one of each in flight, each with its own
 * manual-reset event that the agent's loop waits on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "log.h"
#include "port.h"

#define READ_BUF 4096
#define WRITE_BUF 65536

struct wa_port_io {
	HANDLE h;
	OVERLAPPED rov, wov;
	bool rpending, wpending;
	uint8_t rbuf[READ_BUF];
	DWORD rlen, roff; /* completed read bytes not handed out yet */
	uint8_t wbuf[WRITE_BUF];
	DWORD wlen;       /* bytes of the write in flight */
};

static int utf8_to_wide(const char *s, wchar_t **out)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1,
				    NULL, 0);

	if (n <= 0)
		return -EINVAL;
	*out = malloc((size_t)n * sizeof(wchar_t));
	if (!*out)
		return -ENOMEM;
	MultiByteToWideChar(CP_UTF8, 0, s, -1, *out, n);
	return 0;
}

static int virtio_open(const char *path, struct wa_port_io **out)
{
	struct wa_port_io *io;
	wchar_t *wpath;
	DWORD err;
	int r;

	r = utf8_to_wide(path, &wpath);
	if (r < 0)
		return r;
	io = calloc(1, sizeof(*io));
	if (!io) {
		free(wpath);
		return -ENOMEM;
	}
	io->h = CreateFileW(wpath, GENERIC_READ | GENERIC_WRITE, 0, NULL,
			    OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
	err = GetLastError();
	free(wpath);
	if (io->h == INVALID_HANDLE_VALUE) {
		free(io);
		if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
			return -ENOENT;
		if (err == ERROR_ACCESS_DENIED || err == ERROR_SHARING_VIOLATION)
			return -EBUSY;
		return -EIO;
	}
	io->rov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	io->wov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!io->rov.hEvent || !io->wov.hEvent) {
		if (io->rov.hEvent)
			CloseHandle(io->rov.hEvent);
		if (io->wov.hEvent)
			CloseHandle(io->wov.hEvent);
		CloseHandle(io->h);
		free(io);
		return -ENOMEM;
	}
	*out = io;
	return 0;
}

static void virtio_close(struct wa_port_io *io)
{
	CancelIo(io->h);
	/* wait for the cancelled requests: their buffers are ours */
	if (io->rpending) {
		DWORD n;

		GetOverlappedResult(io->h, &io->rov, &n, TRUE);
	}
	if (io->wpending) {
		DWORD n;

		GetOverlappedResult(io->h, &io->wov, &n, TRUE);
	}
	CloseHandle(io->h);
	CloseHandle(io->rov.hEvent);
	CloseHandle(io->wov.hEvent);
	free(io);
}

/* The write event only while a write is in flight: a completed one
 * stays signalled and would wake the loop forever. */
static int virtio_handles(struct wa_port_io *io, HANDLE *out)
{
	out[0] = io->rov.hEvent;
	if (!io->wpending)
		return 1;
	out[1] = io->wov.hEvent;
	return 2;
}

static int start_read(struct wa_port_io *io)
{
	ResetEvent(io->rov.hEvent);
	if (!ReadFile(io->h, io->rbuf, READ_BUF, NULL, &io->rov) &&
	    GetLastError() != ERROR_IO_PENDING)
		return -EPIPE;
	io->rpending = true;
	return 0;
}

static int virtio_read(struct wa_port_io *io, uint8_t *buf, size_t size)
{
	DWORD n;

	if (io->roff == io->rlen) {
		if (!io->rpending && start_read(io) < 0)
			return -EPIPE;
		if (!GetOverlappedResult(io->h, &io->rov, &n, FALSE))
			return GetLastError() == ERROR_IO_INCOMPLETE ? -EAGAIN
								     : -EPIPE;
		io->rpending = false;
		/* an empty completion is the host side going away; treating
		 * it as EOF also keeps an empty stream from spinning */
		if (n == 0)
			return -EPIPE;
		io->rlen = n;
		io->roff = 0;
	}
	n = io->rlen - io->roff;
	if (n > size)
		n = (DWORD)size;
	memcpy(buf, io->rbuf + io->roff, n);
	io->roff += n;
	if (io->roff == io->rlen && start_read(io) < 0)
		return -EPIPE;
	return (int)n;
}

static int submit_write(struct wa_port_io *io)
{
	ResetEvent(io->wov.hEvent);
	if (!WriteFile(io->h, io->wbuf, io->wlen, NULL, &io->wov) &&
	    GetLastError() != ERROR_IO_PENDING)
		return -EPIPE;
	io->wpending = true;
	return 0;
}

static int virtio_write(struct wa_port_io *io, const uint8_t *buf, size_t size)
{
	DWORD n;

	if (io->wpending) {
		if (!GetOverlappedResult(io->h, &io->wov, &n, FALSE))
			return GetLastError() == ERROR_IO_INCOMPLETE ? 0
								     : -EPIPE;
		io->wpending = false;
		ResetEvent(io->wov.hEvent);
		if (n < io->wlen) {
			/* a short write: the rest goes first */
			memmove(io->wbuf, io->wbuf + n, io->wlen - n);
			io->wlen -= n;
			return submit_write(io);
		}
	}
	if (size == 0)
		return 0;
	io->wlen = size > WRITE_BUF ? WRITE_BUF : (DWORD)size;
	memcpy(io->wbuf, buf, io->wlen);
	if (submit_write(io) < 0)
		return -EPIPE;
	return (int)io->wlen;
}

const struct wa_port_backend wa_port_backend_virtio = {
	.name = "virtio-serial",
	.open = virtio_open,
	.close = virtio_close,
	.handles = virtio_handles,
	.read = virtio_read,
	.write = virtio_write,
};
