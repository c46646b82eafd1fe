/* SPDX-License-Identifier: MIT */
#include "service.h"

#include <errno.h>
#include <windows.h>
#include <wtsapi32.h>

#include "agent-command.h"
#include "agent-launch.h"
#include "agent-stop.h"
#include "log.h"
#include "policy.h"
#include "service-config.h"

#define ARGS_MAX 1024

struct vds_service {
	SERVICE_STATUS_HANDLE handle;
	CRITICAL_SECTION status_lock; /* the handler thread reports too */
	SERVICE_STATUS status;
	HANDLE stop_event;    /* set by the handler on stop or shutdown */
	HANDLE restart_event; /* set by the handler: a session change */
	struct vds_agent agent;
	struct vds_backoff backoff;
	WCHAR self[MAX_PATH];
};

/*
 * ServiceMain gets no context pointer from the SCM, so the one service
 * this process runs lives here.
 */
static struct vds_service the_service;

static void report(struct vds_service *s, DWORD state, DWORD exit_code,
		   DWORD wait_hint)
{
	EnterCriticalSection(&s->status_lock);
	s->status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	s->status.dwCurrentState = state;
	s->status.dwWin32ExitCode = exit_code;
	s->status.dwWaitHint = wait_hint;
	s->status.dwControlsAccepted =
		state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP |
						   SERVICE_ACCEPT_SHUTDOWN |
						   SERVICE_ACCEPT_SESSIONCHANGE
					 : 0;
	if (state == SERVICE_RUNNING || state == SERVICE_STOPPED)
		s->status.dwCheckPoint = 0;
	else
		s->status.dwCheckPoint++;
	SetServiceStatus(s->handle, &s->status);
	LeaveCriticalSection(&s->status_lock);
}

/* Progress while the agent stops: the SCM sees the checkpoint move. */
static void report_stopping(void *ctx)
{
	report(ctx, SERVICE_STOP_PENDING, NO_ERROR, 2000);
}

static void on_session_change(struct vds_service *s, DWORD event,
			      const WTSSESSION_NOTIFICATION *n)
{
	DWORD session = n ? n->dwSessionId : 0xFFFFFFFF;
	DWORD console = WTSGetActiveConsoleSessionId();
	enum vds_action action = vds_session_action(event, session, console);

	vds_info("session %lu: %s (console session %lu): %s", session,
		 vds_session_event_name(event), console,
		 action == VDS_ACTION_RESTART ? "restarting the agent"
					      : "nothing to do");
	if (action == VDS_ACTION_RESTART)
		SetEvent(s->restart_event);
}

