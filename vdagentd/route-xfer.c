/* SPDX-License-Identifier: MIT */
/*
 * File transfers from the client to the active agent.
 *
 * Each transfer the client starts is a small state machine: STARTED (the
 * agent was asked), SENDING (the agent said CAN_SEND_DATA), and gone once
 * either side ends it.  Data is passed on only for a transfer in the table,
 * and an agent's status only for its own transfers.
 */
#include "config.h"

#include <gio/gio.h>

#include "route.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"

enum xfer_state {
	XFER_STARTED,
	XFER_SENDING,
	XFER_DONE,
};

static const char *const xfer_state_names[] = {
	[XFER_STARTED] = "started",
	[XFER_SENDING] = "sending",
	[XFER_DONE] = "done",
};

struct xfer {
	uint32_t id;
	struct agent *agent;
	enum xfer_state state;
};

struct route_xfer {
	GHashTable *table; /* id -> struct xfer */
};

struct route_xfer *route_xfer_new(void)
{
	struct route_xfer *x = g_new0(struct route_xfer, 1);

	x->table = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					 g_free);
	return x;
}

void route_xfer_free(struct route_xfer *x)
{
	if (!x)
		return;
	g_hash_table_destroy(x->table);
	g_free(x);
}

unsigned route_xfer_count(const struct route_xfer *x)
{
	return g_hash_table_size(x->table);
}

static struct xfer *lookup(struct router *r, uint32_t id)
{
	return g_hash_table_lookup(r->xfer->table, GUINT_TO_POINTER(id));
}

/* Move to a new state; XFER_DONE removes (and frees) the transfer. */
static void transition(struct router *r, struct xfer *x, enum xfer_state s)
{
	g_debug("xfer %u: %s -> %s", x->id, xfer_state_names[x->state],
		xfer_state_names[s]);
	x->state = s;
	if (s == XFER_DONE)
		g_hash_table_remove(r->xfer->table, GUINT_TO_POINTER(x->id));
}

/* Status to the client, downgraded to a plain ERROR when the client does
 * not know detailed errors. */
