/* SPDX-License-Identifier: MIT */
#include "policy.h"

void vds_backoff_init(struct vds_backoff *b)
{
	b->next_ms = 0;
}

uint32_t vds_backoff_next(struct vds_backoff *b, uint64_t ran_ms)
{
	uint32_t delay;

	if (b->next_ms == 0 || ran_ms >= VDS_BACKOFF_RESET_MS)
		b->next_ms = VDS_BACKOFF_MIN_MS;
	delay = b->next_ms;
	b->next_ms = delay >= VDS_BACKOFF_MAX_MS / 2 ? VDS_BACKOFF_MAX_MS
						     : delay * 2;
	return delay;
}

enum vds_action vds_session_action(uint32_t event, uint32_t event_session,
				   uint32_t console_session)
{
	switch (event) {
	case VDS_SESSION_CONSOLE_CONNECT:
		return VDS_ACTION_RESTART;
	case VDS_SESSION_LOGON:
	case VDS_SESSION_LOGOFF:
		return event_session == console_session ? VDS_ACTION_RESTART
							: VDS_ACTION_NONE;
	default:
		return VDS_ACTION_NONE;
	}
}

const char *vds_session_event_name(uint32_t event)
{
	static const char *const names[] = {
		[VDS_SESSION_CONSOLE_CONNECT] = "console-connect",
		[VDS_SESSION_CONSOLE_DISCONNECT] = "console-disconnect",
		[VDS_SESSION_REMOTE_CONNECT] = "remote-connect",
		[VDS_SESSION_REMOTE_DISCONNECT] = "remote-disconnect",
		[VDS_SESSION_LOGON] = "logon",
		[VDS_SESSION_LOGOFF] = "logoff",
		[VDS_SESSION_LOCK] = "lock",
		[VDS_SESSION_UNLOCK] = "unlock",
		[VDS_SESSION_REMOTE_CONTROL] = "remote-control",
	};

	if (event < sizeof(names) / sizeof(names[0]) && names[event])
		return names[event];
	return "other";
}
