/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "vdp-util.h"
#include "wl-layout.h"
#include "wl-monitors.h"
#include "wl-wlr-output-protocol.h"
#include "wl-wlr-output.h"

#define WLR_HEADS_MAX 64  /* more are ignored */
#define WLR_MODES_MAX 256 /* per head; more are ignored */

struct wmode {
	struct whead *head;
	struct wl_proxy *proxy;
	int32_t w, h, refresh; /* refresh in mHz, 0 when not told */
	bool preferred;
};

struct whead {
	struct wl_wlr_output *owner;
	struct wl_proxy *proxy;
	char name[WL_LAYOUT_NAME_MAX];
	bool enabled;
	struct wmode *modes[WLR_MODES_MAX];
	unsigned nmodes;
	struct wmode *current; /* NULL: none told (or a custom one) */
	int32_t x, y, transform;
	double scale;
};

/* One configuration sent and not answered yet, or waiting to be sent
 * again after "cancelled". */
struct wconfig {
	struct wl_wlr_output *owner;
	struct wl_proxy *proxy; /* NULL while waiting for a new serial */
	uint32_t serial;
	bool retried;
	uint64_t token; /* for ev->monitors_result */
	struct vdp_monitors_config mc;
	char *const *connector;
	unsigned ncon;
};

struct wl_wlr_output {
	struct wl_display *d;
	struct wl_proxy *manager;
	uint32_t serial;
	bool have_serial;
	struct whead *head[WLR_HEADS_MAX];
	unsigned n;
	GList *configs; /* struct wconfig */
	const struct backend_events *ev;
	void *user;
};

/* A head or mode proxy: "release" from version 3, a local destroy before. */
static void release(struct wl_proxy *p, uint32_t opcode)
{
	uint32_t v = wl_proxy_get_version(p);
	if (v >= WL_WLR_HEAD_RELEASE_SINCE)
		wl_proxy_marshal_flags(p, opcode, NULL, v,
				       WL_MARSHAL_FLAG_DESTROY);
	else
		wl_proxy_destroy(p);
}

/* ---- modes -------------------------------------------------------------- */

static void mode_size(void *data, struct wl_proxy *m, int32_t w, int32_t h)
{
	struct wmode *md = data;
	md->w = w;
	md->h = h;
}

static void mode_refresh(void *data, struct wl_proxy *m, int32_t mhz)
{
	struct wmode *md = data;
	md->refresh = mhz;
}

static void mode_preferred(void *data, struct wl_proxy *m)
{
	struct wmode *md = data;
	md->preferred = true;
}

static void mode_free(struct wmode *md)
{
	release(md->proxy, WL_WLR_MODE_RELEASE);
	g_free(md);
}

static void mode_finished(void *data, struct wl_proxy *m)
{
	struct wmode *md = data;
	struct whead *hd = md->head;

	if (hd->current == md)
		hd->current = NULL;
	for (unsigned i = 0; i < hd->nmodes; i++) {
		if (hd->modes[i] == md) {
			hd->modes[i] = hd->modes[--hd->nmodes];
			break;
		}
	}
	mode_free(md);
}

static const struct wl_wlr_mode_listener mode_listener = {
	.size = mode_size,
	.refresh = mode_refresh,
	.preferred = mode_preferred,
	.finished = mode_finished,
};

/* ---- heads -------------------------------------------------------------- */

static void head_name(void *data, struct wl_proxy *h, const char *name)
{
	struct whead *hd = data;
	wl_layout_set_name(hd->name, name);
}

static void head_string(void *data, struct wl_proxy *h, const char *s)
{
}

static void head_physical_size(void *data, struct wl_proxy *h, int32_t w,
			       int32_t hgt)
{
}

static void head_mode(void *data, struct wl_proxy *h, struct wl_proxy *mode)
{
	struct whead *hd = data;

	if (hd->nmodes == WLR_MODES_MAX) {
		release(mode, WL_WLR_MODE_RELEASE);
		return;
	}
	struct wmode *md = g_new0(struct wmode, 1);
	md->head = hd;
	md->proxy = mode;
	wl_proxy_add_listener(mode, (void (**)(void))&mode_listener, md);
	hd->modes[hd->nmodes++] = md;
}

static void head_enabled(void *data, struct wl_proxy *h, int32_t enabled)
{
	struct whead *hd = data;
	hd->enabled = enabled != 0;
}

