/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#include "vdp-util.h"
#include "wl-layout.h"
#include "wl-monitors.h"
#include "wl-mutter.h"

#define MUTTER_NAME "org.gnome.Mutter.DisplayConfig"
#define MUTTER_PATH "/org/gnome/Mutter/DisplayConfig"
#define MUTTER_TIMEOUT_MS 10000
#define MUTTER_METHOD_TEMPORARY 1u
#define MUTTER_LAYOUT_LOGICAL 1u
#define MAX_MODES 256 /* per monitor; more are ignored */

struct wl_mutter {
	GDBusConnection *bus;
};

struct mode {
	char *id;
	int32_t w, h;
	double scale; /* preferred */
	bool current;
};

struct monitor {
	char name[WL_LAYOUT_NAME_MAX];
	char *spec[4]; /* connector, vendor, product, serial */
	struct mode modes[MAX_MODES];
	unsigned nmodes;
	double scale; /* of its logical monitor; 0: disabled */
};

struct state {
	uint32_t serial;
	uint32_t layout_mode;
	struct monitor mon[VDP_IPC_MAX_DISPLAYS];
	unsigned n;
};

struct wl_mutter *wl_mutter_new(void)
{
	g_autoptr(GError) err = NULL;
	GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &err);
	if (!bus)
		return NULL;
	g_autoptr(GVariant) r = g_dbus_connection_call_sync(
		bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus", "NameHasOwner",
		g_variant_new("(s)", MUTTER_NAME), G_VARIANT_TYPE("(b)"),
		G_DBUS_CALL_FLAGS_NONE, MUTTER_TIMEOUT_MS, NULL, NULL);
	gboolean has = FALSE;
	if (r)
		g_variant_get(r, "(b)", &has);
	if (!has) {
		g_object_unref(bus);
		return NULL;
	}
	struct wl_mutter *m = g_new0(struct wl_mutter, 1);
	m->bus = bus;
	return m;
}

void wl_mutter_free(struct wl_mutter *m)
{
	if (!m)
		return;
	g_object_unref(m->bus);
	g_free(m);
}

static void state_clear(struct state *st)
{
	for (unsigned i = 0; i < st->n; i++) {
		for (unsigned k = 0; k < st->mon[i].nmodes; k++)
			g_free(st->mon[i].modes[k].id);
		for (int k = 0; k < 4; k++)
			g_free(st->mon[i].spec[k]);
	}
	st->n = 0;
}

static void parse_monitor(GVariant *v, struct monitor *mo)
{
	g_autoptr(GVariant) spec = g_variant_get_child_value(v, 0);
	g_autoptr(GVariant) modes = g_variant_get_child_value(v, 1);

	for (int k = 0; k < 4; k++)
		g_variant_get_child(spec, (gsize)k, "s", &mo->spec[k]);
	g_strlcpy(mo->name, mo->spec[0], sizeof(mo->name));
	GVariantIter it;
	g_variant_iter_init(&it, modes);
	GVariant *mv;
	while ((mv = g_variant_iter_next_value(&it))) {
		if (mo->nmodes < MAX_MODES) {
			struct mode *md = &mo->modes[mo->nmodes++];
			g_autoptr(GVariant) props = NULL;
			double refresh;
			g_variant_get(mv, "(siidd@ad@a{sv})", &md->id, &md->w,
				      &md->h, &refresh, &md->scale, NULL,
				      &props);
			gboolean cur = FALSE;
			g_variant_lookup(props, "is-current", "b", &cur);
			md->current = cur;
		}
		g_variant_unref(mv);
	}
}

static int get_state(struct wl_mutter *m, struct state *st)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GVariant) r = g_dbus_connection_call_sync(
		m->bus, MUTTER_NAME, MUTTER_PATH, MUTTER_NAME,
		"GetCurrentState", NULL,
		G_VARIANT_TYPE("(ua((ssss)a(siiddada{sv})a{sv})"
			       "a(iiduba(ssss)a{sv})a{sv})"),
		G_DBUS_CALL_FLAGS_NONE, MUTTER_TIMEOUT_MS, NULL, &err);
	if (!r) {
		g_message("mutter GetCurrentState: %s", err->message);
		return -EIO;
	}
	g_autoptr(GVariant) mons = g_variant_get_child_value(r, 1);
	g_autoptr(GVariant) logical = g_variant_get_child_value(r, 2);
	g_autoptr(GVariant) props = g_variant_get_child_value(r, 3);

	memset(st, 0, sizeof(*st));
	g_variant_get_child(r, 0, "u", &st->serial);
	st->layout_mode = MUTTER_LAYOUT_LOGICAL;
	g_variant_lookup(props, "layout-mode", "u", &st->layout_mode);
	GVariantIter it;
	GVariant *v;
	g_variant_iter_init(&it, mons);
	while ((v = g_variant_iter_next_value(&it))) {
		if (st->n < ARRAY_LENGTH(st->mon))
			parse_monitor(v, &st->mon[st->n++]);
		g_variant_unref(v);
	}
	/* the scale of each enabled monitor */
	g_variant_iter_init(&it, logical);
	while ((v = g_variant_iter_next_value(&it))) {
		double scale;
		g_autoptr(GVariant) specs = NULL;
		g_variant_get(v, "(iid@ub@a(ssss)@a{sv})", NULL, NULL, &scale,
			      NULL, NULL, &specs, NULL);
		GVariantIter si;
		const char *connector;
		g_variant_iter_init(&si, specs);
		while (g_variant_iter_next(&si, "(&s&s&s&s)", &connector, NULL,
					   NULL, NULL))
			for (unsigned i = 0; i < st->n; i++)
				if (streq(st->mon[i].name, connector))
					st->mon[i].scale = scale;
		g_variant_unref(v);
	}
	return 0;
}

