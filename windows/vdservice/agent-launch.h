/* SPDX-License-Identifier: MIT */
/*
 * Start vdagent.exe in the active console session, and stop it.
 *
 * Where the agent runs, in order of preference:
 *   1. the console user's session as that user (WTSQueryUserToken), on
 *      winsta0\default, with the user's environment;
 *   2. nobody logged on (or no user token to be had): the console session
 *      as LocalSystem (our token duplicated, its session id set), on the
 *      logon desktop winsta0\winlogon;
 *   3. neither works (the service lacks SeTcbPrivilege, or an environment
 *      such as wine that does not implement session tokens): our own
 *      session, as ourselves, on winsta0\default.
 * Each change of the mode is logged once, not every launch.
 */
#pragma once

#include <stdbool.h>
#include <windows.h>

enum vds_launch_mode {
	VDS_LAUNCH_NONE,
	VDS_LAUNCH_USER,
	VDS_LAUNCH_LOGON_DESKTOP,
	VDS_LAUNCH_OWN_SESSION,
};

struct vds_agent {
	HANDLE process;    /* NULL when no agent runs */
	HANDLE stop_event; /* see agent-stop.h */
	DWORD pid;
	DWORD session;
	ULONGLONG started_ms; /* GetTickCount64() at start */
	enum vds_launch_mode last_mode; /* for logging mode changes once */
};

void vds_agent_init(struct vds_agent *a);

/*
 * Start agent_path with cmdline (as built by vds_agent_command()).
 * Returns 0, or a negative errno (-ENOENT: no agent.exe) after one log
 * line.  The agent must not be running.
 */
int vds_agent_start(struct vds_agent *a, const wchar_t *agent_path,
		    const wchar_t *cmdline);

/*
 * Ask the agent to exit, kill it after the grace period, wait for it and
 * release it.  Nothing happens when no agent runs.  waiting (may be NULL)
 * is called with ctx about every second of the wait, for the service to
 * report progress to the SCM.
 */
void vds_agent_stop(struct vds_agent *a, void (*waiting)(void *ctx),
		    void *ctx);

/* After a->process was signalled: log how it ended, release it, and
 * return how many milliseconds it ran. */
ULONGLONG vds_agent_reap(struct vds_agent *a);
