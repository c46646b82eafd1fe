/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "mouse.h"
#include "route.h"
#include "session.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/*
 * What the daemon announces to the client.  Not AUDIO_VOLUME_SYNC: no agent
 * here has a mixer to apply it to, and a client that sees the capability
 * sets up its audio stack to read its volume when the agent connects.
 */
static const unsigned our_cap_list[] = {
	VDP_CAP_MOUSE_STATE,
	VDP_CAP_MONITORS_CONFIG,
	VDP_CAP_REPLY,
	VDP_CAP_CLIPBOARD_BY_DEMAND,
	VDP_CAP_CLIPBOARD_SELECTION,
	VDP_CAP_SPARSE_MONITORS_CONFIG,
	VDP_CAP_GUEST_LINEEND_LF,
	VDP_CAP_MAX_CLIPBOARD,
	VDP_CAP_MONITORS_CONFIG_POSITION,
	VDP_CAP_FILE_XFER_DETAILED_ERRORS,
	VDP_CAP_GRAPHICS_DEVICE_INFO,
	VDP_CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB,
	VDP_CAP_CLIPBOARD_GRAB_SERIAL,
};

/* ---- helpers for the route files ---------------------------------------- */

bool router_has_cap(const struct router *r, unsigned cap)
{
	return r->client_caps_known && vdp_caps_has(&r->negotiated, cap);
}

bool router_to_client(struct router *r, uint32_t type,
		      const struct vdp_iov *pieces, int npieces, GBytes *owner)
{
	if (!r->port || !port_attached(r->port))
		return false;
	return port_send(r->port, type, pieces, npieces, owner) == 0;
}

void router_to_agent(struct router *r, struct agent *a, uint32_t type,
		     const struct vdp_iov *pieces, int npieces, GBytes *owner)
{
	if (!a || ipc_conn_closing(a->conn))
		return;
	ipc_conn_send(a->conn, type, pieces, npieces, owner);
}

GBytes *router_take_port_payload(struct router *r,
				 const struct vdp_message *msg)
{
	uint8_t *d = port_steal_data(r->port);

	if (!d)
		return g_bytes_new(msg->data, msg->size);
	return g_bytes_new_with_free_func(d, msg->size, free, d);
}

GBytes *router_take_ipc_payload(struct agent *a,
				const struct vdp_ipc_message *msg)
{
	uint8_t *d = ipc_conn_steal_data(a->conn);

	if (!d)
		return g_bytes_new(msg->data, msg->size);
	return g_bytes_new_with_free_func(d, msg->size, free, d);
}

static bool client_attached(const struct router *r)
{
	return r->port && port_attached(r->port);
}

bool router_active_locked(struct router *r)
{
	return r->active && r->sessions &&
	       session_tracker_has_sessions(r->sessions) &&
	       session_tracker_is_locked(r->sessions, r->active->session);
}

/* ---- capabilities ------------------------------------------------------- */

static struct vdp_caps current_caps(const struct router *r)
{
	struct vdp_caps caps = r->our_caps;

	if (r->active && r->active->xfer_disabled)
		vdp_caps_set(&caps, VDP_CAP_FILE_XFER_DISABLED);
	return caps;
}

