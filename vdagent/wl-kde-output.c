/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

#include "kde-output-device-v2-client-protocol.h"
#include "kde-output-management-v2-client-protocol.h"
#include "vdp-util.h"
#include "wl-kde-output.h"
#include "wl-layout.h"
#include "wl-monitors.h"

#define KDE_DEVICES_MAX 64 /* more are ignored */
#define KDE_MODES_MAX 256  /* per device; more are ignored */

struct kmode {
	struct kde_output_device_mode_v2 *proxy;
	int32_t w, h;
};

struct kdevice {
	struct wl_kde_output *owner;
	uint32_t global;
	struct kde_output_device_v2 *proxy;
	char name[WL_LAYOUT_NAME_MAX];
	struct kmode modes[KDE_MODES_MAX];
	unsigned nmodes;
	struct kde_output_device_mode_v2 *current;
	double scale;
};

/* One configuration applied and not answered yet. */
struct kconfig {
	struct wl_kde_output *owner;
	struct kde_output_configuration_v2 *proxy;
	uint64_t token;
	bool missing_mode; /* a size kept its old mode: not fully applied */
};

struct wl_kde_output {
	struct kde_output_management_v2 *manager;
	struct kdevice *dev[KDE_DEVICES_MAX];
	unsigned n;
	GList *pending; /* struct kconfig */
	const struct backend_events *ev;
	void *user;
};

/* ---- modes -------------------------------------------------------------- */

static struct kmode *mode_of(struct kdevice *dv,
			     struct kde_output_device_mode_v2 *proxy)
{
	for (unsigned i = 0; i < dv->nmodes; i++)
		if (dv->modes[i].proxy == proxy)
			return &dv->modes[i];
	return NULL;
}

static void mode_size(void *data, struct kde_output_device_mode_v2 *m,
		      int32_t w, int32_t h)
{
	struct kmode *km = mode_of(data, m);
	if (km) {
		km->w = w;
		km->h = h;
	}
}

static void mode_refresh(void *data, struct kde_output_device_mode_v2 *m,
			 int32_t refresh)
{
}

static void mode_preferred(void *data, struct kde_output_device_mode_v2 *m)
{
}

static void mode_removed(void *data, struct kde_output_device_mode_v2 *m)
{
	struct kdevice *dv = data;
	struct kmode *km = mode_of(dv, m);

	if (dv->current == m)
		dv->current = NULL;
	kde_output_device_mode_v2_destroy(m);
	if (km)
		*km = dv->modes[--dv->nmodes];
}

static const struct kde_output_device_mode_v2_listener mode_listener = {
	.size = mode_size,
	.refresh = mode_refresh,
	.preferred = mode_preferred,
	.removed = mode_removed,
};

/* ---- devices ------------------------------------------------------------ */

static void dev_geometry(void *data, struct kde_output_device_v2 *d,
			 int32_t x, int32_t y, int32_t pw, int32_t ph,
			 int32_t subpixel, const char *make, const char *model,
			 int32_t transform)
{
}

static void dev_current_mode(void *data, struct kde_output_device_v2 *d,
			     struct kde_output_device_mode_v2 *mode)
{
	struct kdevice *dv = data;
	dv->current = mode;
}

static void dev_mode(void *data, struct kde_output_device_v2 *d,
		     struct kde_output_device_mode_v2 *mode)
{
	struct kdevice *dv = data;

	if (dv->nmodes == KDE_MODES_MAX) {
		kde_output_device_mode_v2_destroy(mode);
		return;
	}
	dv->modes[dv->nmodes++] = (struct kmode){ .proxy = mode };
	kde_output_device_mode_v2_add_listener(mode, &mode_listener, dv);
}

static void dev_done(void *data, struct kde_output_device_v2 *d)
{
}

static void dev_scale(void *data, struct kde_output_device_v2 *d,
		      wl_fixed_t factor)
{
	struct kdevice *dv = data;
	double s = wl_fixed_to_double(factor);
	dv->scale = s > 0 && s <= 16 ? s : 1;
}

static void dev_string(void *data, struct kde_output_device_v2 *d,
		       const char *s)
{
}

static void dev_int(void *data, struct kde_output_device_v2 *d, int32_t v)
{
}

static void dev_uint(void *data, struct kde_output_device_v2 *d, uint32_t v)
{
}

static void dev_name(void *data, struct kde_output_device_v2 *d,
		     const char *name)
{
	struct kdevice *dv = data;
	wl_layout_set_name(dv->name, name);
}

static const struct kde_output_device_v2_listener dev_listener = {
	.geometry = dev_geometry,
	.current_mode = dev_current_mode,
	.mode = dev_mode,
	.done = dev_done,
	.scale = dev_scale,
	.edid = dev_string,
	.enabled = dev_int,
	.uuid = dev_string,
	.serial_number = dev_string,
	.eisa_id = dev_string,
	.capabilities = dev_uint,
	.overscan = dev_uint,
	.vrr_policy = dev_uint,
	.rgb_range = dev_uint,
	.name = dev_name,
};

static void device_free(struct kdevice *dv)
{
	for (unsigned i = 0; i < dv->nmodes; i++)
		kde_output_device_mode_v2_destroy(dv->modes[i].proxy);
	kde_output_device_v2_destroy(dv->proxy);
	g_free(dv);
}

/* ---- configurations ----------------------------------------------------- */

static void config_free(struct kconfig *kc)
{
	kc->owner->pending = g_list_remove(kc->owner->pending, kc);
	kde_output_configuration_v2_destroy(kc->proxy);
	g_free(kc);
}

/* KWin answered: the agent is told, then the configuration goes. */
static void config_done(struct kconfig *kc, int result)
{
	struct wl_kde_output *k = kc->owner;
	uint64_t token = kc->token;

	config_free(kc);
	k->ev->monitors_result(k->user, token, result);
}

