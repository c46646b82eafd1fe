/* SPDX-License-Identifier: MIT */
/*
 * A Wayland compositor for tests, without any rendering: two heads,
 * Virtual-1 and Virtual-2, each with a few modes, offered through
 * wl_output (one global per enabled head) and zwlr_output_manager_v1
 * (wlr-output-management, the interfaces of
 * vdagent/wl-wlr-output-protocol.h).  Sway, the only wlroots compositor
 * in Debian 12, shows its headless outputs without modes: this one
 * exercises what a compositor with real modes would see.
 *
 *   wl-fake-output-manager [--version N] [--no-manager]
 *
 * Needs XDG_RUNTIME_DIR.  Writes to stdout, one line each:
 *   ready SOCKET                  listening on SOCKET
 *   apply serial=S OUTCOME NAME=SETTING...
 *                                 a configuration applied by a client:
 *                                 OUTCOME succeeded, failed or cancelled;
 *                                 SETTING "off", "keep" (enabled, nothing
 *                                 set), or mode:WxH@R / custom:WxH@R,
 *                                 then +X+Y when a position was set
 *   ok                            a command was read
 * Commands on stdin, one a line, each for the next configuration
 * applied (queued): "fail"; "cancel" (the outputs change: a new serial,
 * then "cancelled"); "cancel-late" (the same, "cancelled" first).
 * A configuration that succeeds takes effect: the new state goes to
 * every client (heads, modes, wl_output) with a new serial.  A custom
 * mode becomes a new mode of its head.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server.h>

#include "wl-fake-run.h"
#include "wl-wlr-output-protocol.h"

#define NHEADS 2
#define MODES_MAX 16
#define QUEUE_MAX 16

struct fmode {
	struct fhead *head;
	int32_t w, h, refresh;
	bool preferred;
	struct wl_list resources; /* zwlr_output_mode_v1 */
};

struct fhead {
	const char *name;
	struct fmode modes[MODES_MAX];
	unsigned nmodes;
	bool enabled;
	struct fmode *current;
	int32_t x, y;
	struct wl_list resources;  /* zwlr_output_head_v1 */
	struct wl_global *output;  /* wl_output, while enabled */
	struct wl_list outputs;    /* its wl_output resources */
};

/* What a configuration says of one head. */
struct fsetting {
	struct fhead *head;
	bool configured, enable;
	struct fmode *mode;
	bool custom;
	int32_t cw, ch, cr;
	bool has_pos;
	int32_t x, y;
};

struct fconfig {
	uint32_t serial;
	bool used;
	struct fsetting set[NHEADS];
	struct wl_list heads; /* zwlr_output_configuration_head_v1 */
};

/* The whole compositor: main() owns it; the handlers reach it here. */
static struct {
	struct wl_display *display;
	struct fhead head[NHEADS];
	uint32_t serial;
	struct wl_list managers;
	char queue[QUEUE_MAX]; /* 'f' fail, 'c' cancel, 'l' cancel-late */
	unsigned nqueue;
} fk;

static void unlink_resource(struct wl_resource *r)
{
	wl_list_remove(wl_resource_get_link(r));
}

static void destroy_request(struct wl_client *c, struct wl_resource *r)
{
	wl_resource_destroy(r);
}

static unsigned head_index(const struct fhead *h)
{
	return (unsigned)(h - fk.head);
}

/* ---- wl_output ---------------------------------------------------------- */

static void output_send(struct wl_resource *r, const struct fhead *h)
{
	wl_output_send_geometry(r, h->x, h->y, 0, 0,
				WL_OUTPUT_SUBPIXEL_UNKNOWN, "fake", h->name,
				WL_OUTPUT_TRANSFORM_NORMAL);
	if (h->current)
		wl_output_send_mode(r, WL_OUTPUT_MODE_CURRENT, h->current->w,
				    h->current->h, h->current->refresh);
	if (wl_resource_get_version(r) >= WL_OUTPUT_SCALE_SINCE_VERSION)
		wl_output_send_scale(r, 1);
	if (wl_resource_get_version(r) >= WL_OUTPUT_NAME_SINCE_VERSION) {
		wl_output_send_name(r, h->name);
		wl_output_send_description(r, h->name);
	}
	if (wl_resource_get_version(r) >= WL_OUTPUT_DONE_SINCE_VERSION)
		wl_output_send_done(r);
}

