/* SPDX-License-Identifier: MIT */
/*
 * Session backend: systemd-logind over the system D-Bus (libdbus-1).
 *
 * The connection is driven by the GLib main loop through libdbus' watch
 * functions.  The active session of seat0 is cached and refreshed when
 * logind signals a change of the seat's ActiveSession property; lookups
 * (a process' session, a session's owner, its lock state) are short
 * blocking calls to the local bus, made only when a connection arrives or
 * a transfer starts, so the lock state is always current.
 *
 * libdbus-1 is loaded with dlopen() only when this backend is tried: with
 * -X, or where there is no system bus, the daemon never maps it (nor the
 * libraries it pulls in), which keeps its idle memory small.
 */
#include "config.h"

#include <dbus/dbus.h>
#include <dlfcn.h>
#include <glib.h>
#include <unistd.h>

#include "fdwatch.h"
#include "session.h"
#include "vdp-util.h"

#define LOGIND "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define SEAT_PATH "/org/freedesktop/login1/seat/seat0"
#define CALL_TIMEOUT_MS 2000

#define DBUS_FUNCS(X) \
	X(dbus_bus_add_match) \
	X(dbus_bus_get_private) \
	X(dbus_bus_name_has_owner) \
	X(dbus_connection_add_filter) \
	X(dbus_connection_close) \
	X(dbus_connection_dispatch) \
	X(dbus_connection_remove_filter) \
	X(dbus_connection_send_with_reply_and_block) \
	X(dbus_connection_set_dispatch_status_function) \
	X(dbus_connection_set_exit_on_disconnect) \
	X(dbus_connection_set_timeout_functions) \
	X(dbus_connection_set_watch_functions) \
	X(dbus_connection_unref) \
	X(dbus_error_free) \
	X(dbus_error_init) \
	X(dbus_error_is_set) \
	X(dbus_message_append_args) \
	X(dbus_message_get_args) \
	X(dbus_message_has_path) \
	X(dbus_message_is_signal) \
	X(dbus_message_iter_get_arg_type) \
	X(dbus_message_iter_get_basic) \
	X(dbus_message_iter_init) \
	X(dbus_message_iter_recurse) \
	X(dbus_message_new_method_call) \
	X(dbus_message_unref) \
	X(dbus_watch_get_data) \
	X(dbus_watch_get_enabled) \
	X(dbus_watch_get_flags) \
	X(dbus_watch_get_unix_fd) \
	X(dbus_watch_handle) \
	X(dbus_watch_set_data)

struct dbus_api {
	void *handle;
#define X(f) __typeof__(&f) f;
	DBUS_FUNCS(X)
#undef X
};

struct logind {
	struct dbus_api api;
	DBusConnection *bus;
	session_changed_cb changed;
	void *user;
	char *active; /* session id, or NULL */
	guint dispatch_idle;
};

/* ---- main loop glue ----------------------------------------------------- */

struct bus_watch {
	struct logind *l;
	DBusWatch *watch;
	struct fdwatch *fdw;
};

static gboolean dispatch_cb(gpointer data)
{
	struct logind *l = data;

	l->dispatch_idle = 0;
	while (l->api.dbus_connection_dispatch(l->bus) == DBUS_DISPATCH_DATA_REMAINS)
		;
	return G_SOURCE_REMOVE;
}

static void schedule_dispatch(struct logind *l)
{
	if (!l->dispatch_idle)
		l->dispatch_idle = g_idle_add(dispatch_cb, l);
}

static void on_bus_fd(void *user, GIOCondition rev)
{
	struct bus_watch *w = user;
	unsigned flags = 0;

	if (rev & G_IO_IN)
		flags |= DBUS_WATCH_READABLE;
	if (rev & G_IO_OUT)
		flags |= DBUS_WATCH_WRITABLE;
	if (rev & G_IO_HUP)
		flags |= DBUS_WATCH_HANGUP;
	if (rev & G_IO_ERR)
		flags |= DBUS_WATCH_ERROR;
	w->l->api.dbus_watch_handle(w->watch, flags);
	schedule_dispatch(w->l);
}

