/* SPDX-License-Identifier: MIT */
/*
 * Routing rules with sessions, in-process: the real router, IPC server and
 * port (unix socket backend, the test holds the other end), and a fake
 * session backend through the same dispatch table as logind's, so session
 * switches and locks can be driven.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "route.h"
#include "session.h"
#include "tap.h"
#include "vdp-build.h"
#include "vdp-encoder.h"
#include "vdp-util.h"

/* ---- fake sessions ------------------------------------------------------ */

struct fake_sessions {
	session_changed_cb changed;
	void *user;
	const char *active;
	bool locked;
	int next; /* session_for_pid hands out s1, s2, s3 in turn */
};

static struct fake_sessions *fake;

static void *fake_create(session_changed_cb changed, void *user)
{
	fake = g_new0(struct fake_sessions, 1);
	fake->changed = changed;
	fake->user = user;
	fake->active = "s1";
	return fake;
}

static void fake_destroy(void *priv)
{
	g_free(priv);
}

static char *fake_session_for_pid(void *priv, pid_t pid)
{
	return g_strdup_printf("s%d", ++fake->next);
}

static bool fake_session_uid(void *priv, const char *s, uid_t *uid)
{
	/* s3 belongs to somebody else */
	*uid = streq(s, "s3") ? getuid() + 1 : getuid();
	return true;
}

static const char *fake_active(void *priv)
{
	return fake->active;
}

static bool fake_is_locked(void *priv, const char *s)
{
	return fake->locked && streq(s, fake->active);
}

static const struct session_backend fake_backend = {
	.name = "fake",
	.create = fake_create,
	.destroy = fake_destroy,
	.session_for_pid = fake_session_for_pid,
	.session_uid = fake_session_uid,
	.active_session = fake_active,
	.is_locked = fake_is_locked,
};

/* ---- waiting on the main loop ------------------------------------------- */

static gboolean set_flag(gpointer p)
{
	*(bool *)p = true;
	return G_SOURCE_REMOVE;
}

static gboolean fd_ready(gint fd, GIOCondition c, gpointer p)
{
	*(bool *)p = true;
	return G_SOURCE_REMOVE;
}

/* Run the loop until fd is readable; false after 10 s. */
static bool pump_readable(int fd)
{
	bool ready = false, late = false;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	guint a, b;

	if (poll(&pfd, 1, 0) == 1)
		return true;
	a = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP, fd_ready, &ready);
	b = g_timeout_add(10000, set_flag, &late);
	while (!ready && !late)
		g_main_context_iteration(NULL, TRUE);
	if (!ready)
		g_source_remove(a);
	if (!late)
		g_source_remove(b);
	return ready;
}

/* Let everything already queued run. */
static void pump_idle(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static bool read_exact(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r;

		if (!pump_readable(fd))
			return false;
		r = read(fd, (uint8_t *)buf + got, n - got);
		if (r == 0)
			return false;
		if (r > 0)
			got += (size_t)r;
	}
	return true;
}

/* ---- the two peers ------------------------------------------------------ */

struct msg {
	uint32_t type;
	uint32_t size;
	uint8_t data[4096];
};

/* One whole message from the port (single chunk: all are small here). */
static bool port_read(int fd, struct msg *m)
{
	uint8_t ch[8], hdr[20];

	if (!read_exact(fd, ch, 8) || !read_exact(fd, hdr, 20))
		return false;
	m->type = vdp_get_le32(hdr + 4);
	m->size = vdp_get_le32(hdr + 16);
	return m->size <= sizeof(m->data) && read_exact(fd, m->data, m->size);
}

static void port_write(int fd, uint32_t type, const void *data, size_t len)
{
	uint8_t *buf = NULL;
	size_t n = 0;

	vdp_encode_append(&buf, &n, VDP_PORT_CLIENT, type, 0,
			  &(struct vdp_iov){ data, len }, 1);
	if (write(fd, buf, n) != (ssize_t)n)
		diag("short port write");
	free(buf);
}

/* The next port message of type (others skipped). */
static bool port_expect(int fd, uint32_t type, struct msg *m)
{
	for (int i = 0; i < 16; i++) {
		if (!port_read(fd, m))
			return false;
		if (m->type == type)
			return true;
	}
	return false;
}

static bool ipc_read(int fd, struct msg *m)
{
	uint8_t hdr[8];

	if (!read_exact(fd, hdr, 8))
		return false;
	m->type = vdp_get_le32(hdr);
	m->size = vdp_get_le32(hdr + 4);
	return m->size <= sizeof(m->data) && read_exact(fd, m->data, m->size);
}

static bool ipc_expect(int fd, uint32_t type, struct msg *m)
{
	for (int i = 0; i < 16; i++) {
		if (!ipc_read(fd, m))
			return false;
		if (m->type == type)
			return true;
	}
	return false;
}