/* Runs on the dispatcher thread; the supervisor loop does the work. */
static DWORD WINAPI handler(DWORD control, DWORD event, void *data, void *ctx)
{
	struct vds_service *s = ctx;

	switch (control) {
	case SERVICE_CONTROL_STOP:
	case SERVICE_CONTROL_SHUTDOWN:
		report(s, SERVICE_STOP_PENDING, NO_ERROR,
		       2 * VDS_AGENT_STOP_GRACE_MS);
		SetEvent(s->stop_event);
		return NO_ERROR;
	case SERVICE_CONTROL_SESSIONCHANGE:
		on_session_change(s, event, data);
		return NO_ERROR;
	case VDS_CONTROL_RESTART_AGENT:
		vds_info("agent restart requested");
		SetEvent(s->restart_event);
		return NO_ERROR;
	case SERVICE_CONTROL_INTERROGATE:
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

static int start_agent(struct vds_service *s)
{
	WCHAR args[ARGS_MAX], path[MAX_PATH], cmd[MAX_PATH + ARGS_MAX + 4];
	int r;

	vds_service_agent_args(args, ARGS_MAX);
	r = vds_agent_command(s->self, args, path, MAX_PATH, cmd,
			      sizeof(cmd) / sizeof(cmd[0]));
	if (r < 0) {
		vds_error("cannot build the agent's command line (%d)", r);
		return r;
	}
	return vds_agent_start(&s->agent, path, cmd);
}

/*
 * The supervisor: one agent at a time; next_start is when to (re)start it
 * while none runs.  Returns when the stop event is set.
 */
static void supervise(struct vds_service *s)
{
	ULONGLONG next_start = GetTickCount64();

	for (;;) {
		HANDLE h[3] = { s->stop_event, s->restart_event,
				s->agent.process };
		DWORD timeout = INFINITE, r;
		ULONGLONG now = GetTickCount64();

		if (!s->agent.process)
			timeout = next_start > now ? (DWORD)(next_start - now)
						   : 0;
		r = WaitForMultipleObjects(s->agent.process ? 3 : 2, h, FALSE,
					   timeout);
		if (r == WAIT_OBJECT_0) {
			return;
		} else if (r == WAIT_OBJECT_0 + 1) {
			ResetEvent(s->restart_event);
			vds_agent_stop(&s->agent, NULL, NULL);
			next_start = GetTickCount64();
		} else if (r == WAIT_OBJECT_0 + 2) {
			uint32_t delay = vds_backoff_next(
				&s->backoff, vds_agent_reap(&s->agent));

			vds_info("restarting the agent in %u ms", delay);
			next_start = GetTickCount64() + delay;
		} else if (r == WAIT_TIMEOUT) {
			if (start_agent(s) < 0) {
				uint32_t delay = vds_backoff_next(&s->backoff, 0);

				vds_info("retrying in %u ms", delay);
				next_start = GetTickCount64() + delay;
			}
		} else {
			vds_error("wait failed: %s",
				  vds_strerror(GetLastError()));
			Sleep(VDS_BACKOFF_MIN_MS); /* never spin */
		}
	}
}

/* Reapply description and failure actions (service-config.h). */
static void configure_self(void)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	SC_HANDLE svc = NULL;

	if (scm)
		svc = OpenServiceW(scm, VDS_SERVICE_NAME,
				   SERVICE_CHANGE_CONFIG | SERVICE_START);
	if (svc)
		vds_service_configure(svc);
	else
		vds_warning("cannot open my own service entry: %s",
			    vds_strerror(GetLastError()));
	if (svc)
		CloseServiceHandle(svc);
	if (scm)
		CloseServiceHandle(scm);
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
	struct vds_service *s = &the_service;

	(void)argc;
	(void)argv;
	InitializeCriticalSection(&s->status_lock);
	s->handle = RegisterServiceCtrlHandlerExW(VDS_SERVICE_NAME, handler, s);
	if (!s->handle) {
		vds_error("cannot register the control handler: %s",
			  vds_strerror(GetLastError()));
		return;
	}
	report(s, SERVICE_START_PENDING, NO_ERROR, 3000);
	s->stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
	s->restart_event = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!s->stop_event || !s->restart_event ||
	    !GetModuleFileNameW(NULL, s->self, MAX_PATH)) {
		DWORD err = GetLastError();

		vds_error("cannot set up: %s", vds_strerror(err));
		report(s, SERVICE_STOPPED, err, 0);
		return;
	}
	vds_agent_init(&s->agent);
	vds_backoff_init(&s->backoff);
	configure_self();
	report(s, SERVICE_RUNNING, NO_ERROR, 0);
	vds_info("service running");
	supervise(s);
	vds_agent_stop(&s->agent, report_stopping, s);
	vds_info("service stopped");
	report(s, SERVICE_STOPPED, NO_ERROR, 0);
}

int vds_service_run(void)
{
	SERVICE_TABLE_ENTRYW table[] = {
		{ (LPWSTR)VDS_SERVICE_NAME, service_main },
		{ NULL, NULL },
	};

	if (!StartServiceCtrlDispatcherW(table)) {
		DWORD err = GetLastError();

		if (err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
			return -ENOTSUP;
		vds_error("cannot connect to the service control manager: %s",
			  vds_strerror(err));
		return -EIO;
	}
	return 0;
}
