/* SPDX-License-Identifier: MIT */
/* MONITORS_CONFIG and DISPLAY_CONFIG: validated, answered with REPLY; the
 * monitors configuration goes to the active agent and is kept for agents
 * that become active later. */
#include "config.h"

#include "route.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"

struct route_monitors {
	GBytes *last; /* validated payload of the last MONITORS_CONFIG */
};

struct route_monitors *route_monitors_new(void)
{
	return g_new0(struct route_monitors, 1);
}

void route_monitors_free(struct route_monitors *m)
{
	if (!m)
		return;
	if (m->last)
		g_bytes_unref(m->last);
	g_free(m);
}

static void reply(struct router *r, uint32_t type, uint32_t error)
{
	uint8_t buf[8];
	int n = vdp_build_reply(buf, sizeof(buf), type, error);

	if (n > 0)
		router_to_client(r, VDP_MSG_REPLY,
				 &(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void forward(struct router *r, struct agent *a, GBytes *payload)
{
	gsize size;
	const void *data = g_bytes_get_data(payload, &size);

	router_to_agent(r, a, VDP_IPC_MONITORS_CONFIG,
			&(struct vdp_iov){ data, size }, 1, payload);
}

void route_monitors_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_monitors_config *mc = g_new(struct vdp_monitors_config, 1);
	int err = vdp_parse_monitors_config(msg->data, msg->size, mc);
	unsigned enabled = 0;

	if (err < 0 || msg->size > VDP_IPC_FORWARD_MAX) {
		g_warning("port: invalid MONITORS_CONFIG (%u bytes): %s",
			  msg->size, g_strerror(err < 0 ? -err : E2BIG));
		g_free(mc);
		reply(r, VDP_MSG_MONITORS_CONFIG, VDP_REPLY_ERROR);
		return;
	}
	for (uint32_t i = 0; i < mc->count; i++)
		enabled += mc->mon[i].enabled;
	g_debug("monitors: %u entries, %u enabled, flags %#x", mc->count,
		enabled, mc->flags);
	g_free(mc);
	if (r->monitors->last)
		g_bytes_unref(r->monitors->last);
	r->monitors->last = g_bytes_new(msg->data, msg->size);
	if (r->active)
		forward(r, r->active, r->monitors->last);
	else
		g_debug("monitors: no active agent; kept for later");
	reply(r, VDP_MSG_MONITORS_CONFIG, VDP_REPLY_SUCCESS);
}

void route_display_config_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_display_config dc;

	if (vdp_parse_display_config(msg->data, msg->size, &dc) < 0) {
		g_warning("port: invalid DISPLAY_CONFIG (%u bytes)", msg->size);
		reply(r, VDP_MSG_DISPLAY_CONFIG, VDP_REPLY_ERROR);
		return;
	}
	g_debug("display config: flags %#x depth %u (nothing to apply)",
		dc.flags, dc.depth);
	reply(r, VDP_MSG_DISPLAY_CONFIG, VDP_REPLY_SUCCESS);
}

void route_monitors_activated(struct router *r, struct agent *a)
{
	if (r->monitors->last)
		forward(r, a, r->monitors->last);
}
