/* SPDX-License-Identifier: MIT */
/* The daemon's core: wires the port, the IPC server, the session tracker
 * and the mouse to the routing rules (route.h). */
#pragma once

#include <stdbool.h>

#include "ipc-server.h"
#include "port.h"

struct session_tracker;
struct vda_mouse;

struct router_config {
	bool one_session; /* -o: quit after the first port session */
	int debug;        /* -d count: 2 logs every mouse message too */
};

struct router;

/* The router does not own port, sessions or mouse. */
struct router *router_new(const struct router_config *cfg,
			  struct session_tracker *sessions,
			  struct vda_mouse *mouse,
			  void (*quit)(void *user), void *quit_user);
void router_free(struct router *r);
/* Set (or replace) the parts created after the router. */
void router_set_parts(struct router *r, struct session_tracker *sessions,
		      struct vda_mouse *mouse);
/* The port is created with router_port_callbacks and the router as user;
 * then handed over here. */
void router_set_port(struct router *r, struct port *p);
/* The active session or its lock state changed (session_changed_cb). */
void router_sessions_changed(void *user);

extern const struct port_callbacks router_port_callbacks;
extern const struct ipc_server_callbacks router_ipc_callbacks;
