/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <unistd.h>

#include "record.h"
#include "vdp-util.h"

struct record {
	int in_fd;
	int out_fd;
	bool failed; /* logged once */
};

static int open_file(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		    0600);
}

struct record *record_new(const char *path)
{
	struct record *r = zalloc(sizeof(*r));
	g_autofree char *out_path = g_strconcat(path, ".out", NULL);
	int saved;

	if (!r)
		return NULL;
	r->in_fd = open_file(path);
	r->out_fd = r->in_fd >= 0 ? open_file(out_path) : -1;
	if (r->out_fd < 0) {
		saved = errno;
		if (r->in_fd >= 0)
			close(r->in_fd);
		free(r);
		errno = saved;
		return NULL;
	}
	return r;
}

void record_free(struct record *r)
{
	if (!r)
		return;
	close(r->in_fd);
	close(r->out_fd);
	free(r);
}

static void write_all(struct record *r, int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0 && !r->failed) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			g_warning("record: write failed (%s), recording stopped",
				  w < 0 ? g_strerror(errno) : "short write");
			r->failed = true;
			return;
		}
		p += w;
		len -= (size_t)w;
	}
}

void record_in(struct record *r, const void *buf, size_t len)
{
	if (r)
		write_all(r, r->in_fd, buf, len);
}

void record_out(struct record *r, const struct vdp_iov *iov, int n)
{
	for (int i = 0; r && i < n; i++)
		write_all(r, r->out_fd, iov[i].base, iov[i].len);
}
