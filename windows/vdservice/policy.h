/* SPDX-License-Identifier: MIT */
/*
 * vdservice's decisions, kept free of Win32 calls so the unit tests can
 * check them: when to start the agent again after it exited or failed to
 * start (backoff), and what a session change means for the running agent.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * Restart backoff.  The first restart waits VDS_BACKOFF_MIN_MS, each one
 * after it twice as long, up to VDS_BACKOFF_MAX_MS.  An agent that ran at
 * least VDS_BACKOFF_RESET_MS before it exited counts as healthy: the
 * schedule starts over.  A failed launch counts as a run of 0 ms, so every
 * failure path waits and the service never spins.
 */
#define VDS_BACKOFF_MIN_MS 1000u
#define VDS_BACKOFF_MAX_MS 30000u
#define VDS_BACKOFF_RESET_MS 60000u

struct vds_backoff {
	uint32_t next_ms; /* the delay the next failure gets; 0 = fresh */
};

void vds_backoff_init(struct vds_backoff *b);
/* The agent stopped (or failed to start) after ran_ms: how long to wait. */
uint32_t vds_backoff_next(struct vds_backoff *b, uint64_t ran_ms);

/*
 * Session events, numbered as the SCM numbers them in the dwEventType of
 * SERVICE_CONTROL_SESSIONCHANGE (WTS_CONSOLE_CONNECT = 1 ...).
 */
enum vds_session_event {
	VDS_SESSION_CONSOLE_CONNECT = 1,
	VDS_SESSION_CONSOLE_DISCONNECT = 2,
	VDS_SESSION_REMOTE_CONNECT = 3,
	VDS_SESSION_REMOTE_DISCONNECT = 4,
	VDS_SESSION_LOGON = 5,
	VDS_SESSION_LOGOFF = 6,
	VDS_SESSION_LOCK = 7,
	VDS_SESSION_UNLOCK = 8,
	VDS_SESSION_REMOTE_CONTROL = 9,
};

enum vds_action {
	VDS_ACTION_NONE,    /* keep the agent as it is */
	VDS_ACTION_RESTART, /* stop it and start it again at once */
};

/*
 * What to do with the agent on a session event.  event_session is the
 * session the event is about, console_session the active console session
 * now (UINT32_MAX when there is none); both as Windows reports them.
 *
 *   console connect      -> restart: the console now shows another session
 *   logon, logoff        -> restart if it is the console session: the
 *                           agent must run with the new user's token (or
 *                           on the logon desktop again)
 *   console disconnect   -> none: a console connect follows
 *   lock, unlock         -> none: the session and its user are the same;
 *                           Windows switches the input desktop itself and
 *                           the agent keeps its connection to the client
 *   remote (RDP) events  -> none: the agent serves the console only
 */
enum vds_action vds_session_action(uint32_t event, uint32_t event_session,
				   uint32_t console_session);

const char *vds_session_event_name(uint32_t event);
