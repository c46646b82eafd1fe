/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "device-info.h"
#include "vdp-util.h"

/* "DDDD:BB:SS.F" -> domain and "SS.F" */
static bool parse_pci_component(const char *c, size_t len, char *domain,
				char *slot_fn)
{
	unsigned d, b, s, f;
	char tail;

	if (len != 12)
		return false;
	char buf[13];
	memcpy(buf, c, len);
	buf[len] = '\0';
	if (sscanf(buf, "%4x:%2x:%2x.%1x%c", &d, &b, &s, &f, &tail) != 4)
		return false;
	snprintf(domain, 5, "%04x", d);
	snprintf(slot_fn, 5, "%02x.%x", s, f);
	return true;
}

int device_address_from_sysfs(const char *path, char *out, size_t size)
{
	const char *p = strstr(path, "/pci");
	char parts[256] = "";
	size_t plen = 0;
	char domain[5] = "";
	int n = 0;

	if (!p)
		return -EINVAL;
	while (*p) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		char d[5], sf[5];
		if (parse_pci_component(p, (size_t)(end - p), d, sf)) {
			if (n == 0)
				memcpy(domain, d, sizeof(domain));
			if (plen + 6 >= sizeof(parts))
				return -ENOSPC;
			plen += (size_t)snprintf(parts + plen,
						 sizeof(parts) - plen, "/%s", sf);
			n++;
		}
		p = end;
	}
	if (n == 0)
		return -EINVAL;
	int len = snprintf(out, size, "pci/%s%s", domain, parts);
	return len < 0 || (size_t)len >= size ? -ENOSPC : 0;
}

static char *connector_name(int fd, uint32_t index)
{
	drmModeRes *res = drmModeGetResources(fd);
	char *name = NULL;

	if (!res)
		return NULL;
	if (index < (uint32_t)res->count_connectors) {
		drmModeConnector *c =
			drmModeGetConnector(fd, res->connectors[index]);
		if (c) {
			const char *type =
				drmModeGetConnectorTypeName(c->connector_type);
			name = g_strdup_printf("%s-%u", type ? type : "Unknown",
					       c->connector_type_id);
			drmModeFreeConnector(c);
		}
	}
	drmModeFreeResources(res);
	return name;
}

char *device_connector_name(const char *address, uint32_t index)
{
	DIR *dir = opendir("/sys/class/drm");
	struct dirent *e;
	char *name = NULL;

	if (!dir)
		return NULL;
	while (!name && (e = readdir(dir))) {
		unsigned card;
		char tail;
		if (sscanf(e->d_name, "card%u%c", &card, &tail) != 1)
			continue;
		g_autofree char *link =
			g_strdup_printf("/sys/class/drm/%s/device", e->d_name);
		char real[PATH_MAX], addr[256];
		if (!realpath(link, real) ||
		    device_address_from_sysfs(real, addr, sizeof(addr)) < 0 ||
		    !streq(addr, address))
			continue;
		g_autofree char *node = g_strdup_printf("/dev/dri/%s", e->d_name);
		int fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fd = open(node, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			g_message("cannot open %s: %s", node, g_strerror(errno));
			continue;
		}
		name = connector_name(fd, index);
		close(fd);
	}
	closedir(dir);
	return name;
}

void device_info_connectors(const struct vdp_graphics_device_info *info,
			    char **connector, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		g_free(connector[i]);
		connector[i] = NULL;
	}
	for (uint32_t i = 0; info && i < info->count; i++) {
		const struct vdp_device_display *e = &info->entry[i];
		uint64_t id = (uint64_t)e->channel_id + e->monitor_id;
		char *name = device_connector_name(e->address,
						   e->device_display_id);

		g_debug("display %" PRIu64 ": %s output %u -> %s", id,
			e->address, e->device_display_id,
			name ? name : "(no DRM connector)");
		if (id < n && name && !connector[id])
			connector[id] = name;
		else
			g_free(name);
	}
}