static void head_current_mode(void *data, struct wl_proxy *h,
			      struct wl_proxy *mode)
{
	struct whead *hd = data;
	/* NULL: a mode we did not keep (over WLR_MODES_MAX) */
	hd->current = mode ? wl_proxy_get_user_data(mode) : NULL;
}

static void head_position(void *data, struct wl_proxy *h, int32_t x,
			  int32_t y)
{
	struct whead *hd = data;
	hd->x = x;
	hd->y = y;
}

static void head_transform(void *data, struct wl_proxy *h, int32_t t)
{
	struct whead *hd = data;
	hd->transform = t;
}

static void head_scale(void *data, struct wl_proxy *h, wl_fixed_t scale)
{
	struct whead *hd = data;
	double s = wl_fixed_to_double(scale);
	hd->scale = s > 0 && s <= 16 ? s : 1;
}

static void head_free(struct whead *hd)
{
	for (unsigned i = 0; i < hd->nmodes; i++)
		mode_free(hd->modes[i]);
	release(hd->proxy, WL_WLR_HEAD_RELEASE);
	g_free(hd);
}

static void head_finished(void *data, struct wl_proxy *h)
{
	struct whead *hd = data;
	struct wl_wlr_output *o = hd->owner;

	for (unsigned i = 0; i < o->n; i++) {
		if (o->head[i] == hd) {
			o->head[i] = o->head[--o->n];
			break;
		}
	}
	head_free(hd);
}

static void head_adaptive_sync(void *data, struct wl_proxy *h, uint32_t s)
{
}

static const struct wl_wlr_head_listener head_listener = {
	.name = head_name,
	.description = head_string,
	.physical_size = head_physical_size,
	.mode = head_mode,
	.enabled = head_enabled,
	.current_mode = head_current_mode,
	.position = head_position,
	.transform = head_transform,
	.scale = head_scale,
	.finished = head_finished,
	.make = head_string,
	.model = head_string,
	.serial_number = head_string,
	.adaptive_sync = head_adaptive_sync,
};

/* ---- configurations ----------------------------------------------------- */

static int config_send(struct wconfig *c);

static void config_free(struct wconfig *c)
{
	struct wl_wlr_output *o = c->owner;

	if (c->proxy)
		wl_proxy_marshal_flags(c->proxy, WL_WLR_CONFIG_DESTROY, NULL,
				       wl_proxy_get_version(c->proxy),
				       WL_MARSHAL_FLAG_DESTROY);
	o->configs = g_list_remove(o->configs, c);
	g_free(c);
}

/* The configuration's last word: the agent is told, then it goes. */
static void config_finish(struct wconfig *c, int result)
{
	struct wl_wlr_output *o = c->owner;
	uint64_t token = c->token;

	config_free(c);
	o->ev->monitors_result(o->user, token, result);
}

static void config_succeeded(void *data, struct wl_proxy *p)
{
	g_message("monitors config applied through wlr-output-management");
	config_finish(data, 0);
}

static void config_failed(void *data, struct wl_proxy *p)
{
	g_message("the compositor refused the monitors config "
		  "(wlr-output-management)");
	config_finish(data, -EIO);
}

static void config_cancelled(void *data, struct wl_proxy *p)
{
	struct wconfig *c = data;

	if (c->retried) {
		g_message("the monitors config was cancelled again "
			  "(wlr-output-management): given up");
		config_finish(c, -ECANCELED);
		return;
	}
	g_message("the monitors config was cancelled (the outputs changed): "
		  "sent again with the new serial");
	c->retried = true;
	wl_proxy_marshal_flags(p, WL_WLR_CONFIG_DESTROY, NULL,
			       wl_proxy_get_version(p),
			       WL_MARSHAL_FLAG_DESTROY);
	c->proxy = NULL;
	/* the compositor's "done" with the new serial may come before or
	 * after "cancelled" */
	int r;
	if (c->owner->serial != c->serial && (r = config_send(c)) < 0)
		config_finish(c, r);
}

static const struct wl_wlr_config_listener config_listener = {
	.succeeded = config_succeeded,
	.failed = config_failed,
	.cancelled = config_cancelled,
};

/* Of the modes of that size, the one with the current refresh rate,
 * else the preferred one, else the fastest. */
