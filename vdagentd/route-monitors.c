/* SPDX-License-Identifier: MIT */
/* MONITORS_CONFIG and DISPLAY_CONFIG: validated, answered with REPLY; the
 * monitors configuration goes to the active agent and is kept for agents
 * that become active later.  When the active agent sends MONITORS_RESULT
 * (HELLO flag), the client's REPLY carries its answer: one REPLY is held
 * at a time, until that answer, a timeout, a newer config, or the agent
 * going away or losing the active session. */
#include "config.h"

#include "route.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"

struct route_monitors {
	struct router *r;
	GBytes *last; /* validated payload of the last MONITORS_CONFIG */
	/* the REPLY held for an agent's MONITORS_RESULT */
	struct agent *waiting; /* NULL: none held */
	uint32_t serial;       /* of the config it answers */
	guint timer;
};

struct route_monitors *route_monitors_new(struct router *r)
{
	struct route_monitors *m = g_new0(struct route_monitors, 1);

	m->r = r;
	return m;
}

static void held_clear(struct route_monitors *m)
{
	if (m->timer)
		g_source_remove(m->timer);
	m->timer = 0;
	m->waiting = NULL;
	m->serial = 0;
}

void route_monitors_free(struct route_monitors *m)
{
	if (!m)
		return;
	held_clear(m);
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

/* Send the held REPLY (if any) with result. */
static void held_answer(struct router *r, uint32_t result, const char *why)
{
	struct route_monitors *m = r->monitors;

	if (!m->waiting)
		return;
	g_debug("monitors: REPLY %s for config %u of %s: %s",
		result == VDP_REPLY_SUCCESS ? "success" : "error", m->serial,
		ipc_conn_name(m->waiting->conn), why);
	held_clear(m);
	reply(r, VDP_MSG_MONITORS_CONFIG, result);
}

static gboolean held_timeout(gpointer user)
{
	struct route_monitors *m = user;

	m->timer = 0;
	held_answer(m->r, VDP_REPLY_SUCCESS,
		    "the agent did not say whether it applied it");
	return G_SOURCE_REMOVE;
}

/* Returns the number the agent gives this config (see vdp-ipc.h). */
static uint32_t forward(struct router *r, struct agent *a, GBytes *payload)
{
	gsize size;
	const void *data = g_bytes_get_data(payload, &size);

	router_to_agent(r, a, VDP_IPC_MONITORS_CONFIG,
			&(struct vdp_iov){ data, size }, 1, payload);
	if (++a->monitors_sent == 0)
		a->monitors_sent = 1;
	return a->monitors_sent;
}

void route_monitors_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_monitors_config *mc = g_new(struct vdp_monitors_config, 1);
	int err = vdp_parse_monitors_config(msg->data, msg->size, mc);
	unsigned enabled = 0;
	uint32_t serial;

	/* REPLYs go out in the order of the configs */
	held_answer(r, VDP_REPLY_SUCCESS, "superseded by a newer config");
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
	if (!r->active) {
		g_debug("monitors: no active agent; kept for later");
		reply(r, VDP_MSG_MONITORS_CONFIG, VDP_REPLY_SUCCESS);
		return;
	}
	serial = forward(r, r->active, r->monitors->last);
	if (!r->active->monitors_result ||
	    ipc_conn_closing(r->active->conn)) {
		reply(r, VDP_MSG_MONITORS_CONFIG, VDP_REPLY_SUCCESS);
		return;
	}
	r->monitors->waiting = r->active;
	r->monitors->serial = serial;
	r->monitors->timer = g_timeout_add(ROUTE_MONITORS_RESULT_TIMEOUT_MS,
					   held_timeout, r->monitors);
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
	/* a replay: its result (if any) answers no client */
	if (r->monitors->last)
		forward(r, a, r->monitors->last);
}

void route_monitors_agent(struct router *r, struct agent *a,
			  const struct vdp_ipc_message *msg)
{
	struct route_monitors *m = r->monitors;
	struct vdp_ipc_monitors_result res;

	if (vdp_ipc_parse_monitors_result(msg->data, msg->size, &res) < 0) {
		ipc_conn_close(a->conn, "malformed MONITORS_RESULT");
		return;
	}
	if (a != m->waiting || res.serial != m->serial) {
		g_debug("monitors: %s: result for config %u: no REPLY waits",
			ipc_conn_name(a->conn), res.serial);
		return;
	}
	if (res.result != VDP_REPLY_SUCCESS)
		g_message("monitors: %s could not apply the configuration",
			  ipc_conn_name(a->conn));
	held_answer(r, res.result, "the agent's result");
}

void route_monitors_agent_gone(struct router *r, struct agent *a)
{
	if (a && a == r->monitors->waiting)
		held_answer(r, VDP_REPLY_SUCCESS,
			    "the agent went away or lost the active session");
}

void route_monitors_client_gone(struct router *r)
{
	if (r->monitors->waiting)
		g_debug("monitors: the client left; its REPLY dropped");
	held_clear(r->monitors);
}