static GIOCondition watch_events(struct logind *l, DBusWatch *watch)
{
	unsigned flags = l->api.dbus_watch_get_flags(watch);
	GIOCondition ev = 0;

	if (!l->api.dbus_watch_get_enabled(watch))
		return 0;
	if (flags & DBUS_WATCH_READABLE)
		ev |= G_IO_IN;
	if (flags & DBUS_WATCH_WRITABLE)
		ev |= G_IO_OUT;
	return ev;
}

static dbus_bool_t add_watch(DBusWatch *watch, void *data)
{
	struct logind *l = data;
	struct bus_watch *w = g_new0(struct bus_watch, 1);

	w->l = l;
	w->watch = watch;
	w->fdw = fdwatch_new(l->api.dbus_watch_get_unix_fd(watch),
			     watch_events(l, watch), on_bus_fd, w);
	l->api.dbus_watch_set_data(watch, w, NULL);
	return TRUE;
}

static void remove_watch(DBusWatch *watch, void *data)
{
	struct logind *l = data;
	struct bus_watch *w = l->api.dbus_watch_get_data(watch);

	if (!w)
		return;
	fdwatch_free(w->fdw);
	g_free(w);
	l->api.dbus_watch_set_data(watch, NULL, NULL);
}

static void toggle_watch(DBusWatch *watch, void *data)
{
	struct logind *l = data;
	struct bus_watch *w = l->api.dbus_watch_get_data(watch);

	if (w)
		fdwatch_set_events(w->fdw, watch_events(l, watch));
}

/* Only blocking calls are made: their timeouts are libdbus' own. */
static dbus_bool_t add_timeout(DBusTimeout *t, void *data)
{
	return TRUE;
}

static void remove_timeout(DBusTimeout *t, void *data)
{
}

static void dispatch_status(DBusConnection *c, DBusDispatchStatus s,
			    void *data)
{
	if (s == DBUS_DISPATCH_DATA_REMAINS)
		schedule_dispatch(data);
}

/* ---- calls -------------------------------------------------------------- */

static DBusMessage *call(struct logind *l, DBusMessage *m)
{
	DBusError err;
	DBusMessage *reply;

	l->api.dbus_error_init(&err);
	reply = l->api.dbus_connection_send_with_reply_and_block(l->bus, m,
							  CALL_TIMEOUT_MS,
							  &err);
	l->api.dbus_message_unref(m);
	if (!reply) {
		g_debug("logind: %s", err.message ? err.message : "no reply");
		l->api.dbus_error_free(&err);
	}
	return reply;
}

/* Get(interface, property): the reply, its iterator inside the variant. */
static DBusMessage *get_property(struct logind *l, const char *path,
				 const char *iface, const char *prop,
				 DBusMessageIter *value)
{
	DBusMessage *m = l->api.dbus_message_new_method_call(
		LOGIND, path, "org.freedesktop.DBus.Properties", "Get");
	DBusMessage *reply;
	DBusMessageIter it;

	if (!m)
		return NULL;
	if (!l->api.dbus_message_append_args(m, DBUS_TYPE_STRING, &iface,
					     DBUS_TYPE_STRING, &prop,
					     DBUS_TYPE_INVALID)) {
		l->api.dbus_message_unref(m);
		return NULL;
	}
	reply = call(l, m);
	if (!reply)
		return NULL;
	if (!l->api.dbus_message_iter_init(reply, &it) ||
	    l->api.dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_VARIANT) {
		l->api.dbus_message_unref(reply);
		return NULL;
	}
	l->api.dbus_message_iter_recurse(&it, value);
	return reply;
}

/* The first string field of a (so) struct or a plain string. */
static char *string_in(struct logind *l, DBusMessageIter *it)
{
	DBusMessageIter sub;
	const char *s = NULL;

	if (l->api.dbus_message_iter_get_arg_type(it) == DBUS_TYPE_STRUCT) {
		l->api.dbus_message_iter_recurse(it, &sub);
		it = &sub;
	}
	if (l->api.dbus_message_iter_get_arg_type(it) != DBUS_TYPE_STRING)
		return NULL;
	l->api.dbus_message_iter_get_basic(it, &s);
	return s && *s ? g_strdup(s) : NULL;
}