static const struct wl_output_interface output_impl = {
	.release = destroy_request,
};

static void output_bind(struct wl_client *c, void *data, uint32_t version,
			uint32_t id)
{
	struct fhead *h = data;
	struct wl_resource *r = wl_resource_create(c, &wl_output_interface,
						   (int)version, id);
	wl_resource_set_implementation(r, &output_impl, h, unlink_resource);
	wl_list_insert(&h->outputs, wl_resource_get_link(r));
	output_send(r, h);
}

/* The wl_output global follows the head: there while enabled. */
static void output_update(struct fhead *h)
{
	struct wl_resource *r, *tmp;

	if (h->enabled && !h->output) {
		h->output = wl_global_create(fk.display, &wl_output_interface,
					     4, h, output_bind);
	} else if (!h->enabled && h->output) {
		wl_global_destroy(h->output);
		h->output = NULL;
		/* the clients' objects stay, inert */
		wl_resource_for_each_safe(r, tmp, &h->outputs) {
			wl_list_remove(wl_resource_get_link(r));
			wl_list_init(wl_resource_get_link(r));
		}
	} else if (h->enabled) {
		wl_resource_for_each(r, &h->outputs)
			output_send(r, h);
	}
}

/* ---- heads and modes ---------------------------------------------------- */

static const struct { void (*release)(struct wl_client *,
				       struct wl_resource *); }
	release_impl = { .release = destroy_request };

static struct wl_resource *mode_resource_of(struct fmode *m,
					    struct wl_client *c)
{
	struct wl_resource *r;
	wl_resource_for_each(r, &m->resources)
		if (wl_resource_get_client(r) == c)
			return r;
	return NULL;
}

static void mode_announce(struct wl_resource *head_res, struct fmode *m)
{
	struct wl_resource *r = wl_resource_create(
		wl_resource_get_client(head_res), &wl_wlr_output_mode_interface,
		wl_resource_get_version(head_res), 0);
	wl_resource_set_implementation(r, &release_impl, m, unlink_resource);
	wl_list_insert(&m->resources, wl_resource_get_link(r));
	wl_resource_post_event(head_res, WL_WLR_HEAD_MODE, r);
	wl_resource_post_event(r, WL_WLR_MODE_SIZE, m->w, m->h);
	wl_resource_post_event(r, WL_WLR_MODE_REFRESH, m->refresh);
	if (m->preferred)
		wl_resource_post_event(r, WL_WLR_MODE_PREFERRED);
}

/* The head's changeable state (after its modes). */
static void head_send_state(struct wl_resource *r, struct fhead *h)
{
	wl_resource_post_event(r, WL_WLR_HEAD_ENABLED, (int32_t)h->enabled);
	if (!h->enabled)
		return;
	struct wl_resource *mr =
		h->current ? mode_resource_of(h->current,
					      wl_resource_get_client(r)) :
			     NULL;
	if (mr)
		wl_resource_post_event(r, WL_WLR_HEAD_CURRENT_MODE, mr);
	wl_resource_post_event(r, WL_WLR_HEAD_POSITION, h->x, h->y);
	wl_resource_post_event(r, WL_WLR_HEAD_TRANSFORM,
			       (int32_t)WL_OUTPUT_TRANSFORM_NORMAL);
	wl_resource_post_event(r, WL_WLR_HEAD_SCALE, wl_fixed_from_int(1));
}

