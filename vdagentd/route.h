/* SPDX-License-Identifier: MIT */
/*
 * Message routing between the port (the SPICE client and server) and the
 * session agents.  router.c owns the agents, picks the active one, keeps
 * the client's capabilities and dispatches each message through a table to
 * the route-*.c file of its concern.  This header is shared by those files
 * only; the rest of the daemon sees router.h.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "router.h"
#include "vdp-caps.h"
#include "vdp-decoder.h"
#include "vdp-ipc.h"

struct ipc_conn;
struct port;
struct session_tracker;
struct vda_mouse;
struct route_clipboard;
struct route_xfer;
struct route_monitors;

struct agent {
	struct ipc_conn *conn;
	uint64_t seq;          /* connection order */
	char *session;         /* from logind by peer pid; NULL without */
	bool hello;            /* handshake done */
	bool xfer_disabled;    /* HELLO flag */
	bool monitors_result;  /* HELLO flag: answers MONITORS_CONFIG */
	uint32_t monitors_sent; /* MONITORS_CONFIG numbered on this link */
	bool has_layout;
	struct vdp_ipc_screen_layout layout;
};

struct router {
	const struct router_config *cfg;
	struct port *port;
	struct session_tracker *sessions;
	struct vda_mouse *mouse;
	void (*quit)(void *user);
	void *quit_user;

	GList *agents; /* struct agent *, in connection order */
	uint64_t next_seq;
	struct agent *active;

	/* the client, learnt from its ANNOUNCE_CAPABILITIES */
	bool client_caps_known;
	struct vdp_caps our_caps;
	struct vdp_caps negotiated;
	int32_t max_clipboard; /* <= 0: no limit */

	struct route_monitors *monitors;
	struct route_clipboard *clipboard;
	struct route_xfer *xfer;
	GBytes *device_info; /* last GRAPHICS_DEVICE_INFO, replayed */
};

/* ---- helpers of router.c for the route files ---------------------------- */

bool router_has_cap(const struct router *r, unsigned cap);
/* Send to the client; false when the port is not attached. */
bool router_to_client(struct router *r, uint32_t type,
		      const struct vdp_iov *pieces, int npieces, GBytes *owner);
/* Send to an agent (ignored when NULL or closing). */
void router_to_agent(struct router *r, struct agent *a, uint32_t type,
		     const struct vdp_iov *pieces, int npieces, GBytes *owner);
/* Take a port message's payload as a GBytes (no copy when possible). */
GBytes *router_take_port_payload(struct router *r,
				 const struct vdp_message *msg);
/* The same for an IPC message of agent a. */
GBytes *router_take_ipc_payload(struct agent *a,
				const struct vdp_ipc_message *msg);
bool router_active_locked(struct router *r);

/* ---- route-monitors.c --------------------------------------------------- */
/* How long the client's REPLY waits for the agent's MONITORS_RESULT. */
#define ROUTE_MONITORS_RESULT_TIMEOUT_MS 5000u
struct route_monitors *route_monitors_new(struct router *r);
void route_monitors_free(struct route_monitors *m);
void route_monitors_port(struct router *r, const struct vdp_message *msg);
void route_display_config_port(struct router *r, const struct vdp_message *msg);
/* A new active agent: replay the last configuration. */
void route_monitors_activated(struct router *r, struct agent *a);
void route_monitors_agent(struct router *r, struct agent *a,
			  const struct vdp_ipc_message *msg);
/* Agent a stops being active or goes away: a REPLY waiting for it is
 * sent (success: the configuration is kept for the next agent). */
void route_monitors_agent_gone(struct router *r, struct agent *a);
/* The client went away: a REPLY waiting is dropped. */
void route_monitors_client_gone(struct router *r);

/* ---- route-clipboard.c -------------------------------------------------- */
struct route_clipboard *route_clipboard_new(void);
void route_clipboard_free(struct route_clipboard *c);
void route_clipboard_port(struct router *r, const struct vdp_message *msg);
void route_clipboard_agent(struct router *r, struct agent *a,
			   const struct vdp_ipc_message *msg);
/* Release outstanding grabs and answer pending requests on both sides:
 * old is the agent that was active (NULL: none, or gone), client_alive
 * whether the client can still be told. */
void route_clipboard_reset(struct router *r, struct agent *old,
			   bool client_alive);
/* A new client: grab serials start again. */
void route_clipboard_new_client(struct router *r);

/* ---- route-xfer.c ------------------------------------------------------- */
#define ROUTE_XFER_MAX_ACTIVE 64u
struct route_xfer *route_xfer_new(void);
void route_xfer_free(struct route_xfer *x);
void route_xfer_port(struct router *r, const struct vdp_message *msg);
void route_xfer_agent(struct router *r, struct agent *a,
		      const struct vdp_ipc_message *msg);
/* Cancel the transfers of agent a (NULL: all); the client is told when
 * client_alive, the agent when it is still connected. */
void route_xfer_cancel(struct router *r, struct agent *a, bool client_alive);
unsigned route_xfer_count(const struct route_xfer *x);

/* ---- route-misc.c ------------------------------------------------------- */
void route_mouse_port(struct router *r, const struct vdp_message *msg);
void route_volume_port(struct router *r, const struct vdp_message *msg);
void route_device_info_port(struct router *r, const struct vdp_message *msg);
void route_max_clipboard_port(struct router *r, const struct vdp_message *msg);
void route_device_info_activated(struct router *r, struct agent *a);
/* The active agent's layout for the mouse (NULL: no agent). */
void route_mouse_layout(struct router *r, struct agent *a);