static char *read_active(struct logind *l)
{
	DBusMessageIter v;
	DBusMessage *reply = get_property(l, SEAT_PATH, LOGIND ".Seat",
					  "ActiveSession", &v);
	char *id;

	if (!reply)
		return NULL;
	id = string_in(l, &v);
	l->api.dbus_message_unref(reply);
	return id;
}

/* The object path a Manager method with one argument answers with. */
static char *manager_path(struct logind *l, const char *method, int arg_type,
			  const void *arg)
{
	DBusMessage *m = l->api.dbus_message_new_method_call(
		LOGIND, LOGIND_PATH, LOGIND ".Manager", method);
	DBusMessage *reply;
	const char *path = NULL;
	char *out = NULL;

	if (!m)
		return NULL;
	if (!l->api.dbus_message_append_args(m, arg_type, arg,
					     DBUS_TYPE_INVALID)) {
		l->api.dbus_message_unref(m);
		return NULL;
	}
	reply = call(l, m);
	if (!reply)
		return NULL;
	if (l->api.dbus_message_get_args(reply, NULL, DBUS_TYPE_OBJECT_PATH, &path,
				  DBUS_TYPE_INVALID))
		out = g_strdup(path);
	l->api.dbus_message_unref(reply);
	return out;
}

/* Object path of a session, from its id. */
static char *session_path(struct logind *l, const char *id)
{
	return manager_path(l, "GetSession", DBUS_TYPE_STRING, &id);
}

/* ---- the backend -------------------------------------------------------- */

static void refresh_active(struct logind *l)
{
	char *id = read_active(l);
	bool same = (!id && !l->active) ||
		    (id && l->active && streq(id, l->active));

	g_free(l->active);
	l->active = id;
	if (!same) {
		g_debug("logind: active session %s", id ? id : "(none)");
		l->changed(l->user);
	}
}