static void head_announce(struct wl_resource *manager, struct fhead *h)
{
	int version = wl_resource_get_version(manager);
	struct wl_resource *r = wl_resource_create(
		wl_resource_get_client(manager), &wl_wlr_output_head_interface,
		version, 0);
	wl_resource_set_implementation(r, &release_impl, h, unlink_resource);
	wl_list_insert(&h->resources, wl_resource_get_link(r));
	wl_resource_post_event(manager, WL_WLR_MANAGER_HEAD, r);
	wl_resource_post_event(r, WL_WLR_HEAD_NAME, h->name);
	wl_resource_post_event(r, WL_WLR_HEAD_DESCRIPTION, h->name);
	if (version >= 2) {
		wl_resource_post_event(r, WL_WLR_HEAD_MAKE, "fake");
		wl_resource_post_event(r, WL_WLR_HEAD_MODEL, h->name);
	}
	if (version >= 4)
		wl_resource_post_event(r, WL_WLR_HEAD_ADAPTIVE_SYNC, 0u);
	for (unsigned i = 0; i < h->nmodes; i++)
		mode_announce(r, &h->modes[i]);
	head_send_state(r, h);
}

static void broadcast_done(void)
{
	struct wl_resource *r;
	wl_resource_for_each(r, &fk.managers)
		wl_resource_post_event(r, WL_WLR_MANAGER_DONE, fk.serial);
}

/* ---- configurations ----------------------------------------------------- */

static struct fsetting *setting_of(struct wl_resource *ch)
{
	struct fsetting *s = wl_resource_get_user_data(ch);
	if (!s)
		wl_resource_post_error(ch, WL_WLR_CONFIG_ERROR_ALREADY_USED,
				       "the configuration is gone");
	return s;
}

static bool mode_unset(struct wl_resource *ch, const struct fsetting *s)
{
	if (s->mode || s->custom) {
		wl_resource_post_error(ch,
				       WL_WLR_CONFIG_HEAD_ERROR_ALREADY_SET,
				       "mode already set");
		return false;
	}
	return true;
}

static void ch_set_mode(struct wl_client *c, struct wl_resource *ch,
			struct wl_resource *mode)
{
	struct fsetting *s = setting_of(ch);
	if (!s || !mode_unset(ch, s))
		return;
	struct fmode *m = wl_resource_get_user_data(mode);
	if (m->head != s->head) {
		wl_resource_post_error(ch,
				       WL_WLR_CONFIG_HEAD_ERROR_INVALID_MODE,
				       "a mode of another head");
		return;
	}
	s->mode = m;
}

static void ch_set_custom_mode(struct wl_client *c, struct wl_resource *ch,
			       int32_t w, int32_t h, int32_t refresh)
{
	struct fsetting *s = setting_of(ch);
	if (!s || !mode_unset(ch, s))
		return;
	if (w <= 0 || h <= 0 || refresh < 0) {
		wl_resource_post_error(
			ch, WL_WLR_CONFIG_HEAD_ERROR_INVALID_CUSTOM_MODE,
			"bad custom mode %dx%d@%d", w, h, refresh);
		return;
	}
	s->custom = true;
	s->cw = w;
	s->ch = h;
	s->cr = refresh;
}

static void ch_set_position(struct wl_client *c, struct wl_resource *ch,
			    int32_t x, int32_t y)
{
	struct fsetting *s = setting_of(ch);
	if (!s)
		return;
	if (s->has_pos) {
		wl_resource_post_error(ch,
				       WL_WLR_CONFIG_HEAD_ERROR_ALREADY_SET,
				       "position already set");
		return;
	}
	s->has_pos = true;
	s->x = x;
	s->y = y;
}

static void ch_ignore_int(struct wl_client *c, struct wl_resource *ch,
			  int32_t v)
{
}

static void ch_ignore_uint(struct wl_client *c, struct wl_resource *ch,
			   uint32_t v)
{
}

static const struct {
	void (*set_mode)(struct wl_client *, struct wl_resource *,
			 struct wl_resource *);
	void (*set_custom_mode)(struct wl_client *, struct wl_resource *,
				int32_t, int32_t, int32_t);
	void (*set_position)(struct wl_client *, struct wl_resource *, int32_t,
			     int32_t);
	void (*set_transform)(struct wl_client *, struct wl_resource *,
			      int32_t);
	void (*set_scale)(struct wl_client *, struct wl_resource *, int32_t);
	void (*set_adaptive_sync)(struct wl_client *, struct wl_resource *,
				  uint32_t);
} config_head_impl = {
	.set_mode = ch_set_mode,
	.set_custom_mode = ch_set_custom_mode,
	.set_position = ch_set_position,
	.set_transform = ch_ignore_int,
	.set_scale = ch_ignore_int,
	.set_adaptive_sync = ch_ignore_uint,
};

