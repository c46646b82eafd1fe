/* SPDX-License-Identifier: MIT */
/* Session backend without session information: the router then serves one
 * agent at a time (the first that connected). */
#include "config.h"

#include <stddef.h>

#include "session.h"

static const int single_state; /* a non-NULL token */

static void *single_create(session_changed_cb changed, void *user)
{
	return (void *)&single_state;
}

static void single_destroy(void *priv)
{
}

static char *single_session_for_pid(void *priv, pid_t pid)
{
	return NULL;
}

static bool single_session_uid(void *priv, const char *session, uid_t *uid)
{
	return false;
}

static const char *single_active_session(void *priv)
{
	return NULL;
}

static bool single_is_locked(void *priv, const char *session)
{
	return false;
}

const struct session_backend session_backend_single = {
	.name = "single agent (no session tracking)",
	.create = single_create,
	.destroy = single_destroy,
	.session_for_pid = single_session_for_pid,
	.session_uid = single_session_uid,
	.active_session = single_active_session,
	.is_locked = single_is_locked,
};
