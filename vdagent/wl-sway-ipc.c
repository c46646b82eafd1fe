/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "wl-sway-ipc.h"

/* i3/sway IPC: "i3-ipc", u32 payload length, u32 type, in host order */
#define SWAY_MAGIC "i3-ipc"
#define SWAY_HEADER 14
#define SWAY_RUN_COMMAND 0
#define SWAY_REPLY_MAX (1024 * 1024)
#define SWAY_TIMEOUT_S 5

struct wl_sway {
	char *path;
};

static int sway_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct timeval tv = { .tv_sec = SWAY_TIMEOUT_S };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

struct wl_sway *wl_sway_new(const char *path)
{
	if (!path || !*path)
		return NULL;
	int fd = sway_connect(path);
	if (fd < 0) {
		g_message("sway IPC at %s: %s", path, g_strerror(-fd));
		return NULL;
	}
	close(fd);
	struct wl_sway *s = g_new0(struct wl_sway, 1);
	s->path = g_strdup(path);
	return s;
}

void wl_sway_free(struct wl_sway *s)
{
	if (!s)
		return;
	g_free(s->path);
	g_free(s);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	char *c = p;
	while (n) {
		ssize_t r = recv(fd, c, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (r == 0)
			return -ECONNRESET;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One message, its reply (g_malloc'd, NUL-terminated). */
static int sway_call(struct wl_sway *s, uint32_t type, const char *payload,
		     char **reply)
{
	uint8_t head[SWAY_HEADER];
	uint32_t len = (uint32_t)strlen(payload);
	int fd = sway_connect(s->path);
	if (fd < 0)
		return fd;

	memcpy(head, SWAY_MAGIC, 6);
	memcpy(head + 6, &len, 4);
	memcpy(head + 10, &type, 4);
	int r = write_all(fd, head, sizeof(head));
	if (!r)
		r = write_all(fd, payload, len);
	if (!r)
		r = read_all(fd, head, sizeof(head));
	if (!r && memcmp(head, SWAY_MAGIC, 6) != 0)
		r = -EPROTO;
	if (!r) {
		memcpy(&len, head + 6, 4);
		if (len > SWAY_REPLY_MAX)
			r = -EMSGSIZE;
	}
	if (!r) {
		*reply = g_malloc(len + 1);
		r = read_all(fd, *reply, len);
		(*reply)[len] = 0;
		if (r) {
			g_free(*reply);
			*reply = NULL;
		}
	}
	close(fd);
	return r;
}

/* Names sway's command parser takes as one plain word. */
static bool plain_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("_.:-", *p))
			return false;
	return true;
}

int wl_sway_apply(struct wl_sway *s, const struct wl_output_wish *wish,
		  unsigned n)
{
	g_autoptr(GString) cmd = g_string_new(NULL);
	int ret = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct wl_output_wish *w = &wish[i];
		if (!plain_name(w->name)) {
			g_message("output \"%s\": a name sway could misread, "
				  "left alone", w->name);
			ret = -EINVAL;
			continue;
		}
		if (cmd->len)
			g_string_append(cmd, "; ");
		if (w->enable)
			g_string_append_printf(
				cmd, "output %s enable mode --custom %dx%d "
				     "position %d %d",
				w->name, w->w, w->h, w->x, w->y);
		else
			g_string_append_printf(cmd, "output %s disable",
					       w->name);
	}
	if (!cmd->len)
		return ret;
	g_debug("sway: %s", cmd->str);
	g_autofree char *reply = NULL;
	int r = sway_call(s, SWAY_RUN_COMMAND, cmd->str, &reply);
	if (r < 0) {
		g_message("sway IPC: %s", g_strerror(-r));
		return r;
	}
	/* [{"success": true}, {"success": false, "error": "..."}] */
	g_autofree char *flat = g_strdup(reply);
	char *o = flat;
	for (const char *p = reply; *p; p++)
		if (!g_ascii_isspace(*p))
			*o++ = *p;
	*o = 0;
	if (strstr(flat, "\"success\":false")) {
		g_message("sway refused part of the monitors config: %.300s",
			  reply);
		return -EIO;
	}
	return ret;
}
