/* SPDX-License-Identifier: MIT */
/* vdagent: the SPICE guest agent of one X11 session. */
#include "config.h"

#include <X11/Xlib.h>
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

#include "agent.h"
#include "options.h"

static int log_debug;
static bool log_syslog;
static GMainLoop *main_loop;
static bool x_server_gone;

static void log_handler(const gchar *domain, GLogLevelFlags level,
			const gchar *msg, gpointer user)
{
	const char *tag = "info";

	if ((level & G_LOG_LEVEL_DEBUG) && !log_debug)
		return;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		tag = "error";
	else if (level & G_LOG_LEVEL_WARNING)
		tag = "warning";
	else if (level & G_LOG_LEVEL_DEBUG)
		tag = "debug";
	if (log_syslog) {
		int prio = LOG_INFO;
		if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
			prio = LOG_ERR;
		else if (level & G_LOG_LEVEL_WARNING)
			prio = LOG_WARNING;
		else if (level & G_LOG_LEVEL_DEBUG)
			prio = LOG_DEBUG;
		syslog(prio, "%s", msg);
		return;
	}
	fprintf(stderr, "vdagent[%d]: %s: %s\n", (int)getpid(), tag, msg);
}

static int on_x_error(Display *dpy, XErrorEvent *e)
{
	char text[128];

	XGetErrorText(dpy, e->error_code, text, sizeof(text));
	g_debug("X error: %s (request %u.%u, resource 0x%lx)", text,
		e->request_code, e->minor_code, e->resourceid);
	return 0;
}

static int on_x_io_error(Display *dpy)
{
	return 0;
}

static void on_x_io_error_exit(Display *dpy, void *user)
{
	if (!x_server_gone)
		g_message("the X server went away; exiting");
	x_server_gone = true;
	g_main_loop_quit(main_loop);
}

static gboolean on_signal(gpointer user)
{
	g_message("terminating on signal");
	g_main_loop_quit(main_loop);
	return G_SOURCE_CONTINUE;
}

static int daemonize(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	/* the starter may wait for our output to end: log to syslog */
	openlog("vdagent", LOG_PID, LOG_USER);
	log_syslog = true;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vdagent_options opts;

	if (vdagent_options_parse(&opts, argc, argv, stderr) < 0)
		return 2;
	if (opts.help) {
		vdagent_options_usage(stdout, argv[0]);
		return 0;
	}
	if (opts.version) {
		printf("vdagent %s\n", PACKAGE_VERSION);
		return 0;
	}
	log_debug = opts.debug;
	g_log_set_default_handler(log_handler, NULL);

	if (!opts.display && !getenv("DISPLAY")) {
		g_warning("no X display: set DISPLAY or use --display");
		return 1;
	}
	Display *dpy = XOpenDisplay(opts.display);
	if (!dpy) {
		g_warning("cannot open the X display %s",
			  opts.display ? opts.display : getenv("DISPLAY"));
		return 1;
	}
	XSetErrorHandler(on_x_error);
	XSetIOErrorHandler(on_x_io_error);
	XSetIOErrorExitHandler(dpy, on_x_io_error_exit, NULL);

	if (!opts.foreground && daemonize() < 0) {
		g_warning("cannot daemonize: %s", g_strerror(errno));
		XCloseDisplay(dpy);
		return 1;
	}

	main_loop = g_main_loop_new(NULL, FALSE);
	guint sig_int = g_unix_signal_add(SIGINT, on_signal, NULL);
	guint sig_term = g_unix_signal_add(SIGTERM, on_signal, NULL);
	sigset_t stop_signals; /* an inherited mask must not keep them pending */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);

	bool already_running;
	struct agent *agent = agent_new(dpy, &opts, &already_running);
	int ret = 0;
	if (agent)
		g_main_loop_run(main_loop);
	else if (already_running)
		g_message("another vdagent serves this display; exiting");
	else
		ret = 1;

	agent_free(agent);
	g_source_remove(sig_int);
	g_source_remove(sig_term);
	g_main_loop_unref(main_loop);
	XCloseDisplay(dpy);
	return ret;
}