/* The configuration's setting of head_res, or NULL (error posted). */
static struct fsetting *configure(struct wl_resource *conf,
				  struct wl_resource *head_res, bool enable)
{
	struct fconfig *cf = wl_resource_get_user_data(conf);
	struct fhead *h = wl_resource_get_user_data(head_res);

	if (cf->used) {
		wl_resource_post_error(conf, WL_WLR_CONFIG_ERROR_ALREADY_USED,
				       "already applied");
		return NULL;
	}
	struct fsetting *s = &cf->set[head_index(h)];
	if (s->configured) {
		wl_resource_post_error(
			conf, WL_WLR_CONFIG_ERROR_ALREADY_CONFIGURED_HEAD,
			"%s configured twice", h->name);
		return NULL;
	}
	s->head = h;
	s->configured = true;
	s->enable = enable;
	return s;
}

static void config_head_gone(struct wl_resource *ch)
{
	unlink_resource(ch);
}

static void config_enable_head(struct wl_client *c, struct wl_resource *conf,
			       uint32_t id, struct wl_resource *head_res)
{
	struct fconfig *cf = wl_resource_get_user_data(conf);
	struct fsetting *s = configure(conf, head_res, true);
	struct wl_resource *ch = wl_resource_create(
		c, &wl_wlr_output_configuration_head_interface,
		wl_resource_get_version(conf), id);
	wl_resource_set_implementation(ch, &config_head_impl, s,
				       config_head_gone);
	wl_list_insert(&cf->heads, wl_resource_get_link(ch));
}

static void config_disable_head(struct wl_client *c, struct wl_resource *conf,
				struct wl_resource *head_res)
{
	configure(conf, head_res, false);
}

static void describe(const struct fconfig *cf, char *buf, size_t size)
{
	size_t n = 0;
	for (unsigned i = 0; i < NHEADS && n < size; i++) {
		const struct fsetting *s = &cf->set[i];
		n += (size_t)snprintf(buf + n, size - n, " %s=", fk.head[i].name);
		if (n >= size)
			break;
		if (!s->enable)
			n += (size_t)snprintf(buf + n, size - n, "off");
		else if (s->mode)
			n += (size_t)snprintf(buf + n, size - n, "mode:%dx%d@%d",
					      s->mode->w, s->mode->h,
					      s->mode->refresh);
		else if (s->custom)
			n += (size_t)snprintf(buf + n, size - n,
					      "custom:%dx%d@%d", s->cw, s->ch,
					      s->cr);
		else
			n += (size_t)snprintf(buf + n, size - n, "keep");
		if (n < size && s->enable && s->has_pos)
			n += (size_t)snprintf(buf + n, size - n, "+%d+%d",
					      s->x, s->y);
	}
}

/* The mode a setting asks for; a custom one is added to the head. */
static struct fmode *settle_mode(struct fhead *h, const struct fsetting *s)
{
	if (s->mode)
		return s->mode;
	if (!s->custom)
		return h->current ? h->current : &h->modes[0];
	for (unsigned i = 0; i < h->nmodes; i++)
		if (h->modes[i].w == s->cw && h->modes[i].h == s->ch &&
		    h->modes[i].refresh == (s->cr ? s->cr : 60000))
			return &h->modes[i];
	if (h->nmodes == MODES_MAX)
		return h->current;
	struct fmode *m = &h->modes[h->nmodes++];
	*m = (struct fmode){ .head = h, .w = s->cw, .h = s->ch,
			     .refresh = s->cr ? s->cr : 60000 };
	wl_list_init(&m->resources);
	struct wl_resource *r;
	wl_resource_for_each(r, &h->resources)
		mode_announce(r, m);
	return m;
}

