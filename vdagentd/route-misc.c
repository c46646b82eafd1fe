/* SPDX-License-Identifier: MIT */
/* The simple routes: mouse to the injector, volume and graphics device
 * info to the active agent (device info kept and replayed). */
#include "config.h"

#include <errno.h>

#include "mouse.h"
#include "route.h"
#include "vdp-util.h"
#include "vdp-validate.h"

void route_mouse_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_mouse_state m;
	int err;

	if (vdp_parse_mouse_state(msg->data, msg->size, &m) < 0) {
		g_warning("port: malformed MOUSE_STATE dropped");
		return;
	}
	if (!r->mouse)
		return;
	err = vda_mouse_handle(r->mouse, &m);
	/* -d -d: what became of each one (the e2e test prints these) */
	if (r->cfg->debug > 1)
		g_debug("mouse: %u,%u on display %u, buttons %#x: %s", m.x, m.y,
			m.display_id, m.buttons,
			err == -ENOENT ? "no place (see above)" :
			err < 0 ? g_strerror(-err) : "written");
}

void route_mouse_layout(struct router *r, struct agent *a)
{
	if (!r->mouse)
		return;
	if (!a || !a->has_layout) {
		vda_mouse_set_layout(r->mouse, NULL);
		return;
	}
	if (vda_mouse_set_layout(r->mouse, &a->layout) < 0)
		g_warning("mouse: layout %ux%u with %u displays not usable",
			  a->layout.width, a->layout.height, a->layout.count);
}

void route_volume_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_volume_sync *v = g_new(struct vdp_volume_sync, 1);
	int err = vdp_parse_volume_sync(msg->data, msg->size, v);

	g_free(v);
	if (err < 0 || msg->size > VDP_IPC_VOLUME_MAX) {
		g_warning("port: invalid AUDIO_VOLUME_SYNC dropped");
		return;
	}
	router_to_agent(r, r->active, VDP_IPC_AUDIO_VOLUME_SYNC,
			&(struct vdp_iov){ msg->data, msg->size }, 1, NULL);
}

static void send_device_info(struct router *r, struct agent *a)
{
	gsize size;
	const void *data = g_bytes_get_data(r->device_info, &size);

	router_to_agent(r, a, VDP_IPC_GRAPHICS_DEVICE_INFO,
			&(struct vdp_iov){ data, size }, 1, r->device_info);
}

void route_device_info_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_graphics_device_info *g =
		g_new(struct vdp_graphics_device_info, 1);
	int err = vdp_parse_graphics_device_info(msg->data, msg->size, g);

	g_free(g);
	if (err < 0 || msg->size > VDP_IPC_FORWARD_MAX) {
		g_warning("port: invalid GRAPHICS_DEVICE_INFO dropped");
		return;
	}
	if (r->device_info)
		g_bytes_unref(r->device_info);
	r->device_info = g_bytes_new(msg->data, msg->size);
	if (r->active)
		send_device_info(r, r->active);
}

void route_device_info_activated(struct router *r, struct agent *a)
{
	if (r->device_info)
		send_device_info(r, a);
}
