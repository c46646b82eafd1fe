/* SPDX-License-Identifier: MIT */
/*
 * Clipboard between the client and the active agent, per selection.
 *
 * Ownership is a state machine (NONE, CLIENT, AGENT) driven by grab and
 * release events from either side and by resets (the active agent changed
 * or left, the client left).  Requests in flight are counted per side so a
 * reset can answer each of them: no side waits forever.  Data is only
 * passed on as the answer to a request in flight.
 */
#include "config.h"

#include "route.h"
#include "vdp-build.h"
#include "vdp-grab-serial.h"
#include "vdp-util.h"
#include "vdp-validate.h"

enum cb_owner {
	CB_NONE,
	CB_CLIENT, /* the client grabbed: the agent was told */
	CB_AGENT,  /* the agent grabbed: the client was told */
};

enum cb_event {
	CB_EV_CLIENT_GRAB,
	CB_EV_CLIENT_RELEASE,
	CB_EV_AGENT_GRAB,
	CB_EV_AGENT_RELEASE,
	CB_EV_RESET,
};

static const char *const owner_names[] = {
	[CB_NONE] = "none", [CB_CLIENT] = "client", [CB_AGENT] = "agent",
};

static const char *const event_names[] = {
	[CB_EV_CLIENT_GRAB] = "client-grab",
	[CB_EV_CLIENT_RELEASE] = "client-release",
	[CB_EV_AGENT_GRAB] = "agent-grab",
	[CB_EV_AGENT_RELEASE] = "agent-release",
	[CB_EV_RESET] = "reset",
};

struct selection_state {
	enum cb_owner owner;
	unsigned client_pending; /* client requests the agent has to answer */
	unsigned agent_pending;  /* agent requests the client has to answer */
	struct vdp_grab_serial serial;
};

struct route_clipboard {
	struct selection_state sel[VDP_SELECTION_END];
};

static enum cb_owner next_owner(enum cb_owner s, enum cb_event ev)
{
	switch (ev) {
	case CB_EV_CLIENT_GRAB:
		return CB_CLIENT;
	case CB_EV_AGENT_GRAB:
		return CB_AGENT;
	case CB_EV_CLIENT_RELEASE:
		return s == CB_CLIENT ? CB_NONE : s;
	case CB_EV_AGENT_RELEASE:
		return s == CB_AGENT ? CB_NONE : s;
	case CB_EV_RESET:
		return CB_NONE;
	}
	return s;
}

static void transition(struct selection_state *st, uint8_t sel,
		       enum cb_event ev)
{
	enum cb_owner n = next_owner(st->owner, ev);

	g_debug("clipboard %s: %s --%s--> %s", vdp_selection_name(sel),
		owner_names[st->owner], event_names[ev], owner_names[n]);
	st->owner = n;
}

struct route_clipboard *route_clipboard_new(void)
{
	return g_new0(struct route_clipboard, 1);
}

void route_clipboard_free(struct route_clipboard *c)
{
	g_free(c);
}

/* ---- senders ------------------------------------------------------------ */

static bool client_can_take(struct router *r, uint8_t sel)
{
	if (!router_has_cap(r, VDP_CAP_CLIPBOARD_BY_DEMAND))
		return false;
	return sel == VDP_SELECTION_CLIPBOARD ||
	       router_has_cap(r, VDP_CAP_CLIPBOARD_SELECTION);
}

