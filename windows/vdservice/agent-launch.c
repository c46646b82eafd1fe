/* SPDX-License-Identifier: MIT */
#include "agent-launch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <sddl.h>
#include <userenv.h>
#include <wtsapi32.h>

#include "agent-stop.h"
#include "log.h"

/* Where and as whom the next agent runs (see agent-launch.h). */
struct launch_target {
	enum vds_launch_mode mode;
	DWORD session;
	HANDLE token; /* NULL in VDS_LAUNCH_OWN_SESSION */
	void *env;    /* CreateEnvironmentBlock's, or NULL */
	WCHAR desktop[32];
};

static const char *mode_text(enum vds_launch_mode mode)
{
	switch (mode) {
	case VDS_LAUNCH_USER:
		return "as the console user, on winsta0\\default";
	case VDS_LAUNCH_LOGON_DESKTOP:
		return "as LocalSystem in the console session, on the logon "
		       "desktop winsta0\\winlogon";
	case VDS_LAUNCH_OWN_SESSION:
		return "in the service's own session, as the service, on "
		       "winsta0\\default";
	default:
		return "nowhere";
	}
}

void vds_agent_init(struct vds_agent *a)
{
	memset(a, 0, sizeof(*a));
}

/* LocalSystem's own token as a primary token placed in session. */
static HANDLE system_token_for(DWORD session, DWORD *err)
{
	HANDLE self = NULL, dup = NULL;

	if (!OpenProcessToken(GetCurrentProcess(),
			      TOKEN_DUPLICATE | TOKEN_QUERY, &self)) {
		*err = GetLastError();
		return NULL;
	}
	if (!DuplicateTokenEx(self, MAXIMUM_ALLOWED, NULL,
			      SecurityIdentification, TokenPrimary, &dup)) {
		*err = GetLastError();
	} else if (!SetTokenInformation(dup, TokenSessionId, &session,
					sizeof(session))) {
		*err = GetLastError();
		CloseHandle(dup);
		dup = NULL;
	}
	CloseHandle(self);
	return dup;
}

static void pick_target(struct launch_target *t, enum vds_launch_mode last)
{
	DWORD user_err = 0, system_err = 0;

	memset(t, 0, sizeof(*t));
	t->session = WTSGetActiveConsoleSessionId();
	if (t->session != 0xFFFFFFFF) {
		if (WTSQueryUserToken(t->session, &t->token)) {
			t->mode = VDS_LAUNCH_USER;
			wcscpy(t->desktop, L"winsta0\\default");
			if (!CreateEnvironmentBlock(&t->env, t->token, FALSE))
				t->env = NULL;
			return;
		}
		user_err = GetLastError();
		t->token = system_token_for(t->session, &system_err);
		if (t->token) {
			t->mode = VDS_LAUNCH_LOGON_DESKTOP;
			wcscpy(t->desktop, L"winsta0\\winlogon");
			if (t->mode != last)
				vds_info("no user token for console session "
					 "%lu (%s)",
					 t->session, vds_strerror(user_err));
			return;
		}
	}
	t->mode = VDS_LAUNCH_OWN_SESSION;
	t->token = NULL;
	ProcessIdToSessionId(GetCurrentProcessId(), &t->session);
	wcscpy(t->desktop, L"winsta0\\default");
	if (t->mode != last) {
		if (user_err)
			vds_warning("no token for the console session: user "
				    "token: %s; service token: %s",
				    vds_strerror(user_err),
				    vds_strerror(system_err));
		else
			vds_warning("no active console session");
	}
}

static void target_free(struct launch_target *t)
{
	if (t->env)
		DestroyEnvironmentBlock(t->env);
	if (t->token)
		CloseHandle(t->token);
}

/* The stop event for pid (agent-stop.h): agents may only wait on it. */
static HANDLE create_stop_event(DWORD pid)
{
	WCHAR name[64];
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
	PSECURITY_DESCRIPTOR sd = NULL;
	HANDLE ev;

	_snwprintf(name, 64, VDS_AGENT_STOP_EVENT_FMT, (unsigned long)pid);
	name[63] = 0;
	/* Everyone: SYNCHRONIZE; LocalSystem: all. */
	if (ConvertStringSecurityDescriptorToSecurityDescriptorW(
		    L"D:(A;;0x00100000;;;WD)(A;;GA;;;SY)", SDDL_REVISION_1, &sd,
		    NULL))
		sa.lpSecurityDescriptor = sd;
	ev = CreateEventW(&sa, TRUE, FALSE, name);
	if (!ev)
		vds_warning("cannot create the agent's stop event: %s",
			    vds_strerror(GetLastError()));
	LocalFree(sd);
	return ev;
}