static DBusHandlerResult filter(DBusConnection *c, DBusMessage *m, void *data)
{
	struct logind *l = data;

	if (l->api.dbus_message_is_signal(m, "org.freedesktop.DBus.Properties",
				   "PropertiesChanged") &&
	    l->api.dbus_message_has_path(m, SEAT_PATH))
		refresh_active(l);
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

static bool load_dbus(struct dbus_api *api)
{
	api->handle = dlopen("libdbus-1.so.3", RTLD_NOW | RTLD_LOCAL);
	if (!api->handle) {
		g_debug("logind: %s", dlerror());
		return false;
	}
#define X(f)                                                                  \
	api->f = (__typeof__(&f))dlsym(api->handle, #f);                      \
	if (!api->f) {                                                        \
		g_debug("logind: libdbus-1 lacks %s", #f);                    \
		return false;                                                 \
	}
	DBUS_FUNCS(X)
#undef X
	return true;
}

static void logind_destroy(void *priv)
{
	struct logind *l = priv;

	if (!l)
		return;
	if (l->dispatch_idle)
		g_source_remove(l->dispatch_idle);
	if (l->bus) {
		l->api.dbus_connection_remove_filter(l->bus, filter, l);
		l->api.dbus_connection_set_watch_functions(l->bus, NULL, NULL, NULL,
						    NULL, NULL);
		l->api.dbus_connection_close(l->bus);
		l->api.dbus_connection_unref(l->bus);
	}
	if (l->api.handle)
		dlclose(l->api.handle);
	g_free(l->active);
	g_free(l);
}

static void *logind_create(session_changed_cb changed, void *user)
{
	struct logind *l = g_new0(struct logind, 1);
	DBusError err;

	l->changed = changed;
	l->user = user;
	if (access("/run/dbus/system_bus_socket", F_OK) < 0 &&
	    !g_getenv("DBUS_SYSTEM_BUS_ADDRESS")) {
		g_debug("logind: no system bus");
		goto fail;
	}
	if (!load_dbus(&l->api))
		goto fail;
	l->api.dbus_error_init(&err);
	l->bus = l->api.dbus_bus_get_private(DBUS_BUS_SYSTEM, &err);
	if (!l->bus) {
		g_debug("logind: no system bus: %s", err.message);
		l->api.dbus_error_free(&err);
		goto fail;
	}
	l->api.dbus_connection_set_exit_on_disconnect(l->bus, FALSE);
	if (!l->api.dbus_bus_name_has_owner(l->bus, LOGIND, NULL)) {
		g_debug("logind: %s not on the bus", LOGIND);
		goto fail;
	}
	l->api.dbus_bus_add_match(l->bus,
			   "type='signal',sender='" LOGIND "',"
			   "interface='org.freedesktop.DBus.Properties',"
			   "member='PropertiesChanged',path='" SEAT_PATH "'",
			   &err);
	if (l->api.dbus_error_is_set(&err)) {
		g_debug("logind: add_match: %s", err.message);
		l->api.dbus_error_free(&err);
		goto fail;
	}
	if (!l->api.dbus_connection_add_filter(l->bus, filter, l, NULL) ||
	    !l->api.dbus_connection_set_watch_functions(l->bus, add_watch,
						 remove_watch, toggle_watch, l,
						 NULL) ||
	    !l->api.dbus_connection_set_timeout_functions(l->bus, add_timeout,
						   remove_timeout, NULL, l,
						   NULL))
		goto fail;
	l->api.dbus_connection_set_dispatch_status_function(l->bus, dispatch_status,
						     l, NULL);
	l->active = read_active(l);
	g_debug("logind: active session %s", l->active ? l->active : "(none)");
	return l;
fail:
	logind_destroy(l);
	return NULL;
}

static char *logind_session_for_pid(void *priv, pid_t pid)
{
	struct logind *l = priv;
	dbus_uint32_t upid = (dbus_uint32_t)pid;
	g_autofree char *path = manager_path(l, "GetSessionByPID",
					     DBUS_TYPE_UINT32, &upid);
	DBusMessageIter v;
	DBusMessage *reply;
	char *id = NULL;

	if (!path)
		return NULL;
	reply = get_property(l, path, LOGIND ".Session", "Id", &v);
	if (reply) {
		id = string_in(l, &v);
		l->api.dbus_message_unref(reply);
	}
	return id;
}

static bool logind_session_uid(void *priv, const char *session, uid_t *uid)
{
	struct logind *l = priv;
	g_autofree char *path = session_path(l, session);
	DBusMessageIter v, sub;
	DBusMessage *reply;
	dbus_uint32_t u;
	bool found = false;

	if (!path)
		return false;
	reply = get_property(l, path, LOGIND ".Session", "User", &v);
	if (!reply)
		return false;
	if (l->api.dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_STRUCT) {
		l->api.dbus_message_iter_recurse(&v, &sub);
		if (l->api.dbus_message_iter_get_arg_type(&sub) == DBUS_TYPE_UINT32) {
			l->api.dbus_message_iter_get_basic(&sub, &u);
			*uid = (uid_t)u;
			found = true;
		}
	}
	l->api.dbus_message_unref(reply);
	return found;
}

static const char *logind_active_session(void *priv)
{
	struct logind *l = priv;

	return l->active;
}

static bool logind_is_locked(void *priv, const char *session)
{
	struct logind *l = priv;
	g_autofree char *path = session_path(l, session);
	DBusMessageIter v;
	DBusMessage *reply;
	dbus_bool_t b = FALSE;

	if (!path)
		return false;
	reply = get_property(l, path, LOGIND ".Session", "LockedHint", &v);
	if (!reply)
		return false;
	if (l->api.dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_BOOLEAN)
		l->api.dbus_message_iter_get_basic(&v, &b);
	l->api.dbus_message_unref(reply);
	return b;
}

const struct session_backend session_backend_logind = {
	.name = "systemd-logind",
	.create = logind_create,
	.destroy = logind_destroy,
	.session_for_pid = logind_session_for_pid,
	.session_uid = logind_session_uid,
	.active_session = logind_active_session,
	.is_locked = logind_is_locked,
};
