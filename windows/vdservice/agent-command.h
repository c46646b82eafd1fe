/* SPDX-License-Identifier: MIT */
/*
 * The agent's command line (no Win32 calls; unit-tested): the quoted path
 * of vdagent.exe in the folder of vdservice.exe, then the administrator's
 * AgentArguments verbatim.
 */
#pragma once

#include <stddef.h>
#include <wchar.h>

#define VDS_AGENT_EXE L"vdagent.exe"

/*
 * From the full path of vdservice.exe, write into out (out_len wide
 * characters) the agent's path (agent_path, may be NULL) and its command
 * line.  args may be NULL or empty.  Returns 0, -EINVAL when self_path
 * has no folder or contains a quote, or -ENAMETOOLONG.
 */
int vds_agent_command(const wchar_t *self_path, const wchar_t *args,
		      wchar_t *agent_path, size_t path_len, wchar_t *out,
		      size_t out_len);