int vds_agent_start(struct vds_agent *a, const wchar_t *agent_path,
		    const wchar_t *cmdline)
{
	STARTUPINFOW si = { .cb = sizeof(si) };
	PROCESS_INFORMATION pi;
	struct launch_target t;
	WCHAR cmd[2048];
	DWORD flags = CREATE_SUSPENDED | CREATE_NO_WINDOW;
	BOOL ok;

	if (GetFileAttributesW(agent_path) == INVALID_FILE_ATTRIBUTES) {
		vds_error("no agent at %ls: %s", agent_path,
			  vds_strerror(GetLastError()));
		return -ENOENT;
	}
	wcsncpy(cmd, cmdline, 2047);
	cmd[2047] = 0;
	pick_target(&t, a->last_mode);
	if (t.mode != a->last_mode)
		vds_info("starting agents %s", mode_text(t.mode));
	a->last_mode = t.mode;
	si.lpDesktop = t.desktop;
	if (t.env)
		flags |= CREATE_UNICODE_ENVIRONMENT;
	if (t.token)
		ok = CreateProcessAsUserW(t.token, agent_path, cmd, NULL, NULL,
					  FALSE, flags, t.env, NULL, &si, &pi);
	else
		ok = CreateProcessW(agent_path, cmd, NULL, NULL, FALSE, flags,
				    NULL, NULL, &si, &pi);
	if (!ok) {
		vds_error("cannot start %ls: %s", agent_path,
			  vds_strerror(GetLastError()));
		target_free(&t);
		return -EIO;
	}
	target_free(&t);
	a->stop_event = create_stop_event(pi.dwProcessId);
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	a->process = pi.hProcess;
	a->pid = pi.dwProcessId;
	a->session = t.session;
	a->started_ms = GetTickCount64();
	vds_info("agent started: pid %lu, session %lu", a->pid, a->session);
	return 0;
}

static void release(struct vds_agent *a)
{
	CloseHandle(a->process);
	if (a->stop_event)
		CloseHandle(a->stop_event);
	a->process = NULL;
	a->stop_event = NULL;
	a->pid = 0;
}

ULONGLONG vds_agent_reap(struct vds_agent *a)
{
	ULONGLONG ran = GetTickCount64() - a->started_ms;
	DWORD code = 0;

	GetExitCodeProcess(a->process, &code);
	vds_info("agent pid %lu exited with code %lu after %llu ms", a->pid,
		 code, ran);
	release(a);
	return ran;
}

/* Wait up to ms for the agent's exit, calling waiting every second. */
static bool wait_exit(struct vds_agent *a, DWORD ms,
		      void (*waiting)(void *ctx), void *ctx)
{
	for (DWORD left = ms; left > 0;) {
		DWORD slice = left < 1000 ? left : 1000;

		if (WaitForSingleObject(a->process, slice) == WAIT_OBJECT_0)
			return true;
		left -= slice;
		if (waiting)
			waiting(ctx);
	}
	return false;
}

void vds_agent_stop(struct vds_agent *a, void (*waiting)(void *ctx),
		    void *ctx)
{
	if (!a->process)
		return;
	vds_debug("asking agent pid %lu to exit", a->pid);
	if (a->stop_event)
		SetEvent(a->stop_event);
	if (!wait_exit(a, VDS_AGENT_STOP_GRACE_MS, waiting, ctx)) {
		vds_warning("agent pid %lu did not exit within %u ms: "
			    "terminating it",
			    a->pid, VDS_AGENT_STOP_GRACE_MS);
		TerminateProcess(a->process, VDS_AGENT_KILLED_EXIT_CODE);
		wait_exit(a, VDS_AGENT_STOP_GRACE_MS, waiting, ctx);
	}
	vds_agent_reap(a);
}
