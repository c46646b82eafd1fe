/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <glib.h>

#include "session.h"

struct session_tracker {
	const struct session_backend *backend;
	void *priv;
};

struct session_tracker *session_tracker_new(bool use_logind,
					    session_changed_cb changed,
					    void *user)
{
	struct session_tracker *t = g_new0(struct session_tracker, 1);

	if (use_logind) {
		t->priv = session_backend_logind.create(changed, user);
		if (t->priv)
			t->backend = &session_backend_logind;
		else
			g_message("session: systemd-logind not available; "
				  "one agent at a time");
	}
	if (!t->backend) {
		t->backend = &session_backend_single;
		t->priv = t->backend->create(changed, user);
	}
	g_debug("session: using %s", t->backend->name);
	return t;
}

struct session_tracker *
session_tracker_new_with_backend(const struct session_backend *b,
				 session_changed_cb changed, void *user)
{
	struct session_tracker *t = g_new0(struct session_tracker, 1);

	t->backend = b;
	t->priv = b->create(changed, user);
	if (!t->priv) {
		g_free(t);
		return NULL;
	}
	return t;
}

void session_tracker_free(struct session_tracker *t)
{
	if (!t)
		return;
	t->backend->destroy(t->priv);
	g_free(t);
}

bool session_tracker_has_sessions(const struct session_tracker *t)
{
	return t->backend != &session_backend_single;
}

const char *session_tracker_name(const struct session_tracker *t)
{
	return t->backend->name;
}

char *session_tracker_session_for_pid(struct session_tracker *t, pid_t pid)
{
	return t->backend->session_for_pid(t->priv, pid);
}

bool session_tracker_session_uid(struct session_tracker *t,
				 const char *session, uid_t *uid)
{
	return t->backend->session_uid(t->priv, session, uid);
}

const char *session_tracker_active(struct session_tracker *t)
{
	return t->backend->active_session(t->priv);
}

bool session_tracker_is_locked(struct session_tracker *t, const char *session)
{
	return session && t->backend->is_locked(t->priv, session);
}
