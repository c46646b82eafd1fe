/* SPDX-License-Identifier: MIT */
/*
 * vdservice.exe: the Windows service that keeps vdagent.exe running in
 * the active console session.  See options.h for the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <windows.h>

#include "config.h"
#include "log.h"
#include "options.h"
#include "service-config.h"
#include "service.h"

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	struct vds_options o;
	const char *error;
	int status;

	if (vds_options_parse(&o, argc, argv, &error) < 0) {
		fprintf(stderr, "vdservice: %s\n%s", error, vds_options_usage);
		return 2;
	}
	switch (o.command) {
	case VDS_CMD_HELP:
		fputs(vds_options_usage, stdout);
		return 0;
	case VDS_CMD_VERSION:
		printf("vdservice %s\n", PACKAGE_VERSION);
		return 0;
	case VDS_CMD_INSTALL:
		vds_log_open(o.debug, true);
		status = vds_service_install(o.agent_args, o.debug);
		break;
	case VDS_CMD_UNINSTALL:
		vds_log_open(o.debug, true);
		status = vds_service_uninstall();
		break;
	case VDS_CMD_SERVICE:
	default:
		vds_log_open(o.debug, false);
		vds_debug("vdservice %s starting", PACKAGE_VERSION);
		if (vds_service_run() == -ENOTSUP) {
			fprintf(stderr, "vdservice: not started by the service "
					"control manager\n%s",
				vds_options_usage);
			status = 2;
		} else {
			status = 0;
		}
		break;
	}
	vds_log_close();
	return status;
}
