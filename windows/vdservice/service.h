/* SPDX-License-Identifier: MIT */
/*
 * Running as the service: connect to the SCM, keep one agent running in
 * the active console session (agent-launch.h), restart it when it exits
 * (policy.h's backoff) and on session changes (policy.h's table), stop it
 * when the service stops.
 */
#pragma once

/*
 * A user-defined service control (128..255): stop the agent and start it
 * again at once, e.g. after changing AgentArguments:
 *	sc control vdservice 128
 */
#define VDS_CONTROL_RESTART_AGENT 128

/*
 * Hand the process to the SCM; returns when the service has stopped.
 * Returns 0, or -ENOTSUP when the process was not started by the SCM
 * (started from a console: the caller prints the usage).
 */
int vds_service_run(void);