static struct wmode *pick_mode(const struct whead *hd, int32_t w, int32_t h)
{
	struct wmode *best = NULL;
	int best_score = -1;
	int32_t now = hd->current ? hd->current->refresh : 0;

	for (unsigned i = 0; i < hd->nmodes; i++) {
		struct wmode *md = hd->modes[i];
		if (md->w != w || md->h != h)
			continue;
		int score = (now && md->refresh == now) ? 2 :
						      md->preferred ? 1 : 0;
		if (score > best_score ||
		    (score == best_score && md->refresh > best->refresh)) {
			best = md;
			best_score = score;
		}
	}
	return best;
}

static void configure_head(struct wl_proxy *conf, struct whead *hd,
			   const struct wl_output_wish *wish)
{
	uint32_t v = wl_proxy_get_version(conf);

	if (wish && !wish->enable) {
		wl_proxy_marshal_flags(conf, WL_WLR_CONFIG_DISABLE_HEAD, NULL,
				       v, 0, hd->proxy);
		return;
	}
	if (!wish && !hd->enabled) { /* no entry for it: left as it is */
		wl_proxy_marshal_flags(conf, WL_WLR_CONFIG_DISABLE_HEAD, NULL,
				       v, 0, hd->proxy);
		return;
	}
	struct wl_proxy *ch = wl_proxy_marshal_flags(
		conf, WL_WLR_CONFIG_ENABLE_HEAD,
		&wl_wlr_output_configuration_head_interface, v, 0, NULL,
		hd->proxy);
	if (!wish) {
		wl_proxy_destroy(ch);
		return;
	}
	/* modes are in the output's own orientation */
	bool swap = hd->transform & 1;
	int32_t w = swap ? wish->h : wish->w, h = swap ? wish->w : wish->h;
	struct wmode *md = pick_mode(hd, w, h);
	if (md) {
		wl_proxy_marshal_flags(ch, WL_WLR_CONFIG_HEAD_SET_MODE, NULL, v,
				       0, md->proxy);
	} else {
		g_message("%s: no %dx%d mode; a custom mode asked", hd->name,
			  w, h);
		wl_proxy_marshal_flags(ch, WL_WLR_CONFIG_HEAD_SET_CUSTOM_MODE,
				       NULL, v, 0, w, h, 0);
	}
	/* positions are logical */
	wl_proxy_marshal_flags(ch, WL_WLR_CONFIG_HEAD_SET_POSITION, NULL, v, 0,
			       (int32_t)(wish->x / hd->scale),
			       (int32_t)(wish->y / hd->scale));
	/* the configuration head has no destructor: it goes with conf */
	wl_proxy_destroy(ch);
}

static int config_send(struct wconfig *c)
{
	struct wl_wlr_output *o = c->owner;
	struct wl_layout_output outs[WLR_HEADS_MAX];
	struct wl_output_wish wish[WLR_HEADS_MAX];
	unsigned enabled = 0;

	if (!o->manager)
		return -ENODEV;
	/* every head, enabled or not, gets an id: plan in pixels */
	for (unsigned i = 0; i < o->n; i++) {
		outs[i] = (struct wl_layout_output){ .lw = 1, .lh = 1,
						     .pw = 1, .ph = 1 };
		memcpy(outs[i].name, o->head[i]->name, sizeof(outs[i].name));
	}
	unsigned nw = wl_monitors_plan(outs, o->n, c->connector, c->ncon,
				       &c->mc, wish, ARRAY_LENGTH(wish));
	for (unsigned i = 0; i < nw; i++)
		enabled += wish[i].enable;
	if (!enabled) {
		g_message("wlr-output-management: a config without an output "
			  "to enable: ignored");
		return -EINVAL;
	}

	c->serial = o->serial;
	c->proxy = wl_proxy_marshal_flags(
		o->manager, WL_WLR_MANAGER_CREATE_CONFIGURATION,
		&wl_wlr_output_configuration_interface,
		wl_proxy_get_version(o->manager), 0, NULL, o->serial);
	wl_proxy_add_listener(c->proxy, (void (**)(void))&config_listener, c);
	/* the protocol wants every head in the configuration, once */
	for (unsigned i = 0; i < o->n; i++) {
		const struct wl_output_wish *w = NULL;
		for (unsigned j = 0; j < nw && !w; j++)
			if (streq(wish[j].name, o->head[i]->name))
				w = &wish[j];
		configure_head(c->proxy, o->head[i], w);
	}
	for (unsigned j = 0; j < nw; j++) {
		bool known = false;
		for (unsigned i = 0; i < o->n; i++)
			known |= streq(wish[j].name, o->head[i]->name);
		if (!known)
			g_message("wlr-output-management: no output %s",
				  wish[j].name);
	}
	wl_proxy_marshal_flags(c->proxy, WL_WLR_CONFIG_APPLY, NULL,
			       wl_proxy_get_version(c->proxy), 0);
	wl_display_flush(o->d);
	return 0;
}

