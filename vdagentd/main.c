/* SPDX-License-Identifier: MIT */
/* vdagentd: the SPICE guest agent system daemon. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "fdwatch.h"
#include "ipc-server.h"
#include "mouse.h"
#include "options.h"
#include "port-udev.h"
#include "port.h"
#include "record.h"
#include "router.h"
#include "session.h"

#define SD_LISTEN_FDS_START 3

struct daemon {
	struct vdagentd_options opt;
	GMainLoop *loop;
	int exit_code;
	bool use_syslog;
	struct router *router;
	struct vda_mouse *mouse;
	struct fdwatch *mouse_watch; /* while the device has events waiting */
};

/* The mouse module logs with syslog priorities; route them through GLib
 * like every other module so -x and -d apply to them too. */
__attribute__((format(printf, 3, 0))) static void
mouse_log(void *user, int priority, const char *fmt, va_list ap)
{
	GLogLevelFlags level = priority <= LOG_WARNING ? G_LOG_LEVEL_WARNING :
			       priority == LOG_DEBUG	? G_LOG_LEVEL_DEBUG :
							  G_LOG_LEVEL_MESSAGE;

	g_logv(G_LOG_DOMAIN, level, fmt, ap);
}

/* A launcher may start us with these blocked (the mask is inherited);
 * then SIGTERM would stay pending and the daemon would never stop. */
static void unblock_stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void log_handler(const gchar *domain, GLogLevelFlags level,
			const gchar *message, gpointer user)
{
	const struct daemon *d = user;
	int prio;
	const char *tag;

	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
		prio = LOG_ERR;
		tag = "error";
	} else if (level & G_LOG_LEVEL_WARNING) {
		prio = LOG_WARNING;
		tag = "warning";
	} else if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) {
		prio = LOG_INFO;
		tag = "info";
	} else {
		if (d->opt.debug < 1)
			return;
		prio = LOG_DEBUG;
		tag = "debug";
	}
	if (d->use_syslog)
		syslog(prio, "%s", message);
	else
		fprintf(stderr, "vdagentd: %s: %s\n", tag, message);
}

/* The listening socket systemd passed (socket activation), or -1. */
static int listen_fd_from_systemd(void)
{
	const char *pid = getenv("LISTEN_PID");
	const char *fds = getenv("LISTEN_FDS");
	int fd = -1;

	struct stat st;

	if (pid && fds && strtol(pid, NULL, 10) == (long)getpid() &&
	    strtol(fds, NULL, 10) >= 1) {
		if (fstat(SD_LISTEN_FDS_START, &st) == 0 && S_ISSOCK(st.st_mode))
			fd = SD_LISTEN_FDS_START;
		else
			fprintf(stderr, "vdagentd: LISTEN_FDS set but fd %d is "
				"not a socket; ignored\n", SD_LISTEN_FDS_START);
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return fd;
}

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	setsid();
	if (chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

static void on_mouse_writable(void *user, GIOCondition revents)
{
	struct daemon *d = user;

	vda_mouse_flush(d->mouse);
}

static void on_mouse_wait(void *user, int fd)
{
	struct daemon *d = user;

	fdwatch_free(d->mouse_watch);
	d->mouse_watch = fd >= 0 ? fdwatch_new(fd, G_IO_OUT, on_mouse_writable, d) : NULL;
}

static gboolean on_signal(gpointer user)
{
	struct daemon *d = user;

	g_message("exiting on a signal");
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

static void on_quit(void *user)
{
	struct daemon *d = user;

	g_main_loop_quit(d->loop);
}

static void on_sessions_changed(void *user)
{
	struct daemon *d = user;

	if (d->router)
		router_sessions_changed(d->router);
}

int main(int argc, char **argv)
{
	struct daemon d = { .exit_code = 0 };
	struct router_config rcfg;
	struct record *rec = NULL;
	struct session_tracker *sessions = NULL;
	struct ipc_server *ipc = NULL;
	struct port *port = NULL;
	struct port_udev *udev = NULL;
	/* before anything else can take fd 3 */
	int listen_fd = listen_fd_from_systemd();

	if (vdagentd_options_parse(&d.opt, argc, argv, stderr) < 0)
		return 1;
	if (d.opt.help) {
		vdagentd_options_usage(stdout, argv[0]);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	g_log_set_default_handler(log_handler, &d);
	if (!d.opt.foreground) {
		openlog("vdagentd", LOG_PID, LOG_DAEMON);
		d.use_syslog = true;
	}
	rcfg.one_session = d.opt.one_session;
	rcfg.debug = d.opt.debug;

	if (d.opt.record_path) {
		rec = record_new(d.opt.record_path);
		if (!rec) {
			g_warning("cannot create %s: %s", d.opt.record_path,
				  g_strerror(errno));
			return 1;
		}
	}
	d.loop = g_main_loop_new(NULL, FALSE);
	d.router = router_new(&rcfg, NULL, NULL, on_quit, &d);
	ipc = ipc_server_new(d.opt.socket_path, listen_fd,
			     &router_ipc_callbacks, d.router);
	if (!ipc) {
		d.exit_code = 1;
		goto out;
	}
	if (!d.opt.foreground && daemonize() < 0) {
		g_warning("cannot daemonize: %s", g_strerror(errno));
		d.exit_code = 1;
		goto out;
	}
	d.mouse = vda_mouse_new(d.opt.uinput_path, d.opt.fake_uinput);
	if (d.mouse) {
		vda_mouse_set_log(d.mouse, mouse_log, NULL);
		vda_mouse_set_wait(d.mouse, on_mouse_wait, &d);
	}
	sessions = session_tracker_new(!d.opt.no_sessions, on_sessions_changed,
				       &d);
	router_set_parts(d.router, sessions, d.mouse);
	port = port_new(d.opt.port_path, &router_port_callbacks, d.router, rec);
	if (!port) {
		d.exit_code = 1;
		goto out;
	}
	udev = port_udev_new(port);
	/* without a running udevd no events come: retry on a timer then */
	port_set_udev(port, udev && access("/run/udev/control", F_OK) == 0);
	g_unix_signal_add(SIGTERM, on_signal, &d);
	g_unix_signal_add(SIGINT, on_signal, &d);
	g_unix_signal_add(SIGHUP, on_signal, &d);
	unblock_stop_signals();
	g_message("started: port %s, socket %s, %s", d.opt.port_path,
		  d.opt.socket_path, session_tracker_name(sessions));
	router_set_port(d.router, port);
	g_main_loop_run(d.loop);
out:
	/* agents first (their goodbyes use the port), then the port */
	ipc_server_free(ipc);
	port_udev_free(udev);
	router_set_port(d.router, NULL);
	port_free(port);
	router_free(d.router);
	session_tracker_free(sessions);
	vda_mouse_free(d.mouse);
	record_free(rec);
	g_main_loop_unref(d.loop);
	return d.exit_code;
}