static void client_status(struct router *r, uint32_t id,
			  struct vdp_xfer_status_msg s)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n;

	s.id = id;
	vdp_xfer_status_for_peer(
		&s, router_has_cap(r, VDP_CAP_FILE_XFER_DETAILED_ERRORS));
	n = vdp_build_xfer_status(buf, sizeof(buf), &s);
	if (n > 0)
		router_to_client(r, VDP_MSG_FILE_XFER_STATUS,
				 &(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void client_result(struct router *r, uint32_t id, uint32_t result)
{
	client_status(r, id, (struct vdp_xfer_status_msg){ .result = result });
}

static void agent_status(struct router *r, struct agent *a, uint32_t id,
			 uint32_t result)
{
	uint8_t buf[VDP_IPC_XFER_STATUS_MAX];
	int n = vdp_ipc_build_xfer_status(buf, sizeof(buf), id, result, NULL,
					  0);

	if (n > 0)
		router_to_agent(r, a, VDP_IPC_FILE_XFER_STATUS,
				&(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void refuse(struct router *r, uint32_t id, uint32_t result,
		   const char *why)
{
	g_message("xfer %u refused: %s", id, why);
	client_result(r, id, result);
}

static void port_start(struct router *r, const struct vdp_message *msg)
{
	struct vdp_xfer_start s;
	uint8_t head[VDP_IPC_XFER_START_HEAD_SIZE];
	struct vdp_iov pieces[2];
	struct xfer *x;

	if (vdp_parse_xfer_start(msg->data, msg->size, &s) < 0) {
		g_warning("port: malformed FILE_XFER_START dropped");
		if (msg->size >= 4)
			client_result(r, vdp_get_le32(msg->data),
				      VDP_XFER_STATUS_ERROR);
		return;
	}
	if (!r->active) {
		refuse(r, s.id, VDP_XFER_STATUS_VDAGENT_NOT_CONNECTED,
		       "no agent in the active session");
		return;
	}
	if (router_active_locked(r)) {
		refuse(r, s.id, VDP_XFER_STATUS_SESSION_LOCKED,
		       "the session is locked");
		return;
	}
	if (r->active->xfer_disabled) {
		refuse(r, s.id, VDP_XFER_STATUS_DISABLED,
		       "the agent disabled file transfers");
		return;
	}
	if (route_xfer_count(r->xfer) >= ROUTE_XFER_MAX_ACTIVE) {
		g_message("xfer %u refused: too many transfers", s.id);
		client_status(r, s.id, (struct vdp_xfer_status_msg){
			.result = VDP_XFER_STATUS_ERROR,
			.detail = VDP_XFER_DETAIL_ERROR,
			.error_type = VDP_XFER_ERROR_GLIB_IO,
			.error_code = G_IO_ERROR_TOO_MANY_OPEN_FILES,
		});
		return;
	}
	if (lookup(r, s.id)) {
		refuse(r, s.id, VDP_XFER_STATUS_ERROR, "id already in use");
		return;
	}
	vdp_ipc_build_xfer_start_head(head, sizeof(head), s.id);
	pieces[0] = (struct vdp_iov){ head, sizeof(head) };
	pieces[1] = (struct vdp_iov){ s.keyfile, s.keyfile_len };
	x = g_new0(struct xfer, 1);
	x->id = s.id;
	x->agent = r->active;
	x->state = XFER_STARTED;
	g_hash_table_insert(r->xfer->table, GUINT_TO_POINTER(s.id), x);
	g_debug("xfer %u: new -> %s", s.id, xfer_state_names[x->state]);
	router_to_agent(r, x->agent, VDP_IPC_FILE_XFER_START, pieces, 2, NULL);
}

static void port_data(struct router *r, const struct vdp_message *msg)
{
	struct vdp_xfer_data d;
	uint8_t head[VDP_IPC_XFER_DATA_HEAD_SIZE];
	g_autoptr(GBytes) payload = NULL;
	struct vdp_iov pieces[2];
	size_t off;
	struct xfer *x;

	if (vdp_parse_xfer_data(msg->data, msg->size, &d) < 0) {
		g_warning("port: malformed FILE_XFER_DATA dropped");
		return;
	}
	x = lookup(r, d.id);
	if (!x) {
		g_debug("xfer %u: data for no transfer dropped", d.id);
		return;
	}
	if (d.size > VDP_IPC_XFER_DATA_MAX) {
		g_warning("xfer %u: %llu bytes in one message; cancelled", d.id,
			  (unsigned long long)d.size);
		client_result(r, d.id, VDP_XFER_STATUS_ERROR);
		agent_status(r, x->agent, d.id, VDP_XFER_STATUS_CANCELLED);
		transition(r, x, XFER_DONE);
		return;
	}
	vdp_ipc_build_xfer_data_head(head, sizeof(head), d.id);
	off = (size_t)(d.data - msg->data);
	payload = router_take_port_payload(r, msg);
	pieces[0] = (struct vdp_iov){ head, sizeof(head) };
	pieces[1] = (struct vdp_iov){
		(const uint8_t *)g_bytes_get_data(payload, NULL) + off,
		(size_t)d.size
	};
	router_to_agent(r, x->agent, VDP_IPC_FILE_XFER_DATA, pieces, 2,
			payload);
}

static void port_status(struct router *r, const struct vdp_message *msg)
{
	struct vdp_xfer_status_msg s;
	struct xfer *x;

	if (vdp_parse_xfer_status(msg->data, msg->size, &s) < 0) {
		g_warning("port: malformed FILE_XFER_STATUS dropped");
		return;
	}
	x = lookup(r, s.id);
	if (!x) {
		g_debug("xfer %u: status for no transfer dropped", s.id);
		return;
	}
	g_debug("xfer %u: client says %s", s.id,
		vdp_xfer_status_name(s.result));
	agent_status(r, x->agent, s.id,
		     s.result < VDP_XFER_STATUS_END ? s.result
						    : VDP_XFER_STATUS_ERROR);
	transition(r, x, XFER_DONE);
}

void route_xfer_port(struct router *r, const struct vdp_message *msg)
{
	switch (msg->type) {
	case VDP_MSG_FILE_XFER_START:
		port_start(r, msg);
		break;
	case VDP_MSG_FILE_XFER_DATA:
		port_data(r, msg);
		break;
	case VDP_MSG_FILE_XFER_STATUS:
		port_status(r, msg);
		break;
	}
}

void route_xfer_agent(struct router *r, struct agent *a,
		      const struct vdp_ipc_message *msg)
{
	struct vdp_ipc_xfer_status s;
	struct vdp_xfer_status_msg out = { 0 };
	struct xfer *x;

	if (vdp_ipc_parse_xfer_status(msg->data, msg->size, &s) < 0) {
		ipc_conn_close(a->conn, "malformed FILE_XFER_STATUS");
		return;
	}
	x = lookup(r, s.id);
	if (!x || x->agent != a) {
		/* not a reason to close: the client may have cancelled */
		g_debug("xfer %u: status from %s for no transfer of its own",
			s.id, ipc_conn_name(a->conn));
		return;
	}
	out.result = s.result;
	if (s.result == VDP_XFER_STATUS_ERROR && s.detail_len == 5) {
		out.detail = VDP_XFER_DETAIL_ERROR;
		out.error_type = s.detail[0];
		out.error_code = vdp_get_le32(s.detail + 1);
	} else if (s.result == VDP_XFER_STATUS_NOT_ENOUGH_SPACE &&
		   s.detail_len == 8) {
		out.detail = VDP_XFER_DETAIL_NO_SPACE;
		out.disk_free_space = vdp_get_le64(s.detail);
	}
	g_debug("xfer %u: agent says %s", s.id, vdp_xfer_status_name(s.result));
	client_status(r, s.id, out);
	if (s.result == VDP_XFER_STATUS_CAN_SEND_DATA) {
		if (x->state == XFER_STARTED)
			transition(r, x, XFER_SENDING);
	} else {
		transition(r, x, XFER_DONE);
	}
}

void route_xfer_cancel(struct router *r, struct agent *a, bool client_alive)
{
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, r->xfer->table);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		struct xfer *x = value;

		if (a && x->agent != a)
			continue;
		g_debug("xfer %u: %s -> %s (cancelled)", x->id,
			xfer_state_names[x->state],
			xfer_state_names[XFER_DONE]);
		if (client_alive)
			client_result(r, x->id, VDP_XFER_STATUS_CANCELLED);
		agent_status(r, x->agent, x->id, VDP_XFER_STATUS_CANCELLED);
		g_hash_table_iter_remove(&it);
	}
}
