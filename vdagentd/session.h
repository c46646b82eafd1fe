/* SPDX-License-Identifier: MIT */
/*
 * Which session is active, and which session a process belongs to.  Two
 * backends behind one table: systemd-logind over D-Bus, and "single" (no
 * session information: one agent at a time), used with -X or when logind
 * is not reachable.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

typedef void (*session_changed_cb)(void *user);

struct session_backend {
	const char *name;
	/* Returns the backend's state, or NULL when it cannot work here. */
	void *(*create)(session_changed_cb changed, void *user);
	void (*destroy)(void *priv);
	/* The session of a process (g_free it), NULL when it has none. */
	char *(*session_for_pid)(void *priv, pid_t pid);
	/* The owner of a session; false when unknown. */
	bool (*session_uid)(void *priv, const char *session, uid_t *uid);
	/* The active session of seat0, NULL when none; owned by priv. */
	const char *(*active_session)(void *priv);
	bool (*is_locked)(void *priv, const char *session);
};

extern const struct session_backend session_backend_logind;
extern const struct session_backend session_backend_single;

struct session_tracker;

/* use_logind false (-X): the single backend.  Otherwise logind, falling
 * back to single (logged) when logind is not available.  changed is called
 * when the active session or its lock state changes. */
struct session_tracker *session_tracker_new(bool use_logind,
					    session_changed_cb changed,
					    void *user);
/* With a given backend (tests); NULL when it cannot be created. */
struct session_tracker *
session_tracker_new_with_backend(const struct session_backend *b,
				 session_changed_cb changed, void *user);
void session_tracker_free(struct session_tracker *t);

/* False for the single backend: then every agent is "sessionless". */
bool session_tracker_has_sessions(const struct session_tracker *t);
const char *session_tracker_name(const struct session_tracker *t);
char *session_tracker_session_for_pid(struct session_tracker *t, pid_t pid);
bool session_tracker_session_uid(struct session_tracker *t,
				 const char *session, uid_t *uid);
const char *session_tracker_active(struct session_tracker *t);
bool session_tracker_is_locked(struct session_tracker *t, const char *session);
