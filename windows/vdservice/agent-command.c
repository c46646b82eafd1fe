/* SPDX-License-Identifier: MIT */
#include "agent-command.h"

#include <errno.h>
#include <stdio.h>

int vds_agent_command(const wchar_t *self_path, const wchar_t *args,
		      wchar_t *agent_path, size_t path_len, wchar_t *out,
		      size_t out_len)
{
	const wchar_t *sep = wcsrchr(self_path, L'\\');
	const wchar_t *slash = wcsrchr(self_path, L'/');
	int dir_len, n;

	if (slash && (!sep || slash > sep))
		sep = slash;
	if (!sep || wcschr(self_path, L'"'))
		return -EINVAL;
	dir_len = (int)(sep - self_path) + 1;
	if (agent_path) {
		n = swprintf(agent_path, path_len, L"%.*ls%ls", dir_len,
			     self_path, VDS_AGENT_EXE);
		if (n < 0 || (size_t)n >= path_len)
			return -ENAMETOOLONG;
	}
	n = swprintf(out, out_len, L"\"%.*ls%ls\"%ls%ls", dir_len, self_path,
		     VDS_AGENT_EXE, args && *args ? L" " : L"",
		     args ? args : L"");
	if (n < 0 || (size_t)n >= out_len)
		return -ENAMETOOLONG;
	return 0;
}
