/* SPDX-License-Identifier: MIT */
/* vdagent: the SPICE guest agent of one X11 or Wayland session. */
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
#include "x11-backend.h"
#ifdef HAVE_WAYLAND
#include "wl-backend.h"
#endif

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

/* Run the agent on the backend until the session or a signal ends it. */
static int run_agent(backend_open_func open_backend, void *arg,
		     const struct vdagent_options *opts)
{
	main_loop = g_main_loop_new(NULL, FALSE);
	guint sig_int = g_unix_signal_add(SIGINT, on_signal, NULL);
	guint sig_term = g_unix_signal_add(SIGTERM, on_signal, NULL);
	sigset_t stop_signals; /* an inherited mask must not keep them pending */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);

	bool already_running;
	struct agent *agent = agent_new(open_backend, arg, opts,
					&already_running);
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
	return ret;
}

static int run_x11(const struct vdagent_options *opts)
{
	if (!opts->display && !getenv("DISPLAY")) {
		g_warning("no X display: set DISPLAY or use --display");
		return 1;
	}
	Display *dpy = XOpenDisplay(opts->display);
	if (!dpy) {
		g_warning("cannot open the X display %s",
			  opts->display ? opts->display : getenv("DISPLAY"));
		return 1;
	}
	XSetErrorHandler(on_x_error);
	XSetIOErrorHandler(on_x_io_error);
	XSetIOErrorExitHandler(dpy, on_x_io_error_exit, NULL);

	if (!opts->foreground && daemonize() < 0) {
		g_warning("cannot daemonize: %s", g_strerror(errno));
		XCloseDisplay(dpy);
		return 1;
	}
	int ret = run_agent(x11_backend_open, dpy, opts);
	XCloseDisplay(dpy);
	return ret;
}

#ifdef HAVE_WAYLAND
static Display *xwayland; /* opened by the Wayland backend, if at all */

static void on_wayland_gone(void *user)
{
	g_main_loop_quit(main_loop);
}

/* Xwayland's display, for the clipboard where the compositor has no
 * data-control protocol. */
static void *open_xwayland(void *user)
{
	const struct vdagent_options *opts = user;

	if (xwayland || (!opts->display && !getenv("DISPLAY")))
		return xwayland;
	xwayland = XOpenDisplay(opts->display);
	if (xwayland) {
		XSetErrorHandler(on_x_error);
		XSetIOErrorHandler(on_x_io_error);
		XSetIOErrorExitHandler(xwayland, on_x_io_error_exit, NULL);
	}
	return xwayland;
}

/* The compositor of $WAYLAND_DISPLAY, or NULL (logged when forced). */
static struct wl_display *connect_wayland(bool forced)
{
	const char *name = getenv("WAYLAND_DISPLAY");

	if (!name || !*name) {
		if (forced)
			g_warning("no Wayland display: set WAYLAND_DISPLAY");
		return NULL;
	}
	struct wl_display *d = wl_display_connect(NULL);
	if (!d && forced)
		g_warning("cannot connect to the Wayland display %s: %s", name,
			  g_strerror(errno));
	else if (!d)
		g_message("cannot connect to the Wayland display %s (%s): "
			  "trying X11", name, g_strerror(errno));
	return d;
}

static int run_wayland(struct wl_display *d, const struct vdagent_options *opts)
{
	struct wl_backend_args args = {
		.display = d,
		.gone = on_wayland_gone,
		.open_x11 = open_xwayland,
		.open_x11_user = (void *)opts,
	};

	if (!opts->foreground && daemonize() < 0) {
		g_warning("cannot daemonize: %s", g_strerror(errno));
		wl_display_disconnect(d);
		return 1;
	}
	/* clipboard pipes whose reader went away report EPIPE instead */
	signal(SIGPIPE, SIG_IGN);
	int ret = run_agent(wl_backend_open, &args, opts);
	if (xwayland)
		XCloseDisplay(xwayland);
	wl_display_disconnect(d);
	return ret;
}
#endif

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

#ifdef HAVE_WAYLAND
	if (opts.backend != VDAGENT_BACKEND_X11) {
		bool forced = opts.backend == VDAGENT_BACKEND_WAYLAND;
		struct wl_display *d = connect_wayland(forced);
		if (d)
			return run_wayland(d, &opts);
		if (forced)
			return 1;
	}
#else
	if (opts.backend == VDAGENT_BACKEND_WAYLAND) {
		g_warning("this vdagent was built without its Wayland backend");
		return 1;
	}
#endif
	return run_x11(&opts);
}