static void config_applied(void *data, struct kde_output_configuration_v2 *c)
{
	struct kconfig *kc = data;

	g_message("monitors config applied through KWin");
	config_done(kc, kc->missing_mode ? -ERANGE : 0);
}

static void config_failed(void *data, struct kde_output_configuration_v2 *c)
{
	g_message("KWin refused the monitors config");
	config_done(data, -EIO);
}

static const struct kde_output_configuration_v2_listener config_listener = {
	.applied = config_applied,
	.failed = config_failed,
};

/* ---- the set ------------------------------------------------------------ */

struct wl_kde_output *wl_kde_output_new(const struct backend_events *ev,
					void *user)
{
	struct wl_kde_output *k = g_new0(struct wl_kde_output, 1);

	k->ev = ev;
	k->user = user;
	return k;
}

void wl_kde_output_free(struct wl_kde_output *k)
{
	if (!k)
		return;
	while (k->pending)
		config_free(k->pending->data);
	for (unsigned i = 0; i < k->n; i++)
		device_free(k->dev[i]);
	if (k->manager)
		kde_output_management_v2_destroy(k->manager);
	g_free(k);
}

bool wl_kde_output_global(struct wl_kde_output *k, struct wl_registry *reg,
			  uint32_t name, const char *iface, uint32_t version)
{
	if (strcmp(iface, kde_output_management_v2_interface.name) == 0) {
		if (!k->manager)
			k->manager = wl_registry_bind(
				reg, name, &kde_output_management_v2_interface,
				MIN(version, 2u));
		return true;
	}
	if (strcmp(iface, kde_output_device_v2_interface.name) != 0)
		return false;
	if (k->n == KDE_DEVICES_MAX)
		return true;
	struct kdevice *dv = g_new0(struct kdevice, 1);
	dv->owner = k;
	dv->global = name;
	dv->scale = 1;
	dv->proxy = wl_registry_bind(reg, name, &kde_output_device_v2_interface,
				     MIN(version, 2u));
	kde_output_device_v2_add_listener(dv->proxy, &dev_listener, dv);
	k->dev[k->n++] = dv;
	return true;
}

void wl_kde_output_global_remove(struct wl_kde_output *k, uint32_t name)
{
	for (unsigned i = 0; i < k->n; i++) {
		if (k->dev[i]->global != name)
			continue;
		device_free(k->dev[i]);
		k->dev[i] = k->dev[--k->n];
		return;
	}
}

bool wl_kde_output_active(const struct wl_kde_output *k)
{
	return k->manager && k->n > 0;
}

static struct kde_output_device_mode_v2 *pick_mode(struct kdevice *dv,
						   int32_t w, int32_t h)
{
	for (unsigned i = 0; i < dv->nmodes; i++)
		if (dv->modes[i].w == w && dv->modes[i].h == h)
			return dv->modes[i].proxy;
	return NULL;
}

int wl_kde_output_apply(struct wl_kde_output *k, struct wl_display *d,
			char *const *connector, unsigned ncon,
			const struct vdp_monitors_config *mc, uint64_t token)
{
	struct wl_layout_output outs[KDE_DEVICES_MAX];
	struct wl_output_wish wish[KDE_DEVICES_MAX];
	bool missing_mode = false;
	unsigned enabled = 0;

	/* every device, enabled or not, gets an id: plan in pixels */
	for (unsigned i = 0; i < k->n; i++) {
		outs[i] = (struct wl_layout_output){ .lw = 1, .lh = 1,
						     .pw = 1, .ph = 1 };
		memcpy(outs[i].name, k->dev[i]->name, sizeof(outs[i].name));
	}
	unsigned nw = wl_monitors_plan(outs, k->n, connector, ncon, mc, wish,
				       ARRAY_LENGTH(wish));
	for (unsigned i = 0; i < nw; i++)
		enabled += wish[i].enable;
	if (!enabled) {
		g_message("KWin: a config without an output to enable: ignored");
		return -EINVAL;
	}

	struct kde_output_configuration_v2 *c =
		kde_output_management_v2_create_configuration(k->manager);
	struct kconfig *kc = g_new0(struct kconfig, 1);
	kc->owner = k;
	kc->proxy = c;
	kc->token = token;
	kde_output_configuration_v2_add_listener(c, &config_listener, kc);
	for (unsigned i = 0; i < nw; i++) {
		struct kdevice *dv = NULL;
		for (unsigned j = 0; j < k->n && !dv; j++)
			if (streq(k->dev[j]->name, wish[i].name))
				dv = k->dev[j];
		if (!dv)
			continue;
		if (!wish[i].enable) {
			kde_output_configuration_v2_enable(c, dv->proxy, 0);
			continue;
		}
		kde_output_configuration_v2_enable(c, dv->proxy, 1);
		struct kde_output_device_mode_v2 *m =
			pick_mode(dv, wish[i].w, wish[i].h);
		if (m) {
			kde_output_configuration_v2_mode(c, dv->proxy, m);
		} else {
			g_message("%s: no %dx%d mode; its mode kept", dv->name,
				  wish[i].w, wish[i].h);
			missing_mode = true;
		}
		/* KWin places outputs in logical coordinates */
		kde_output_configuration_v2_position(
			c, dv->proxy, (int32_t)(wish[i].x / dv->scale),
			(int32_t)(wish[i].y / dv->scale));
	}
	kde_output_configuration_v2_apply(c);
	kc->missing_mode = missing_mode;
	k->pending = g_list_prepend(k->pending, kc);
	wl_display_flush(d);
	return BACKEND_MONITORS_PENDING;
}