static void announce(struct router *r, bool request)
{
	struct vdp_caps caps = current_caps(r);
	uint8_t buf[4 + 4 * VDP_CAPS_WORDS];
	int n = vdp_build_capabilities(buf, sizeof(buf), request, &caps);

	if (n < 0)
		return;
	router_to_client(r, VDP_MSG_ANNOUNCE_CAPABILITIES,
			 &(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void send_client_caps(struct router *r, struct agent *a)
{
	uint8_t buf[VDP_IPC_CLIENT_CAPS_MAX];
	int n;

	if (!r->client_caps_known || !a->hello)
		return;
	n = vdp_ipc_build_client_caps(buf, sizeof(buf), &r->negotiated,
				      r->max_clipboard);
	if (n >= 0)
		router_to_agent(r, a, VDP_IPC_CLIENT_CAPS,
				&(struct vdp_iov){ buf, (size_t)n }, 1, NULL);
}

static void broadcast_client_caps(struct router *r)
{
	for (GList *l = r->agents; l; l = l->next)
		send_client_caps(r, l->data);
}

static void tell_client_disconnected(struct router *r)
{
	for (GList *l = r->agents; l; l = l->next) {
		struct agent *a = l->data;

		if (a->hello)
			router_to_agent(r, a, VDP_IPC_CLIENT_DISCONNECTED,
					NULL, 0, NULL);
	}
}

/* The client went away (port detached, CLIENT_DISCONNECTED, or a new
 * client announced itself): nothing of its state survives. */
static void client_gone(struct router *r, bool agents_told)
{
	route_monitors_client_gone(r);
	route_clipboard_reset(r, r->active, false);
	route_xfer_cancel(r, NULL, false);
	route_clipboard_new_client(r);
	if (agents_told)
		tell_client_disconnected(r);
}

static void route_caps_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_capabilities c;
	char names[512];

	if (vdp_parse_capabilities(msg->data, msg->size, &c) < 0) {
		g_warning("port: malformed ANNOUNCE_CAPABILITIES dropped");
		return;
	}
	if (c.request) {
		g_message("port: a client announced itself");
		client_gone(r, r->client_caps_known);
	}
	r->negotiated = vdp_caps_intersect(&r->our_caps, &c.caps);
	r->client_caps_known = true;
	vdp_caps_format(&r->negotiated, names, sizeof(names));
	g_debug("port: negotiated capabilities: %s", names);
	if (c.request)
		announce(r, false);
	broadcast_client_caps(r);
}

static void route_client_disconnected_port(struct router *r,
					   const struct vdp_message *msg)
{
	if (vdp_parse_client_disconnected(msg->data, msg->size) < 0) {
		g_warning("port: malformed CLIENT_DISCONNECTED dropped");
		return;
	}
	g_message("port: client disconnected");
	client_gone(r, true);
}

void route_max_clipboard_port(struct router *r, const struct vdp_message *msg)
{
	struct vdp_max_clipboard m;

	if (vdp_parse_max_clipboard(msg->data, msg->size, &m) < 0) {
		g_warning("port: malformed MAX_CLIPBOARD dropped");
		return;
	}
	r->max_clipboard = m.max;
	g_debug("port: client clipboard limit %d", m.max);
	broadcast_client_caps(r);
}

static void route_reply_port(struct router *r, const struct vdp_message *msg)
{
	g_debug("port: REPLY from the client ignored");
}

/* ---- the active agent --------------------------------------------------- */

static const char *agent_name(const struct agent *a)
{
	return a ? ipc_conn_name(a->conn) : "none";
}

static bool agent_usable(const struct agent *a, const struct agent *gone)
{
	return a != gone && a->hello && !ipc_conn_closing(a->conn);
}

static struct agent *pick_active(struct router *r, const struct agent *gone)
{
	const char *session;

	if (!r->sessions || !session_tracker_has_sessions(r->sessions)) {
		/* one agent at a time: the first one connected */
		for (GList *l = r->agents; l; l = l->next)
			if (agent_usable(l->data, gone))
				return l->data;
		return NULL;
	}
	session = session_tracker_active(r->sessions);
	if (!session)
		return NULL;
	for (GList *l = r->agents; l; l = l->next) {
		struct agent *a = l->data;

		if (agent_usable(a, gone) && a->session &&
		    streq(a->session, session))
			return a;
	}
	return NULL;
}

static void update_active(struct router *r, struct agent *gone)
{
	struct agent *old = r->active;
	struct agent *next = pick_active(r, gone);
	bool attached = client_attached(r);
	bool was_disabled = old && old->xfer_disabled;

	if (next != old) {
		g_message("router: active agent: %s -> %s", agent_name(old),
			  agent_name(next));
		route_monitors_agent_gone(r, old);
		route_clipboard_reset(r, old, attached);
		if (old)
			route_xfer_cancel(r, old, attached);
		if (old && old != gone) {
			ipc_conn_set_queue_cap(old->conn, IPC_QUEUE_CAP_SMALL);
			ipc_conn_pause_reading(old->conn, false);
		}
		r->active = next;
		if (next) {
			ipc_conn_set_queue_cap(next->conn,
					       IPC_QUEUE_CAP_ACTIVE);
			route_monitors_activated(r, next);
			route_device_info_activated(r, next);
		}
		if (r->port)
			port_pause_reading(r->port, false);
		if (attached && was_disabled != (next && next->xfer_disabled))
			announce(r, false);
	}
	route_mouse_layout(r, r->active);
	if (r->port)
		port_set_wanted(r->port, r->active && r->active->has_layout);
}

void router_sessions_changed(void *user)
{
	struct router *r = user;

	g_debug("router: active session now %s",
		session_tracker_active(r->sessions) ?: "(none)");
	update_active(r, NULL);
}

/* ---- port callbacks ----------------------------------------------------- */

typedef void (*port_route_fn)(struct router *r, const struct vdp_message *m);

static const port_route_fn port_routes[VDP_MSG_END] = {
	[VDP_MSG_MOUSE_STATE] = route_mouse_port,
	[VDP_MSG_MONITORS_CONFIG] = route_monitors_port,
	[VDP_MSG_REPLY] = route_reply_port,
	[VDP_MSG_CLIPBOARD] = route_clipboard_port,
	[VDP_MSG_DISPLAY_CONFIG] = route_display_config_port,
	[VDP_MSG_ANNOUNCE_CAPABILITIES] = route_caps_port,
	[VDP_MSG_CLIPBOARD_GRAB] = route_clipboard_port,
	[VDP_MSG_CLIPBOARD_REQUEST] = route_clipboard_port,
	[VDP_MSG_CLIPBOARD_RELEASE] = route_clipboard_port,
	[VDP_MSG_FILE_XFER_START] = route_xfer_port,
	[VDP_MSG_FILE_XFER_STATUS] = route_xfer_port,
	[VDP_MSG_FILE_XFER_DATA] = route_xfer_port,
	[VDP_MSG_CLIENT_DISCONNECTED] = route_client_disconnected_port,
	[VDP_MSG_MAX_CLIPBOARD] = route_max_clipboard_port,
	[VDP_MSG_AUDIO_VOLUME_SYNC] = route_volume_port,
	[VDP_MSG_GRAPHICS_DEVICE_INFO] = route_device_info_port,
};

static void port_message(void *user, const struct vdp_message *msg)
{
	struct router *r = user;

	if (msg->type >= VDP_MSG_END || !port_routes[msg->type]) {
		g_warning("port: unknown message type %u (%u bytes) dropped",
			  msg->type, msg->size);
		return;
	}
	if (msg->type != VDP_MSG_MOUSE_STATE || r->cfg->debug > 1)
		g_debug("port: %s, %u bytes", vdp_message_type_name(msg->type),
			msg->size);
	port_routes[msg->type](r, msg);
	/* flow control: stop reading while the active agent lags behind */
	if (r->active && ipc_conn_queued(r->active->conn) >= IPC_QUEUE_HIGH)
		port_pause_reading(r->port, true);
}

static void port_attached_cb(void *user)
{
	struct router *r = user;

	r->client_caps_known = false;
	vdp_caps_clear_all(&r->negotiated);
	r->max_clipboard = 0;
	announce(r, true);
}

static void port_detached_cb(void *user)
{
	struct router *r = user;

	client_gone(r, r->client_caps_known);
	r->client_caps_known = false;
	vdp_caps_clear_all(&r->negotiated);
	for (GList *l = r->agents; l; l = l->next)
		ipc_conn_pause_reading(((struct agent *)l->data)->conn, false);
	if (r->cfg->one_session) {
		g_message("port session over; exiting (-o)");
		r->quit(r->quit_user);
	}
}

static void port_drained_cb(void *user)
{
	struct router *r = user;

	if (r->active)
		ipc_conn_pause_reading(r->active->conn, false);
}

const struct port_callbacks router_port_callbacks = {
	.message = port_message,
	.attached = port_attached_cb,
	.detached = port_detached_cb,
	.drained = port_drained_cb,
};

/* ---- IPC callbacks ------------------------------------------------------ */

static void agent_hello(struct router *r, struct agent *a,
			const struct vdp_ipc_message *msg)
{
	static const char version_text[] = PACKAGE_NAME " " PACKAGE_VERSION;
	struct vdp_ipc_hello h;
	uint8_t head[VDP_IPC_HELLO_HEAD_SIZE];
	struct vdp_iov pieces[2];
	bool first = !a->hello;
	bool was_disabled = a->xfer_disabled;

	if (vdp_ipc_parse_hello(msg->data, msg->size, &h) < 0) {
		ipc_conn_close(a->conn, "malformed HELLO");
		return;
	}
	if (h.version != VDP_IPC_VERSION) {
		char why[64];

		snprintf(why, sizeof(why), "IPC version %u, expected %u",
			 h.version, VDP_IPC_VERSION);
		ipc_conn_close(a->conn, why);
		return;
	}
	a->xfer_disabled = h.flags & VDP_IPC_HELLO_FILE_XFER_DISABLED;
	a->monitors_result = h.flags & VDP_IPC_HELLO_MONITORS_RESULT;
	if (!first) {
		if (a == r->active && was_disabled != a->xfer_disabled &&
		    client_attached(r))
			announce(r, false);
		return;
	}
	if (a->session) {
		for (GList *l = r->agents; l; l = l->next) {
			struct agent *o = l->data;

			if (o != a && o->hello && o->session &&
			    streq(o->session, a->session) &&
			    !ipc_conn_closing(o->conn)) {
				ipc_conn_close(a->conn,
					       "an agent is already connected "
					       "for this session");
				return;
			}
		}
	}
	g_message("ipc: agent %s (%.*s) session %s", ipc_conn_name(a->conn),
		  (int)MIN(h.text_len, 64u), h.text,
		  a->session ? a->session : "(none)");
	a->hello = true;
	ipc_conn_set_ready(a->conn);
	vdp_ipc_build_hello_head(head, sizeof(head), VDP_IPC_VERSION,
				 VDP_IPC_HELLO_MONITORS_RESULT);
	pieces[0] = (struct vdp_iov){ head, sizeof(head) };
	pieces[1] = (struct vdp_iov){ version_text, strlen(version_text) };
	router_to_agent(r, a, VDP_IPC_HELLO, pieces, 2, NULL);
	send_client_caps(r, a);
	update_active(r, NULL);
}

static void agent_screen_layout(struct router *r, struct agent *a,
				const struct vdp_ipc_message *msg)
{
	if (vdp_ipc_parse_screen_layout(msg->data, msg->size, &a->layout) < 0) {
		a->has_layout = false;
		ipc_conn_close(a->conn, "malformed SCREEN_LAYOUT");
		return;
	}
	g_debug("ipc: %s: desktop %ux%u, %u displays", ipc_conn_name(a->conn),
		a->layout.width, a->layout.height, a->layout.count);
	a->has_layout = true;
	if (a == r->active)
		update_active(r, NULL);
}

typedef void (*agent_route_fn)(struct router *r, struct agent *a,
			       const struct vdp_ipc_message *m);

static const agent_route_fn agent_routes[VDP_IPC_TYPE_END] = {
	[VDP_IPC_HELLO] = agent_hello,
	[VDP_IPC_SCREEN_LAYOUT] = agent_screen_layout,
	[VDP_IPC_CLIPBOARD_GRAB] = route_clipboard_agent,
	[VDP_IPC_CLIPBOARD_REQUEST] = route_clipboard_agent,
	[VDP_IPC_CLIPBOARD_DATA] = route_clipboard_agent,
	[VDP_IPC_CLIPBOARD_RELEASE] = route_clipboard_agent,
	[VDP_IPC_FILE_XFER_STATUS] = route_xfer_agent,
	[VDP_IPC_MONITORS_RESULT] = route_monitors_agent,
};

/* The peer pid may have exited and been reused by the time logind is asked:
 * the process must still belong to the uid the kernel gave at connect. */
static bool pid_still_uid(pid_t pid, uid_t uid)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0 && st.st_uid == uid;
}

static bool ipc_connected(void *user, struct ipc_conn *c)
{
	struct router *r = user;
	struct agent *a;
	g_autofree char *session = NULL;
	uid_t owner;

	if (r->sessions && session_tracker_has_sessions(r->sessions)) {
		session = session_tracker_session_for_pid(r->sessions,
							  ipc_conn_pid(c));
		if (!pid_still_uid(ipc_conn_pid(c), ipc_conn_uid(c))) {
			g_warning("ipc: %s: process gone or changed owner; "
				  "refused", ipc_conn_name(c));
			return false;
		}
		if (session &&
		    session_tracker_session_uid(r->sessions, session, &owner) &&
		    ipc_conn_uid(c) != 0 && ipc_conn_uid(c) != owner) {
			g_warning("ipc: %s is not the owner (uid %u) of "
				  "session %s; refused",
				  ipc_conn_name(c), (unsigned)owner, session);
			return false;
		}
	}
	a = g_new0(struct agent, 1);
	a->conn = c;
	a->seq = r->next_seq++;
	a->session = g_steal_pointer(&session);
	ipc_conn_set_user(c, a);
	r->agents = g_list_append(r->agents, a);
	return true;
}

static void ipc_message(void *user, struct ipc_conn *c,
			const struct vdp_ipc_message *msg)
{
	struct router *r = user;
	struct agent *a = ipc_conn_get_user(c);
	agent_route_fn fn = msg->type < VDP_IPC_TYPE_END
				    ? agent_routes[msg->type] : NULL;

	if (!a->hello && msg->type != VDP_IPC_HELLO) {
		ipc_conn_close(c, "message before HELLO");
		return;
	}
	if (!fn) {
		g_debug("ipc: %s: %s ignored", ipc_conn_name(c),
			vdp_ipc_type_name(msg->type));
		return;
	}
	fn(r, a, msg);
	/* flow control: stop reading the agent while the port lags behind */
	if (a == r->active && r->port &&
	    port_queued(r->port) >= PORT_QUEUE_HIGH)
		ipc_conn_pause_reading(c, true);
}

static void ipc_disconnected(void *user, struct ipc_conn *c)
{
	struct router *r = user;
	struct agent *a = ipc_conn_get_user(c);

	if (!a)
		return;
	g_debug("ipc: %s gone", ipc_conn_name(c));
	route_monitors_agent_gone(r, a);
	if (a == r->active)
		update_active(r, a);
	else
		route_xfer_cancel(r, a, client_attached(r));
	r->agents = g_list_remove(r->agents, a);
	g_free(a->session);
	g_free(a);
	ipc_conn_set_user(c, NULL);
}

static void ipc_drained(void *user, struct ipc_conn *c)
{
	struct router *r = user;
	struct agent *a = ipc_conn_get_user(c);

	if (a && a == r->active && r->port)
		port_pause_reading(r->port, false);
}

const struct ipc_server_callbacks router_ipc_callbacks = {
	.connected = ipc_connected,
	.message = ipc_message,
	.disconnected = ipc_disconnected,
	.drained = ipc_drained,
};

/* ---- life cycle --------------------------------------------------------- */

struct router *router_new(const struct router_config *cfg,
			  struct session_tracker *sessions,
			  struct vda_mouse *mouse,
			  void (*quit)(void *user), void *quit_user)
{
	struct router *r = g_new0(struct router, 1);

	r->cfg = cfg;
	r->sessions = sessions;
	r->mouse = mouse;
	r->quit = quit;
	r->quit_user = quit_user;
	for (size_t i = 0; i < ARRAY_LENGTH(our_cap_list); i++)
		vdp_caps_set(&r->our_caps, our_cap_list[i]);
	r->monitors = route_monitors_new(r);
	r->clipboard = route_clipboard_new();
	r->xfer = route_xfer_new();
	return r;
}

void router_free(struct router *r)
{
	if (!r)
		return;
	/* agents are freed by the IPC server's disconnected callbacks */
	route_monitors_free(r->monitors);
	route_clipboard_free(r->clipboard);
	route_xfer_free(r->xfer);
	if (r->device_info)
		g_bytes_unref(r->device_info);
	g_free(r);
}

void router_set_parts(struct router *r, struct session_tracker *sessions,
		      struct vda_mouse *mouse)
{
	r->sessions = sessions;
	r->mouse = mouse;
}

void router_set_port(struct router *r, struct port *p)
{
	r->port = p;
	if (p)
		update_active(r, NULL);
}