static void take_effect(const struct fconfig *cf)
{
	for (unsigned i = 0; i < NHEADS; i++) {
		struct fhead *h = &fk.head[i];
		const struct fsetting *s = &cf->set[i];
		h->enabled = s->enable;
		if (s->enable) {
			h->current = settle_mode(h, s);
			if (s->has_pos) {
				h->x = s->x;
				h->y = s->y;
			}
		}
		struct wl_resource *r;
		wl_resource_for_each(r, &h->resources)
			head_send_state(r, h);
		output_update(h);
	}
	fk.serial++;
	broadcast_done();
}

static void config_apply(struct wl_client *c, struct wl_resource *conf)
{
	struct fconfig *cf = wl_resource_get_user_data(conf);
	char desc[512] = "";

	if (cf->used) {
		wl_resource_post_error(conf, WL_WLR_CONFIG_ERROR_ALREADY_USED,
				       "already applied");
		return;
	}
	cf->used = true;
	for (unsigned i = 0; i < NHEADS; i++) {
		if (!cf->set[i].configured) {
			wl_resource_post_error(
				conf, WL_WLR_CONFIG_ERROR_UNCONFIGURED_HEAD,
				"%s not configured", fk.head[i].name);
			return;
		}
	}
	describe(cf, desc, sizeof(desc));
	char what = fk.nqueue ? fk.queue[0] : 0;
	if (fk.nqueue)
		memmove(fk.queue, fk.queue + 1, --fk.nqueue);
	const char *outcome = "succeeded";
	if (cf->serial != fk.serial || what == 'c' || what == 'l')
		outcome = "cancelled";
	else if (what == 'f')
		outcome = "failed";
	printf("apply serial=%u %s%s\n", cf->serial, outcome, desc);

	if (what == 'c') { /* the outputs changed just before */
		fk.serial++;
		broadcast_done();
	}
	wl_resource_post_event(conf, outcome[0] == 's' ? WL_WLR_CONFIG_SUCCEEDED :
				     outcome[0] == 'f' ? WL_WLR_CONFIG_FAILED :
							 WL_WLR_CONFIG_CANCELLED);
	if (what == 'l') { /* ... or just after */
		fk.serial++;
		broadcast_done();
	}
	if (outcome[0] == 's')
		take_effect(cf);
}

static void config_test(struct wl_client *c, struct wl_resource *conf)
{
	struct fconfig *cf = wl_resource_get_user_data(conf);
	cf->used = true;
	wl_resource_post_event(conf, WL_WLR_CONFIG_SUCCEEDED);
}

static const struct {
	void (*enable_head)(struct wl_client *, struct wl_resource *, uint32_t,
			    struct wl_resource *);
	void (*disable_head)(struct wl_client *, struct wl_resource *,
			     struct wl_resource *);
	void (*apply)(struct wl_client *, struct wl_resource *);
	void (*test)(struct wl_client *, struct wl_resource *);
	void (*destroy)(struct wl_client *, struct wl_resource *);
} config_impl = {
	.enable_head = config_enable_head,
	.disable_head = config_disable_head,
	.apply = config_apply,
	.test = config_test,
	.destroy = destroy_request,
};

static void config_gone(struct wl_resource *conf)
{
	struct fconfig *cf = wl_resource_get_user_data(conf);
	struct wl_resource *ch, *tmp;

	/* its configuration heads become inert */
	wl_resource_for_each_safe(ch, tmp, &cf->heads) {
		wl_resource_set_user_data(ch, NULL);
		wl_list_remove(wl_resource_get_link(ch));
		wl_list_init(wl_resource_get_link(ch));
	}
	free(cf);
}

/* ---- the manager -------------------------------------------------------- */

