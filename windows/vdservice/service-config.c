/* SPDX-License-Identifier: MIT */
#include "service-config.h"

#include <errno.h>
#include <stdio.h>

#include "log.h"

int vds_service_configure(SC_HANDLE service)
{
	SERVICE_DESCRIPTIONW desc = { (LPWSTR)VDS_SERVICE_DESCRIPTION };
	SC_ACTION actions[3];
	SERVICE_FAILURE_ACTIONSW fa = {
		.dwResetPeriod = VDS_FAILURE_RESET_S,
		.cActions = 3,
		.lpsaActions = actions,
	};
	int r = 0;

	for (int i = 0; i < 3; i++) {
		actions[i].Type = SC_ACTION_RESTART;
		actions[i].Delay = VDS_FAILURE_RESTART_MS;
	}
	if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_DESCRIPTION, &desc)) {
		vds_warning("cannot set the service description: %s",
			    vds_strerror(GetLastError()));
		r = -EIO;
	}
	if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS,
				   &fa)) {
		vds_warning("cannot set the service's failure actions: %s",
			    vds_strerror(GetLastError()));
		r = -EIO;
	}
	return r;
}

int vds_service_agent_args(wchar_t *buf, DWORD len)
{
	DWORD bytes = len * sizeof(wchar_t);
	LSTATUS s;

	buf[0] = 0;
	s = RegGetValueW(HKEY_LOCAL_MACHINE, VDS_PARAMETERS_KEY,
			 VDS_AGENT_ARGS_VALUE, RRF_RT_REG_SZ, NULL, buf, &bytes);
	if (s == ERROR_MORE_DATA) {
		vds_error("%ls is longer than %lu characters: ignored",
			  VDS_AGENT_ARGS_VALUE, len - 1);
		buf[0] = 0;
		return -E2BIG;
	}
	if (s != ERROR_SUCCESS)
		buf[0] = 0;
	return 0;
}

static int store_agent_args(const wchar_t *args)
{
	HKEY key;
	LSTATUS s;

	s = RegCreateKeyExW(HKEY_LOCAL_MACHINE, VDS_PARAMETERS_KEY, 0, NULL, 0,
			    KEY_SET_VALUE, NULL, &key, NULL);
	if (s == ERROR_SUCCESS) {
		s = RegSetValueExW(key, VDS_AGENT_ARGS_VALUE, 0, REG_SZ,
				   (const BYTE *)args,
				   (DWORD)((wcslen(args) + 1) * sizeof(*args)));
		RegCloseKey(key);
	}
	if (s != ERROR_SUCCESS) {
		vds_error("cannot store the agent's arguments: %s",
			  vds_strerror(s));
		return -EIO;
	}
	return 0;
}

static SC_HANDLE open_scm(void)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);

	if (!scm) {
		DWORD err = GetLastError();

		if (err == ERROR_ACCESS_DENIED)
			vds_error("access denied: run this as an administrator");
		else
			vds_error("cannot open the service control manager: %s",
				  vds_strerror(err));
	}
	return scm;
}

/* Create the service, or update the binary path of an existing one. */
static SC_HANDLE create_or_update(SC_HANDLE scm, const wchar_t *bin)
{
	SC_HANDLE s;

	s = CreateServiceW(scm, VDS_SERVICE_NAME, VDS_SERVICE_DISPLAY_NAME,
			   SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
			   SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, bin, NULL,
			   NULL, NULL, NULL, NULL);
	if (s) {
		vds_info("service %ls installed", VDS_SERVICE_NAME);
		return s;
	}
	if (GetLastError() != ERROR_SERVICE_EXISTS) {
		vds_error("cannot create the service: %s",
			  vds_strerror(GetLastError()));
		return NULL;
	}
	s = OpenServiceW(scm, VDS_SERVICE_NAME, SERVICE_ALL_ACCESS);
	if (!s) {
		vds_error("service %ls exists but cannot be opened: %s",
			  VDS_SERVICE_NAME, vds_strerror(GetLastError()));
		return NULL;
	}
	if (!ChangeServiceConfigW(s, SERVICE_WIN32_OWN_PROCESS,
				  SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, bin,
				  NULL, NULL, NULL, NULL, NULL,
				  VDS_SERVICE_DISPLAY_NAME)) {
		vds_error("service %ls is already installed and cannot be "
			  "updated: %s",
			  VDS_SERVICE_NAME, vds_strerror(GetLastError()));
		CloseServiceHandle(s);
		return NULL;
	}
	vds_info("service %ls was already installed: configuration updated",
		 VDS_SERVICE_NAME);
	return s;
}

