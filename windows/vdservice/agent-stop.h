/* SPDX-License-Identifier: MIT */
/*
 * How vdservice asks vdagent.exe to exit (the contract between the two).
 *
 * Before the agent's first instruction runs (it is created suspended),
 * vdservice creates a manual-reset event named
 *
 *	Global\vdagent-stop-PID		(PID: the agent's process id, decimal)
 *
 * that everyone may open with SYNCHRONIZE access only.  To stop the agent
 * vdservice sets the event, waits VDS_AGENT_STOP_GRACE_MS for the process
 * to exit, then calls TerminateProcess(agent, VDS_AGENT_KILLED_EXIT_CODE).
 *
 * The agent: OpenEventW(SYNCHRONIZE, FALSE, name) at start-up (if it fails
 * the agent was not started by vdservice: nothing to wait on), include the
 * handle in its wait loop, and return from main when it is signalled.  An
 * agent that ignores the event still stops, only later and uncleanly.
 */
#pragma once

#define VDS_AGENT_STOP_EVENT_FMT L"Global\\vdagent-stop-%lu"
#define VDS_AGENT_STOP_GRACE_MS 5000u
#define VDS_AGENT_KILLED_EXIT_CODE 0xdead