static void client_release(struct router *r, uint8_t sel)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_clipboard_release(buf, sizeof(buf), &r->negotiated,
					    sel);

	if (n >= 0)
		router_to_client(r, VDP_MSG_CLIPBOARD_RELEASE,
				 &(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

/* CLIPBOARD with type NONE: "no data for your request". */
static void client_no_data(struct router *r, uint8_t sel)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_clipboard_header(buf, sizeof(buf), &r->negotiated,
					   sel, VDP_CLIPBOARD_NONE);

	if (n >= 0)
		router_to_client(r, VDP_MSG_CLIPBOARD,
				 &(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void agent_release(struct router *r, struct agent *a, uint8_t sel)
{
	uint8_t buf[VDP_IPC_CLIPBOARD_RELEASE_SIZE];

	if (vdp_ipc_build_clipboard_release(buf, sizeof(buf), sel) > 0)
		router_to_agent(r, a, VDP_IPC_CLIPBOARD_RELEASE,
				&(struct vdp_iov){ buf, sizeof(buf) }, 1, NULL);
}

static void agent_no_data(struct router *r, struct agent *a, uint8_t sel)
{
	uint8_t buf[VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE];

	if (vdp_ipc_build_clipboard_data_head(buf, sizeof(buf), sel,
					      VDP_CLIPBOARD_NONE) > 0)
		router_to_agent(r, a, VDP_IPC_CLIPBOARD_DATA,
				&(struct vdp_iov){ buf, sizeof(buf) }, 1, NULL);
}

/* ---- from the client ---------------------------------------------------- */

static bool known_type(uint32_t t)
{
	return t > VDP_CLIPBOARD_NONE && t < VDP_CLIPBOARD_TYPE_END;
}

static void client_grab(struct router *r, const struct vdp_message *msg)
{
	struct vdp_clipboard_grab g;
	struct selection_state *st;
	uint32_t types[VDP_IPC_MAX_CLIPBOARD_TYPES];
	uint32_t count = 0;
	uint8_t buf[VDP_IPC_CLIPBOARD_GRAB_MAX];
	int n;

	if (vdp_parse_clipboard_grab(msg->data, msg->size, &r->negotiated,
				     &g) < 0) {
		g_warning("port: malformed CLIPBOARD_GRAB dropped");
		return;
	}
	st = &r->clipboard->sel[g.selection];
	if (g.has_serial && !vdp_grab_serial_theirs(&st->serial, g.serial)) {
		g_debug("clipboard: stale client grab (serial %u, expected %u) "
			"dropped", g.serial, st->serial.next);
		return;
	}
	if (!r->active) {
		g_debug("clipboard: no active agent; client grab dropped");
		return;
	}
	for (uint32_t i = 0; i < g.count; i++) {
		bool dup = false;

		if (!known_type(g.types[i]))
			continue;
		for (uint32_t j = 0; j < count; j++)
			dup |= types[j] == g.types[i];
		if (!dup && count < ARRAY_LENGTH(types))
			types[count++] = g.types[i];
	}
	n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), g.selection, types,
					 count);
	if (n < 0)
		return;
	transition(st, g.selection, CB_EV_CLIENT_GRAB);
	router_to_agent(r, r->active, VDP_IPC_CLIPBOARD_GRAB,
			&(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void client_request(struct router *r, const struct vdp_message *msg)
{
	struct vdp_clipboard_request q;
	struct selection_state *st;
	uint8_t buf[VDP_IPC_CLIPBOARD_REQUEST_SIZE];

	if (vdp_parse_clipboard_request(msg->data, msg->size, &r->negotiated,
					&q) < 0) {
		g_warning("port: malformed CLIPBOARD_REQUEST dropped");
		return;
	}
	st = &r->clipboard->sel[q.selection];
	if (st->owner != CB_AGENT || !r->active || !known_type(q.type) ||
	    vdp_ipc_build_clipboard_request(buf, sizeof(buf), q.selection,
					    q.type) < 0) {
		g_debug("clipboard %s: client request not servable",
			vdp_selection_name(q.selection));
		client_no_data(r, q.selection);
		return;
	}
	st->client_pending++;
	router_to_agent(r, r->active, VDP_IPC_CLIPBOARD_REQUEST,
			&(struct vdp_iov){ buf, sizeof(buf) }, 1, NULL);
}

static void client_data(struct router *r, const struct vdp_message *msg)
{
	struct vdp_clipboard d;
	struct selection_state *st;
	uint8_t head[VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE];
	uint32_t type;
	g_autoptr(GBytes) payload = NULL;
	struct vdp_iov pieces[2];
	size_t off;

	if (vdp_parse_clipboard(msg->data, msg->size, &r->negotiated, &d) < 0) {
		g_warning("port: malformed CLIPBOARD dropped");
		return;
	}
	st = &r->clipboard->sel[d.selection];
	if (st->agent_pending == 0 || !r->active) {
		g_debug("clipboard %s: unrequested data from the client "
			"dropped", vdp_selection_name(d.selection));
		return;
	}
	st->agent_pending--;
	type = known_type(d.type) && d.size <= VDP_IPC_CLIPBOARD_DATA_MAX
		       ? d.type : VDP_CLIPBOARD_NONE;
	vdp_ipc_build_clipboard_data_head(head, sizeof(head), d.selection,
					  type);
	pieces[0] = (struct vdp_iov){ head, sizeof(head) };
	if (type == VDP_CLIPBOARD_NONE) {
		router_to_agent(r, r->active, VDP_IPC_CLIPBOARD_DATA, pieces,
				1, NULL);
		return;
	}
	off = (size_t)(d.data - msg->data);
	payload = router_take_port_payload(r, msg);
	pieces[1] = (struct vdp_iov){
		(const uint8_t *)g_bytes_get_data(payload, NULL) + off, d.size
	};
	/* the head is copied by the queue; the data stays in payload */
	router_to_agent(r, r->active, VDP_IPC_CLIPBOARD_DATA, pieces, 2,
			payload);
}

static void client_release_msg(struct router *r, const struct vdp_message *msg)
{
	struct vdp_clipboard_release rel;
	struct selection_state *st;

	if (vdp_parse_clipboard_release(msg->data, msg->size, &r->negotiated,
					&rel) < 0) {
		g_warning("port: malformed CLIPBOARD_RELEASE dropped");
		return;
	}
	st = &r->clipboard->sel[rel.selection];
	if (st->owner != CB_CLIENT) {
		g_debug("clipboard %s: client release without a grab",
			vdp_selection_name(rel.selection));
		return;
	}
	transition(st, rel.selection, CB_EV_CLIENT_RELEASE);
	for (; st->agent_pending > 0; st->agent_pending--)
		agent_no_data(r, r->active, rel.selection);
	agent_release(r, r->active, rel.selection);
}

void route_clipboard_port(struct router *r, const struct vdp_message *msg)
{
	switch (msg->type) {
	case VDP_MSG_CLIPBOARD_GRAB:
		client_grab(r, msg);
		break;
	case VDP_MSG_CLIPBOARD_REQUEST:
		client_request(r, msg);
		break;
	case VDP_MSG_CLIPBOARD:
		client_data(r, msg);
		break;
	case VDP_MSG_CLIPBOARD_RELEASE:
		client_release_msg(r, msg);
		break;
	}
}

/* ---- from the agent ----------------------------------------------------- */

static void agent_grab(struct router *r, struct agent *a,
		       const struct vdp_ipc_message *msg)
{
	struct vdp_ipc_clipboard_grab g;
	struct selection_state *st;
	uint8_t buf[VDP_BUILD_SMALL_MAX + 4 * VDP_IPC_MAX_CLIPBOARD_TYPES];
	int n;

	if (vdp_ipc_parse_clipboard_grab(msg->data, msg->size, &g) < 0) {
		ipc_conn_close(a->conn, "malformed CLIPBOARD_GRAB");
		return;
	}
	if (!client_can_take(r, g.selection)) {
		g_debug("clipboard %s: the client cannot take a grab",
			vdp_selection_name(g.selection));
		return;
	}
	st = &r->clipboard->sel[g.selection];
	n = vdp_build_clipboard_grab(buf, sizeof(buf), &r->negotiated,
				     g.selection, st->serial.next, g.types,
				     g.count);
	if (n < 0)
		return;
	if (router_has_cap(r, VDP_CAP_CLIPBOARD_GRAB_SERIAL))
		vdp_grab_serial_ours(&st->serial);
	transition(st, g.selection, CB_EV_AGENT_GRAB);
	router_to_client(r, VDP_MSG_CLIPBOARD_GRAB,
			 &(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void agent_request(struct router *r, struct agent *a,
			  const struct vdp_ipc_message *msg)
{
	struct vdp_ipc_clipboard_request q;
	struct selection_state *st;
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n;

	if (vdp_ipc_parse_clipboard_request(msg->data, msg->size, &q) < 0) {
		ipc_conn_close(a->conn, "malformed CLIPBOARD_REQUEST");
		return;
	}
	st = &r->clipboard->sel[q.selection];
	n = vdp_build_clipboard_request(buf, sizeof(buf), &r->negotiated,
					q.selection, q.type);
	if (st->owner != CB_CLIENT || !client_can_take(r, q.selection) ||
	    n < 0 ||
	    !router_to_client(r, VDP_MSG_CLIPBOARD_REQUEST,
			      &(struct vdp_iov){ buf, (size_t)n }, 1, NULL)) {
		g_debug("clipboard %s: agent request not servable",
			vdp_selection_name(q.selection));
		agent_no_data(r, a, q.selection);
		return;
	}
	st->agent_pending++;
}

static void agent_data(struct router *r, struct agent *a,
		       const struct vdp_ipc_message *msg)
{
	struct vdp_ipc_clipboard_data d;
	struct selection_state *st;
	uint8_t head[VDP_BUILD_SMALL_MAX];
	g_autoptr(GBytes) payload = NULL;
	struct vdp_iov pieces[2];
	size_t off;
	int n;

	if (vdp_ipc_parse_clipboard_data(msg->data, msg->size, &d) < 0) {
		ipc_conn_close(a->conn, "malformed CLIPBOARD_DATA");
		return;
	}
	st = &r->clipboard->sel[d.selection];
	if (st->client_pending == 0) {
		g_debug("clipboard %s: unrequested data from the agent "
			"dropped", vdp_selection_name(d.selection));
		return;
	}
	st->client_pending--;
	if (r->max_clipboard > 0 && d.size > (uint32_t)r->max_clipboard) {
		g_warning("clipboard: %u bytes over the client's limit of %d; "
			  "sent as no data", d.size, r->max_clipboard);
		d.type = VDP_CLIPBOARD_NONE;
		d.size = 0;
	}
	n = vdp_build_clipboard_header(head, sizeof(head), &r->negotiated,
				       d.selection, d.type);
	if (n < 0)
		return;
	pieces[0] = (struct vdp_iov){ head, (size_t)n };
	if (d.size == 0) {
		router_to_client(r, VDP_MSG_CLIPBOARD, pieces, 1, NULL);
		return;
	}
	off = (size_t)(d.data - msg->data);
	payload = router_take_ipc_payload(a, msg);
	pieces[1] = (struct vdp_iov){
		(const uint8_t *)g_bytes_get_data(payload, NULL) + off, d.size
	};
	router_to_client(r, VDP_MSG_CLIPBOARD, pieces, 2, payload);
}

static void agent_release_msg(struct router *r, struct agent *a,
			      const struct vdp_ipc_message *msg)
{
	struct vdp_ipc_clipboard_release rel;
	struct selection_state *st;

	if (vdp_ipc_parse_clipboard_release(msg->data, msg->size, &rel) < 0) {
		ipc_conn_close(a->conn, "malformed CLIPBOARD_RELEASE");
		return;
	}
	st = &r->clipboard->sel[rel.selection];
	if (st->owner != CB_AGENT) {
		g_debug("clipboard %s: agent release without a grab",
			vdp_selection_name(rel.selection));
		return;
	}
	transition(st, rel.selection, CB_EV_AGENT_RELEASE);
	if (client_can_take(r, rel.selection))
		client_release(r, rel.selection);
}

void route_clipboard_agent(struct router *r, struct agent *a,
			   const struct vdp_ipc_message *msg)
{
	if (a != r->active) {
		g_debug("clipboard: %s from inactive %s dropped",
			vdp_ipc_type_name(msg->type), ipc_conn_name(a->conn));
		if (msg->type == VDP_IPC_CLIPBOARD_REQUEST) {
			struct vdp_ipc_clipboard_request q;

			if (vdp_ipc_parse_clipboard_request(msg->data,
							    msg->size, &q) == 0)
				agent_no_data(r, a, q.selection);
		}
		return;
	}
	switch (msg->type) {
	case VDP_IPC_CLIPBOARD_GRAB:
		agent_grab(r, a, msg);
		break;
	case VDP_IPC_CLIPBOARD_REQUEST:
		agent_request(r, a, msg);
		break;
	case VDP_IPC_CLIPBOARD_DATA:
		agent_data(r, a, msg);
		break;
	case VDP_IPC_CLIPBOARD_RELEASE:
		agent_release_msg(r, a, msg);
		break;
	}
}

/* ---- resets ------------------------------------------------------------- */

void route_clipboard_reset(struct router *r, struct agent *old,
			   bool client_alive)
{
	for (uint8_t sel = 0; sel < VDP_SELECTION_END; sel++) {
		struct selection_state *st = &r->clipboard->sel[sel];
		bool tell_client = client_alive && client_can_take(r, sel);

		if (st->owner == CB_NONE && !st->client_pending &&
		    !st->agent_pending)
			continue;
		if (st->owner == CB_AGENT && tell_client)
			client_release(r, sel);
		if (st->owner == CB_CLIENT)
			agent_release(r, old, sel);
		for (; st->client_pending > 0; st->client_pending--)
			if (tell_client)
				client_no_data(r, sel);
		for (; st->agent_pending > 0; st->agent_pending--)
			agent_no_data(r, old, sel);
		transition(st, sel, CB_EV_RESET);
	}
}

void route_clipboard_new_client(struct router *r)
{
	for (uint8_t sel = 0; sel < VDP_SELECTION_END; sel++)
		vdp_grab_serial_reset(&r->clipboard->sel[sel].serial);
}