/* ---- the manager -------------------------------------------------------- */

static void manager_head(void *data, struct wl_proxy *m, struct wl_proxy *h)
{
	struct wl_wlr_output *o = data;

	if (o->n == WLR_HEADS_MAX) {
		release(h, WL_WLR_HEAD_RELEASE);
		return;
	}
	struct whead *hd = g_new0(struct whead, 1);
	hd->owner = o;
	hd->proxy = h;
	hd->scale = 1;
	wl_proxy_add_listener(h, (void (**)(void))&head_listener, hd);
	o->head[o->n++] = hd;
}

static void manager_done(void *data, struct wl_proxy *m, uint32_t serial)
{
	struct wl_wlr_output *o = data;

	o->serial = serial;
	o->have_serial = true;
	/* configurations cancelled before this serial: their one retry */
	GList *next;
	for (GList *l = o->configs; l; l = next) {
		struct wconfig *c = l->data;
		next = l->next;
		int r;
		if (!c->proxy && (r = config_send(c)) < 0)
			config_finish(c, r);
	}
}

static void manager_finished(void *data, struct wl_proxy *m)
{
	struct wl_wlr_output *o = data;

	g_message("the compositor stopped its output management");
	wl_proxy_destroy(o->manager);
	o->manager = NULL;
}

static const struct wl_wlr_manager_listener manager_listener = {
	.head = manager_head,
	.done = manager_done,
	.finished = manager_finished,
};

/* ---- the set ------------------------------------------------------------ */

struct wl_wlr_output *wl_wlr_output_new(struct wl_display *d,
					const struct backend_events *ev,
					void *user)
{
	struct wl_wlr_output *o = g_new0(struct wl_wlr_output, 1);
	o->d = d;
	o->ev = ev;
	o->user = user;
	return o;
}

void wl_wlr_output_free(struct wl_wlr_output *o)
{
	if (!o)
		return;
	while (o->configs)
		config_free(o->configs->data);
	for (unsigned i = 0; i < o->n; i++)
		head_free(o->head[i]);
	if (o->manager) {
		wl_proxy_marshal_flags(o->manager, WL_WLR_MANAGER_STOP, NULL,
				       wl_proxy_get_version(o->manager), 0);
		wl_proxy_destroy(o->manager);
	}
	g_free(o);
}

bool wl_wlr_output_global(struct wl_wlr_output *o, struct wl_registry *reg,
			  uint32_t name, const char *iface, uint32_t version)
{
	if (strcmp(iface, wl_wlr_output_manager_interface.name) != 0)
		return false;
	if (o->manager)
		return true;
	o->manager = wl_registry_bind(reg, name,
				      &wl_wlr_output_manager_interface,
				      MIN(version, WL_WLR_OUTPUT_VERSION));
	wl_proxy_add_listener(o->manager, (void (**)(void))&manager_listener,
			      o);
	return true;
}

bool wl_wlr_output_active(const struct wl_wlr_output *o)
{
	return o->manager && o->have_serial;
}

int wl_wlr_output_apply(struct wl_wlr_output *o, char *const *connector,
			unsigned ncon, const struct vdp_monitors_config *mc,
			uint64_t token)
{
	if (!o->manager)
		return -ENODEV;
	if (!o->have_serial)
		return -EAGAIN;
	struct wconfig *c = g_new0(struct wconfig, 1);
	c->owner = o;
	c->mc = *mc;
	c->connector = connector;
	c->ncon = ncon;
	c->token = token;
	int r = config_send(c);
	if (r < 0) {
		g_free(c);
		return r;
	}
	o->configs = g_list_prepend(o->configs, c);
	return BACKEND_MONITORS_PENDING;
}
