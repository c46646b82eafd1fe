/* SPDX-License-Identifier: MIT */
/*
 * The service's registration with the SCM: install, uninstall, and the
 * settings CreateService cannot carry (description, failure actions),
 * which the service also reapplies to itself at start, so an MSI's
 * ServiceInstall (which has no failure actions in wixl) gets them too.
 */
#pragma once

#include <stdbool.h>
#include <windows.h>

#define VDS_SERVICE_NAME L"vdservice"
#define VDS_SERVICE_DISPLAY_NAME L"SPICE guest agent"
#define VDS_SERVICE_DESCRIPTION                                               \
	L"Keeps the SPICE guest agent (vdagent.exe) running in the active "   \
	L"console session: mouse, display layout, clipboard and file "        \
	L"transfer with the SPICE client."
/*
 * HKLM subkey holding AgentArguments (REG_SZ), read at every agent start.
 * Not under Services\vdservice: deleting the service (an MSI upgrade
 * does) deletes that key, and the administrator's setting must survive.
 * Uninstalling leaves it.
 */
#define VDS_PARAMETERS_KEY L"SOFTWARE\\vdagent"
#define VDS_AGENT_ARGS_VALUE L"AgentArguments"
/* Restart the service 5 s after a crash; the counter resets after a day. */
#define VDS_FAILURE_RESTART_MS 5000u
#define VDS_FAILURE_RESET_S 86400u

/*
 * Register, configure and start the service; agent_args (may be NULL) is
 * stored as AgentArguments; debug makes the service run with -d.  Prints
 * what it did.  Returns a process exit status: 0 (also when it was
 * installed already: its configuration is then updated), 1 on error.
 */
int vds_service_install(const wchar_t *agent_args, bool debug);

/* Stop and delete the service.  0 (also when not installed), 1 on error. */
int vds_service_uninstall(void);

/* Description and failure actions on an open service handle.  0 or
 * -EIO (logged). */
int vds_service_configure(SC_HANDLE service);

/* AgentArguments into buf (empty when unset).  0, or -E2BIG (logged). */
int vds_service_agent_args(wchar_t *buf, DWORD len);