static void manager_create_configuration(struct wl_client *c,
					 struct wl_resource *m, uint32_t id,
					 uint32_t serial)
{
	struct fconfig *cf = calloc(1, sizeof(*cf));
	if (!cf) {
		wl_client_post_no_memory(c);
		return;
	}
	cf->serial = serial;
	wl_list_init(&cf->heads);
	struct wl_resource *r = wl_resource_create(
		c, &wl_wlr_output_configuration_interface,
		wl_resource_get_version(m), id);
	wl_resource_set_implementation(r, &config_impl, cf, config_gone);
}

static void manager_stop(struct wl_client *c, struct wl_resource *m)
{
	wl_resource_post_event(m, WL_WLR_MANAGER_FINISHED);
	wl_resource_destroy(m);
}

static const struct {
	void (*create_configuration)(struct wl_client *, struct wl_resource *,
				     uint32_t, uint32_t);
	void (*stop)(struct wl_client *, struct wl_resource *);
} manager_impl = {
	.create_configuration = manager_create_configuration,
	.stop = manager_stop,
};

static void manager_bind(struct wl_client *c, void *data, uint32_t version,
			 uint32_t id)
{
	struct wl_resource *m = wl_resource_create(
		c, &wl_wlr_output_manager_interface, (int)version, id);
	wl_resource_set_implementation(m, &manager_impl, NULL,
				       unlink_resource);
	wl_list_insert(&fk.managers, wl_resource_get_link(m));
	for (unsigned i = 0; i < NHEADS; i++)
		head_announce(m, &fk.head[i]);
	wl_resource_post_event(m, WL_WLR_MANAGER_DONE, fk.serial);
}

/* ---- set-up ------------------------------------------------------------- */

static void add_mode(struct fhead *h, int32_t w, int32_t hgt, int32_t r,
		     bool preferred)
{
	struct fmode *m = &h->modes[h->nmodes++];
	*m = (struct fmode){ .head = h, .w = w, .h = hgt, .refresh = r,
			     .preferred = preferred };
	wl_list_init(&m->resources);
}

static void heads_init(void)
{
	static const char *const names[NHEADS] = { "Virtual-1", "Virtual-2" };

	for (unsigned i = 0; i < NHEADS; i++) {
		struct fhead *h = &fk.head[i];
		h->name = names[i];
		wl_list_init(&h->resources);
		wl_list_init(&h->outputs);
		add_mode(h, 1024, 768, 60000, true);
		add_mode(h, 1280, 800, 60000, false);
		add_mode(h, 800, 600, 60000, false);
		h->enabled = true;
		h->current = &h->modes[0];
		h->x = (int32_t)i * 1024;
	}
	/* one size at two rates: the client should keep the current one */
	add_mode(&fk.head[0], 1280, 800, 75000, false);
	add_mode(&fk.head[0], 1920, 1080, 60000, false);
}

static void command(char *line)
{
	char what = strcmp(line, "fail") == 0	     ? 'f' :
		    strcmp(line, "cancel") == 0	     ? 'c' :
		    strcmp(line, "cancel-late") == 0 ? 'l' :
						       0;
	if (what && fk.nqueue < QUEUE_MAX)
		fk.queue[fk.nqueue++] = what;
	printf(what ? "ok\n" : "unknown command\n");
}

int main(int argc, char **argv)
{
	int version = WL_WLR_OUTPUT_VERSION;
	bool manager = true;
	static const struct option opts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "no-manager", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'v')
			version = atoi(optarg);
		else if (c == 'n')
			manager = false;
		else
			return 2;
	}
	if (version < 1 || version > WL_WLR_OUTPUT_VERSION) {
		fprintf(stderr, "--version: 1 to %d\n", WL_WLR_OUTPUT_VERSION);
		return 2;
	}
	fk.display = wl_display_create();
	if (!fk.display)
		return 1;
	wl_list_init(&fk.managers);
	fk.serial = 1;
	heads_init();
	for (unsigned i = 0; i < NHEADS; i++)
		output_update(&fk.head[i]);
	if (manager)
		wl_global_create(fk.display, &wl_wlr_output_manager_interface,
				 version, NULL, manager_bind);
	int rc = wl_fake_run(fk.display, command);
	wl_display_destroy_clients(fk.display);
	wl_display_destroy(fk.display);
	return rc;
}