static const struct mode *pick_mode(const struct monitor *mo, int32_t w,
				    int32_t h)
{
	const struct mode *cur = NULL;
	for (unsigned k = 0; k < mo->nmodes; k++) {
		if (mo->modes[k].w == w && mo->modes[k].h == h)
			return &mo->modes[k];
		if (mo->modes[k].current)
			cur = &mo->modes[k];
	}
	return cur;
}

int wl_mutter_apply(struct wl_mutter *m, char *const *connector,
		    unsigned ncon, const struct vdp_monitors_config *mc)
{
	struct state st;
	int r = get_state(m, &st);
	if (r < 0)
		return r;

	/* every monitor, enabled or not, gets an id: plan in pixels */
	struct wl_layout_output outs[VDP_IPC_MAX_DISPLAYS];
	struct wl_output_wish wish[VDP_IPC_MAX_DISPLAYS];
	for (unsigned i = 0; i < st.n; i++) {
		outs[i] = (struct wl_layout_output){ .lw = 1, .lh = 1,
						     .pw = 1, .ph = 1 };
		memcpy(outs[i].name, st.mon[i].name, sizeof(outs[i].name));
	}
	unsigned k = wl_monitors_plan(outs, st.n, connector, ncon, mc, wish,
				      ARRAY_LENGTH(wish));

	GVariantBuilder lms;
	g_variant_builder_init(&lms, G_VARIANT_TYPE("a(iiduba(ssa{sv}))"));
	bool primary = true, missing_mode = false;
	unsigned enabled = 0;
	for (unsigned i = 0; i < k; i++) {
		const struct wl_output_wish *w = &wish[i];
		const struct monitor *mo = NULL;
		for (unsigned j = 0; j < st.n && !mo; j++)
			if (streq(st.mon[j].name, w->name))
				mo = &st.mon[j];
		if (!w->enable || !mo)
			continue;
		const struct mode *md = pick_mode(mo, w->w, w->h);
		if (!md || md->w != w->w || md->h != w->h) {
			g_message("%s: no %dx%d mode; %s kept", mo->name, w->w,
				  w->h, md ? md->id : "its mode");
			missing_mode = true;
		}
		if (!md)
			continue;
		double scale = mo->scale > 0 ? mo->scale :
			       md->scale > 0 ? md->scale : 1.0;
		int32_t x = w->x, y = w->y;
		if (st.layout_mode == MUTTER_LAYOUT_LOGICAL) {
			x = (int32_t)(x / scale);
			y = (int32_t)(y / scale);
		}
		GVariantBuilder one;
		g_variant_builder_init(&one, G_VARIANT_TYPE("a(ssa{sv})"));
		g_variant_builder_add(&one, "(ss@a{sv})", mo->name, md->id,
				      g_variant_new_array(G_VARIANT_TYPE(
						"{sv}"), NULL, 0));
		g_variant_builder_add(&lms, "(iidub@a(ssa{sv}))", x, y, scale,
				      0u, primary, g_variant_builder_end(&one));
		primary = false;
		enabled++;
	}
	if (!enabled) {
		g_variant_builder_clear(&lms);
		state_clear(&st);
		g_message("mutter: a config without a monitor to enable: "
			  "ignored");
		return -EINVAL;
	}
	g_autoptr(GError) err = NULL;
	g_autoptr(GVariant) res = g_dbus_connection_call_sync(
		m->bus, MUTTER_NAME, MUTTER_PATH, MUTTER_NAME,
		"ApplyMonitorsConfig",
		g_variant_new("(uu@a(iiduba(ssa{sv}))@a{sv})", st.serial,
			      MUTTER_METHOD_TEMPORARY,
			      g_variant_builder_end(&lms),
			      g_variant_new_array(G_VARIANT_TYPE("{sv}"),
						  NULL, 0)),
		NULL, G_DBUS_CALL_FLAGS_NONE, MUTTER_TIMEOUT_MS, NULL, &err);
	state_clear(&st);
	if (!res) {
		g_message("mutter refused the monitors config: %s",
			  err->message);
		return -EIO;
	}
	g_message("monitors config applied to %u monitors through mutter",
		  enabled);
	return missing_mode ? -ERANGE : 0;
}