static void ipc_write(int fd, uint32_t type, const void *data, size_t len)
{
	uint8_t *buf = NULL;
	size_t n = 0;

	vdp_ipc_encode_append(&buf, &n, type,
			      &(struct vdp_iov){ data, len }, len ? 1 : 0);
	if (write(fd, buf, n) != (ssize_t)n)
		diag("short ipc write");
	free(buf);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int agent_connect(const char *path, bool layout)
{
	int fd = connect_to(path);
	uint8_t hello[8], lay[VDP_IPC_SCREEN_LAYOUT_MAX];
	struct vdp_ipc_screen_layout l = {
		.width = 800, .height = 600, .count = 1,
		.displays = { { 0, 0, 0, 800, 600 } },
	};
	struct msg m;
	int n;

	vdp_ipc_build_hello_head(hello, sizeof(hello), VDP_IPC_VERSION, 0);
	ipc_write(fd, VDP_IPC_HELLO, hello, sizeof(hello));
	if (!ipc_expect(fd, VDP_IPC_HELLO, &m)) {
		close(fd);
		return -1;
	}
	if (layout) {
		n = vdp_ipc_build_screen_layout(lay, sizeof(lay), &l);
		ipc_write(fd, VDP_IPC_SCREEN_LAYOUT, lay, (size_t)n);
	}
	return fd;
}

static int accept_port(int lfd)
{
	if (!pump_readable(lfd))
		return -1;
	return accept(lfd, NULL, NULL);
}

static void client_handshake(int pfd)
{
	struct vdp_caps caps;
	uint8_t buf[16];
	struct msg m;
	int n;

	port_expect(pfd, VDP_MSG_ANNOUNCE_CAPABILITIES, &m);
	vdp_caps_clear_all(&caps);
	for (unsigned c = 0; c < VDP_CAP_END; c++)
		vdp_caps_set(&caps, c);
	n = vdp_build_capabilities(buf, sizeof(buf), true, &caps);
	port_write(pfd, VDP_MSG_ANNOUNCE_CAPABILITIES, buf, (size_t)n);
	port_expect(pfd, VDP_MSG_ANNOUNCE_CAPABILITIES, &m);
}

static void quit_cb(void *user)
{
}

int main(void)
{
	g_autofree char *dir = g_dir_make_tmp("vdagentd-router-XXXXXX", NULL);
	g_autofree char *port_path = g_build_filename(dir, "port", NULL);
	g_autofree char *ipc_path = g_build_filename(dir, "ipc", NULL);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct router_config cfg = { .debug = 2 };
	struct session_tracker *st;
	struct ipc_server *ipc;
	struct router *r;
	struct port *port;
	int lfd, pfd, a1, a2, a3;
	struct msg m;
	uint8_t buf[64];
	int n;

	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(sa.sun_path, port_path);
	bind(lfd, (struct sockaddr *)&sa, sizeof(sa));
	listen(lfd, 4);

	r = router_new(&cfg, NULL, NULL, quit_cb, NULL);
	st = session_tracker_new_with_backend(&fake_backend,
					      router_sessions_changed, r);
	router_set_parts(r, st, NULL);
	ipc = ipc_server_new(ipc_path, -1, &router_ipc_callbacks, r);
	port = port_new(port_path, &router_port_callbacks, r, NULL);
	router_set_port(r, port);

	/* s1 active; agents in s1 and s2 */
	a1 = agent_connect(ipc_path, true);
	ok(a1 >= 0, "agent 1 (session s1) connected");
	pfd = accept_port(lfd);
	ok(pfd >= 0, "port attached for the active session's agent");
	client_handshake(pfd);
	a2 = agent_connect(ipc_path, true);
	ok(a2 >= 0, "agent 2 (session s2) connected");
	a3 = connect_to(ipc_path);
	if (getuid() == 0) {
		/* root may serve any session: the refusal cannot show here */
		pump_idle();
		ok(ipc_server_count(ipc) == 3, "root agent in s3 accepted");
	} else {
		ok(a3 >= 0 && pump_readable(a3) && read(a3, buf, 1) == 0,
		   "agent 3 in another user's session refused");
	}
	close(a3);

	/* client grabs CLIPBOARD; agent 1 grabs PRIMARY */
	n = vdp_build_clipboard_grab(buf, sizeof(buf), &r->negotiated, 0, 0,
				     (uint32_t[]){ VDP_CLIPBOARD_UTF8_TEXT }, 1);
	port_write(pfd, VDP_MSG_CLIPBOARD_GRAB, buf, (size_t)n);
	ok(ipc_expect(a1, VDP_IPC_CLIPBOARD_GRAB, &m),
	   "client grab reaches the active agent");
	n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 1,
					 (uint32_t[]){ 1 }, 1);
	ipc_write(a1, VDP_IPC_CLIPBOARD_GRAB, buf, (size_t)n);
	ok(port_expect(pfd, VDP_MSG_CLIPBOARD_GRAB, &m) && m.data[0] == 1,
	   "agent grab of PRIMARY reaches the client");
	n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 0,
					 (uint32_t[]){ 1 }, 1);
	ipc_write(a2, VDP_IPC_CLIPBOARD_GRAB, buf, (size_t)n);

	/* a monitors config while s1 is active */
	n = vdp_build_monitors_config(buf, sizeof(buf),
				      &(struct vdp_monitors_config){
					      .count = 1,
					      .mon = { { .width = 640,
							 .height = 480 } } });
	port_write(pfd, VDP_MSG_MONITORS_CONFIG, buf, (size_t)n);
	ok(ipc_expect(a1, VDP_IPC_MONITORS_CONFIG, &m),
	   "MONITORS_CONFIG to the active session's agent");
	ok(port_expect(pfd, VDP_MSG_REPLY, &m) &&
	   vdp_get_le32(m.data + 4) == VDP_REPLY_SUCCESS, "REPLY success");

	/* lock: transfers refused */
	fake->locked = true;
	n = vdp_build_xfer_start(buf, sizeof(buf), 3, "f", 1);
	port_write(pfd, VDP_MSG_FILE_XFER_START, buf, (size_t)n);
	ok(port_expect(pfd, VDP_MSG_FILE_XFER_STATUS, &m) &&
	   vdp_get_le32(m.data + 4) == VDP_XFER_STATUS_SESSION_LOCKED,
	   "START refused with SESSION_LOCKED while locked");
	fake->locked = false;
	n = vdp_build_xfer_start(buf, sizeof(buf), 4, "f", 1);
	port_write(pfd, VDP_MSG_FILE_XFER_START, buf, (size_t)n);
	ok(ipc_expect(a1, VDP_IPC_FILE_XFER_START, &m),
	   "START forwarded once unlocked");

	/* switch to s2 */
	fake->active = "s2";
	fake->changed(fake->user);
	ok(port_expect(pfd, VDP_MSG_CLIPBOARD_RELEASE, &m) && m.data[0] == 1,
	   "switch: the old agent's PRIMARY grab released to the client");
	ok(port_expect(pfd, VDP_MSG_FILE_XFER_STATUS, &m) &&
	   vdp_get_le32(m.data) == 4 &&
	   vdp_get_le32(m.data + 4) == VDP_XFER_STATUS_CANCELLED,
	   "switch: the old agent's transfer cancelled to the client");
	ok(ipc_expect(a1, VDP_IPC_CLIPBOARD_RELEASE, &m) && m.data[0] == 0,
	   "switch: the client's grab released to the old agent");
	ok(ipc_expect(a1, VDP_IPC_FILE_XFER_STATUS, &m) &&
	   vdp_get_le32(m.data + 4) == VDP_XFER_STATUS_CANCELLED,
	   "switch: the old agent's transfer cancelled");
	ok(ipc_expect(a2, VDP_IPC_MONITORS_CONFIG, &m),
	   "switch: the new agent gets the kept MONITORS_CONFIG");
	pump_idle();
	ok(port_attached(port), "port stays attached across the switch");

	/* the inactive agent gets nothing */
	n = vdp_build_clipboard_grab(buf, sizeof(buf), &r->negotiated, 0, 1,
				     (uint32_t[]){ VDP_CLIPBOARD_UTF8_TEXT }, 1);
	port_write(pfd, VDP_MSG_CLIPBOARD_GRAB, buf, (size_t)n);
	ok(ipc_expect(a2, VDP_IPC_CLIPBOARD_GRAB, &m),
	   "client grab goes to the new active agent");
	{
		struct pollfd p = { .fd = a1, .events = POLLIN };

		pump_idle();
		ok(poll(&p, 1, 0) == 0, "the old agent gets nothing more");
	}

	/* switch to a session without agent: port detached */
	fake->active = "s9";
	fake->changed(fake->user);
	ok(pump_readable(pfd) && read(pfd, buf, sizeof(buf)) >= 0,
	   "session without agent: the client is told");
	pump_idle();
	ok(!port_attached(port), "session without agent: port detached");

	/* port attached without any agent: VDAGENT_NOT_CONNECTED */
	close(pfd);
	port_set_wanted(port, true);
	pfd = accept_port(lfd);
	client_handshake(pfd);
	n = vdp_build_xfer_start(buf, sizeof(buf), 5, "f", 1);
	port_write(pfd, VDP_MSG_FILE_XFER_START, buf, (size_t)n);
	ok(port_expect(pfd, VDP_MSG_FILE_XFER_STATUS, &m) &&
	   vdp_get_le32(m.data + 4) == VDP_XFER_STATUS_VDAGENT_NOT_CONNECTED,
	   "START with no agent: VDAGENT_NOT_CONNECTED");
	n = vdp_build_clipboard_request(buf, sizeof(buf), &r->negotiated, 0,
					VDP_CLIPBOARD_UTF8_TEXT);
	port_write(pfd, VDP_MSG_CLIPBOARD_REQUEST, buf, (size_t)n);
	ok(port_expect(pfd, VDP_MSG_CLIPBOARD, &m) &&
	   vdp_get_le32(m.data + 4) == VDP_CLIPBOARD_NONE,
	   "clipboard request with no agent: answered with no data");

	close(a1);
	close(a2);
	close(pfd);
	pump_idle();
	ipc_server_free(ipc);
	router_set_port(r, NULL);
	port_free(port);
	router_free(r);
	session_tracker_free(st);
	close(lfd);
	unlink(port_path);
	rmdir(dir);
	return tap_done();
}