int vds_service_install(const wchar_t *agent_args, bool debug)
{
	WCHAR self[MAX_PATH], bin[MAX_PATH + 8];
	SC_HANDLE scm, s;
	DWORD n;
	int status = 1;

	n = GetModuleFileNameW(NULL, self, MAX_PATH);
	if (n == 0 || n >= MAX_PATH) {
		vds_error("cannot find my own path");
		return 1;
	}
	_snwprintf(bin, MAX_PATH + 8, L"\"%ls\"%ls", self, debug ? L" -d" : L"");
	bin[MAX_PATH + 7] = 0;
	scm = open_scm();
	if (!scm)
		return 1;
	s = create_or_update(scm, bin);
	if (!s)
		goto out;
	if (vds_service_configure(s) < 0)
		goto out_service;
	if (agent_args && store_agent_args(agent_args) < 0)
		goto out_service;
	if (StartServiceW(s, 0, NULL)) {
		vds_info("service %ls started", VDS_SERVICE_NAME);
	} else if (GetLastError() == ERROR_SERVICE_ALREADY_RUNNING) {
		vds_info("service %ls is already running; new agent arguments "
			 "apply at the agent's next start",
			 VDS_SERVICE_NAME);
	} else {
		vds_error("cannot start the service: %s",
			  vds_strerror(GetLastError()));
		goto out_service;
	}
	status = 0;
out_service:
	CloseServiceHandle(s);
out:
	CloseServiceHandle(scm);
	return status;
}

/* Ask the service to stop and wait (bounded) until it has. */
static void stop_and_wait(SC_HANDLE s)
{
	SERVICE_STATUS st;

	if (!ControlService(s, SERVICE_CONTROL_STOP, &st)) {
		DWORD err = GetLastError();

		if (err != ERROR_SERVICE_NOT_ACTIVE)
			vds_warning("cannot stop the service: %s",
				    vds_strerror(err));
		return;
	}
	for (int i = 0; i < 300 && st.dwCurrentState != SERVICE_STOPPED; i++) {
		Sleep(100);
		if (!QueryServiceStatus(s, &st))
			return;
	}
	if (st.dwCurrentState == SERVICE_STOPPED)
		vds_info("service %ls stopped", VDS_SERVICE_NAME);
	else
		vds_warning("service %ls did not stop within 30 s",
			    VDS_SERVICE_NAME);
}

int vds_service_uninstall(void)
{
	SC_HANDLE scm, s;
	int status = 1;

	scm = open_scm();
	if (!scm)
		return 1;
	s = OpenServiceW(scm, VDS_SERVICE_NAME, SERVICE_STOP |
				SERVICE_QUERY_STATUS | DELETE);
	if (!s) {
		DWORD err = GetLastError();

		if (err == ERROR_SERVICE_DOES_NOT_EXIST) {
			vds_info("service %ls is not installed",
				 VDS_SERVICE_NAME);
			status = 0;
		} else {
			vds_error("cannot open the service: %s",
				  vds_strerror(err));
		}
		goto out;
	}
	stop_and_wait(s);
	if (DeleteService(s)) {
		vds_info("service %ls removed", VDS_SERVICE_NAME);
		status = 0;
	} else {
		vds_error("cannot remove the service: %s",
			  vds_strerror(GetLastError()));
	}
	CloseServiceHandle(s);
out:
	CloseServiceHandle(scm);
	return status;
}
