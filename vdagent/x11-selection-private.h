/* SPDX-License-Identifier: MIT */
/*
 * Shared by the clipboard files of the X agent only; the rest of the
 * agent sees x11-selection.h.  x11-selection.c holds the state machine
 * (events, the daemon's side, setup), x11-selection-read.c the
 * conversions from a guest owner for the client, x11-selection-serve.c
 * the answers to X requestors from the client's data.
 */
#pragma once

#include <X11/Xlib.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clip-cache.h"
#include "vdp-wire.h"
#include "x11-selection.h"

#define NSEL 2 /* CLIPBOARD, PRIMARY */
#define NTYPES VDP_CLIPBOARD_TYPE_END
#define MAX_PENDING 64

enum conversion {
	CONV_IDLE,
	CONV_TARGETS,
	CONV_DATA,
	CONV_DATA_INCR,
};

struct sel {
	struct x11_selection *s; /* back pointer for timer callbacks */
	uint8_t id; /* enum vdp_selection */
	Atom atom;
	Atom prop;  /* our property for conversions */
	enum clip_owner owner;

	/* CLIP_OWNER_CLIENT */
	struct clip_cache cc; /* the client's types and data (clip-cache.h) */
	Time own_time;
	GQueue x_requests; /* struct x_request */
	guint client_timeout;

	/* CLIP_OWNER_GUEST */
	Window guest_owner;
	Time owner_time;   /* when it took the selection (XFixes) */
	Atom conv_target;  /* what the conversion in flight asked for */
	char **targets; /* NULL-terminated names the owner offers */
	bool announced;
	enum conversion conv;
	uint32_t conv_type;
	GByteArray *incr_in;
	Atom incr_type;
	guint conv_timeout;
	GQueue client_requests; /* GUINT_TO_POINTER(vd type) */
};

struct x11_selection {
	Display *dpy;
	Window win;      /* owns selections, receives conversions */
	Window time_win; /* only for server timestamps */
	int xfixes_event_base;
	const struct x11_selection_ops *ops;
	void *user;
	bool crlf;
	int32_t max_clipboard;
	size_t incr_chunk;

	Atom a_targets, a_multiple, a_timestamp, a_incr, a_atom_pair,
		a_utf8, a_compound, a_text;
	struct sel sel[NSEL];
	GList *incr_out; /* struct incr_out */
};

/* ---- x11-selection.c ---------------------------------------------------- */

void set_owner(struct sel *sl, enum clip_owner o, const char *why);
struct sel *sel_by_atom(struct x11_selection *s, Atom a);

/* ---- x11-selection-read.c: GUEST ----------------------------------------- */

void send_data_none(struct x11_selection *s, struct sel *sl);
void conv_reset(struct sel *sl);
/* Refuse every queued client request (the owner changed or failed). */
void fail_client_requests(struct x11_selection *s, struct sel *sl);
void guest_owner_changed(struct x11_selection *s, struct sel *sl,
			 Window owner, Time when);
void on_selection_notify(struct x11_selection *s, XSelectionEvent *ev);
void on_incr_in_chunk(struct x11_selection *s, struct sel *sl);
void start_next_request(struct x11_selection *s, struct sel *sl);

/* ---- x11-selection-serve.c: CLIENT --------------------------------------- */

struct incr_out;

void incr_out_free(struct incr_out *o);
void on_incr_out_delete(struct x11_selection *s, XPropertyEvent *ev);
void retry_x_requests(struct x11_selection *s, struct sel *sl);
void on_selection_request(struct x11_selection *s,
			  XSelectionRequestEvent *ev);
void clear_client_state(struct x11_selection *s, struct sel *sl);
