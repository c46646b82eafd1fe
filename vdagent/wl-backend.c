/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "device-info.h"
#include "vdp-util.h"
#include "wl-backend.h"
#include "wl-clipboard.h"
#ifdef HAVE_KDE_OUTPUT
#include "wl-kde-output.h"
#endif
#include "wl-layout.h"
#include "wl-monitors.h"
#include "wl-mutter.h"
#include "wl-outputs.h"
#include "wl-source.h"
#include "wl-sway-ipc.h"
#include "wl-wlr-output.h"
#include "x11-backend.h"

struct wl_backend {
	struct backend base;
	struct wl_display *d;
	struct wl_registry *registry;
	struct wl_outputs *outputs;
	struct wl_clip *clip; /* NULL: no data-control protocol */
	struct wl_sway *sway; /* NULL: not sway */
	struct wl_wlr_output *wlr; /* NULL after start: not used */
	struct wl_mutter *mutter; /* NULL: not GNOME */
#ifdef HAVE_KDE_OUTPUT
	struct wl_kde_output *kde; /* NULL after start: not KWin */
#endif
	struct backend *x11_clip; /* Xwayland's selections, without clip */
	guint source;
	int lock_fd;
	const struct backend_events *ev;
	void *user;
	void (*gone)(void *user);
	void *gone_user;
	/* connector name per display id, from GRAPHICS_DEVICE_INFO */
	char *connector[VDP_IPC_MAX_DISPLAYS];
	bool no_config_logged;
};

static struct wl_backend *wb(struct backend *b)
{
	return (struct wl_backend *)b;
}

/* ---- compositor events -------------------------------------------------- */

static void outputs_changed(void *user)
{
	struct wl_backend *w = user;
	w->ev->layout_changed(w->user);
}

static void on_global(void *data, struct wl_registry *reg, uint32_t name,
		      const char *iface, uint32_t version)
{
	struct wl_backend *w = data;

	bool ours = wl_outputs_global(w->outputs, reg, name, iface, version) ||
		    (w->clip &&
		     wl_clip_global(w->clip, reg, name, iface, version)) ||
		    (w->wlr &&
		     wl_wlr_output_global(w->wlr, reg, name, iface, version));
#ifdef HAVE_KDE_OUTPUT
	if (!ours && w->kde)
		ours = wl_kde_output_global(w->kde, reg, name, iface, version);
#endif
	if (ours)
		g_debug("wayland: %s v%u bound", iface, version);
}

static void on_global_remove(void *data, struct wl_registry *reg,
			     uint32_t name)
{
	struct wl_backend *w = data;
	wl_outputs_global_remove(w->outputs, name);
#ifdef HAVE_KDE_OUTPUT
	if (w->kde)
		wl_kde_output_global_remove(w->kde, name);
#endif
}

static const struct wl_registry_listener registry_listener = {
	.global = on_global,
	.global_remove = on_global_remove,
};

static void on_connection_error(void *user)
{
	struct wl_backend *w = user;
	int err = wl_display_get_error(w->d);

	w->source = 0; /* the source removes itself */
	g_message("the Wayland compositor went away (%s); exiting",
		  err ? g_strerror(err) : "hang-up");
	w->gone(w->gone_user);
}

/* ---- the table ---------------------------------------------------------- */

static int get_layout(struct backend *b, struct vdp_ipc_screen_layout *out)
{
	struct wl_backend *w = wb(b);
	struct wl_layout_output outs[VDP_IPC_MAX_DISPLAYS];

	unsigned n = wl_outputs_snapshot(w->outputs, outs, ARRAY_LENGTH(outs));
	return wl_layout_build(outs, n, w->connector,
			       ARRAY_LENGTH(w->connector), out);
}

/* sway's IPC and mutter answer within the call; wlr-output-management
 * and KWin later, through ev->monitors_result with the token. */
static int apply_monitors(struct backend *b,
			  const struct vdp_monitors_config *mc, uint64_t token)
{
	struct wl_backend *w = wb(b);

	if (w->sway) {
		struct wl_layout_output outs[VDP_IPC_MAX_DISPLAYS];
		struct wl_output_wish wish[VDP_IPC_MAX_DISPLAYS];
		unsigned n = wl_outputs_snapshot(w->outputs, outs,
						 ARRAY_LENGTH(outs));
		unsigned k = wl_monitors_plan(outs, n, w->connector,
					      ARRAY_LENGTH(w->connector), mc,
					      wish, ARRAY_LENGTH(wish));
		int r = wl_sway_apply(w->sway, wish, k);
		if (r == 0)
			g_message("monitors config applied to %u outputs "
				  "through sway", k);
		return r;
	}
	if (w->wlr)
		return wl_wlr_output_apply(w->wlr, w->connector,
					   ARRAY_LENGTH(w->connector), mc,
					   token);
	if (w->mutter)
		return wl_mutter_apply(w->mutter, w->connector,
				       ARRAY_LENGTH(w->connector), mc);
#ifdef HAVE_KDE_OUTPUT
	if (w->kde)
		return wl_kde_output_apply(w->kde, w->d, w->connector,
					   ARRAY_LENGTH(w->connector), mc,
					   token);
#endif
	if (!w->no_config_logged)
		g_message("this compositor's outputs cannot be configured by "
			  "the agent; the layout is still reported");
	w->no_config_logged = true;
	return -ENOTSUP;
}

static void set_device_info(struct backend *b,
			    const struct vdp_graphics_device_info *info)
{
	struct wl_backend *w = wb(b);

	device_info_connectors(info, w->connector, ARRAY_LENGTH(w->connector));
	w->ev->layout_changed(w->user);
}

static void clip_set_client(struct backend *b, bool crlf, int32_t max)
{
	wl_clip_set_client(wb(b)->clip, crlf, max);
}

static void clip_grab(struct backend *b, uint8_t sel, const uint32_t *types,
		      uint32_t count)
{
	wl_clip_client_grab(wb(b)->clip, sel, types, count);
}

static void clip_release(struct backend *b, uint8_t sel)
{
	wl_clip_client_release(wb(b)->clip, sel);
}

static void clip_request(struct backend *b, uint8_t sel, uint32_t type)
{
	wl_clip_client_request(wb(b)->clip, sel, type);
}

static void clip_data(struct backend *b, uint8_t sel, uint32_t type,
		      uint8_t *data, size_t size)
{
	wl_clip_client_data(wb(b)->clip, sel, type, data, size);
}

static void clip_client_gone(struct backend *b)
{
	wl_clip_client_gone(wb(b)->clip);
}

static void clip_resend_grabs(struct backend *b)
{
	wl_clip_resend_grabs(wb(b)->clip);
}

/* The clipboard through Xwayland (see wl_backend_args). */
#define X11_CLIP(name, ...)                                                   \
	do {                                                                  \
		struct backend *x = wb(b)->x11_clip;                          \
		x->ops->name(x, __VA_ARGS__);                                 \
	} while (0)

static void xclip_set_client(struct backend *b, bool crlf, int32_t max)
{
	X11_CLIP(clip_set_client, crlf, max);
}

static void xclip_grab(struct backend *b, uint8_t sel, const uint32_t *types,
		       uint32_t count)
{
	X11_CLIP(clip_grab, sel, types, count);
}

static void xclip_release(struct backend *b, uint8_t sel)
{
	X11_CLIP(clip_release, sel);
}

static void xclip_request(struct backend *b, uint8_t sel, uint32_t type)
{
	X11_CLIP(clip_request, sel, type);
}

static void xclip_data(struct backend *b, uint8_t sel, uint32_t type,
		       uint8_t *data, size_t size)
{
	X11_CLIP(clip_data, sel, type, data, size);
}

static void xclip_client_gone(struct backend *b)
{
	struct backend *x = wb(b)->x11_clip;
	x->ops->clip_client_gone(x);
}

static void xclip_resend_grabs(struct backend *b)
{
	struct backend *x = wb(b)->x11_clip;
	x->ops->clip_resend_grabs(x);
}

static void wl_backend_free(struct backend *b)
{
	struct wl_backend *w = wb(b);

	if (!w)
		return;
	if (w->x11_clip)
		w->x11_clip->ops->free(w->x11_clip);
	if (w->source)
		g_source_remove(w->source);
	wl_clip_free(w->clip);
	wl_sway_free(w->sway);
	wl_wlr_output_free(w->wlr);
	wl_mutter_free(w->mutter);
#ifdef HAVE_KDE_OUTPUT
	wl_kde_output_free(w->kde);
#endif
	wl_outputs_free(w->outputs);
	if (w->registry)
		wl_registry_destroy(w->registry);
	for (size_t i = 0; i < ARRAY_LENGTH(w->connector); i++)
		g_free(w->connector[i]);
	if (w->d)
		wl_display_flush(w->d);
	if (w->lock_fd >= 0)
		close(w->lock_fd);
	g_free(w);
}

static const struct backend_ops wl_ops = {
	.name = "wayland",
	.free = wl_backend_free,
	.get_layout = get_layout,
	.apply_monitors = apply_monitors,
	.set_device_info = set_device_info,
	.clip_set_client = clip_set_client,
	.clip_grab = clip_grab,
	.clip_release = clip_release,
	.clip_request = clip_request,
	.clip_data = clip_data,
	.clip_client_gone = clip_client_gone,
	.clip_resend_grabs = clip_resend_grabs,
};

/* The same with Xwayland's selections. */
static const struct backend_ops wl_ops_x11_clip = {
	.name = "wayland",
	.free = wl_backend_free,
	.get_layout = get_layout,
	.apply_monitors = apply_monitors,
	.set_device_info = set_device_info,
	.clip_set_client = xclip_set_client,
	.clip_grab = xclip_grab,
	.clip_release = xclip_release,
	.clip_request = xclip_request,
	.clip_data = xclip_data,
	.clip_client_gone = xclip_client_gone,
	.clip_resend_grabs = xclip_resend_grabs,
};

/* The same without a clipboard. */
static const struct backend_ops wl_ops_no_clip = {
	.name = "wayland",
	.free = wl_backend_free,
	.get_layout = get_layout,
	.apply_monitors = apply_monitors,
	.set_device_info = set_device_info,
};

/* One agent per Wayland display: autostart and the user unit may both
 * start us.  The lock goes away with its holder.  Returns the fd, -1
 * when there is nowhere to put it (no lock then), -EBUSY when taken. */
static int lock_display(void)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	const char *disp = getenv("WAYLAND_DISPLAY");

	if (!dir || !*dir)
		return -1;
	if (!disp || !*disp)
		disp = "wayland-0";
	g_autofree char *base = g_path_get_basename(disp);
	g_autofree char *path = g_strdup_printf("%s/vdagent-%s.lock", dir,
						 base);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_message("cannot open %s: %s", path, g_strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -EBUSY;
	}
	return fd;
}

/* No data-control: Xwayland's selections, which the compositor syncs
 * with its Wayland clients (mutter does for unfocused X clients too). */
static void open_x11_clipboard(struct wl_backend *w, void *dpy,
			       bool *already_running)
{
	if (!dpy) {
		g_message("the compositor offers no data-control protocol and "
			  "there is no Xwayland display: no clipboard");
		return;
	}
	w->x11_clip = x11_backend_open(dpy, w->ev, w->user, already_running);
	if (!w->x11_clip)
		return;
	g_message("the compositor offers no data-control protocol: "
		  "clipboard through Xwayland's selections (X11 backend)");
	w->base.ops = &wl_ops_x11_clip;
}

struct backend *wl_backend_open(void *arg, const struct backend_events *ev,
				void *user, bool *already_running)
{
	const struct wl_backend_args *args = arg;
	struct wl_backend *w = g_new0(struct wl_backend, 1);

	w->base.ops = &wl_ops;
	w->d = args->display;
	w->gone = args->gone;
	w->gone_user = args->gone_user;
	w->ev = ev;
	w->user = user;
	*already_running = false;
	w->lock_fd = lock_display();
	if (w->lock_fd == -EBUSY) {
		*already_running = true;
		w->lock_fd = -1;
		wl_backend_free(&w->base);
		return NULL;
	}
	w->outputs = wl_outputs_new(outputs_changed, w);
	w->clip = wl_clip_new(w->d, ev, user);
	w->wlr = wl_wlr_output_new(w->d, ev, user);
#ifdef HAVE_KDE_OUTPUT
	w->kde = wl_kde_output_new(ev, user);
#endif
	w->registry = wl_display_get_registry(w->d);
	wl_registry_add_listener(w->registry, &registry_listener, w);
	/* the globals, then what the bound objects say about themselves */
	if (wl_display_roundtrip(w->d) < 0 || wl_display_roundtrip(w->d) < 0) {
		g_warning("the Wayland compositor does not answer: %s",
			  g_strerror(wl_display_get_error(w->d)));
		wl_backend_free(&w->base);
		return NULL;
	}
	const char *dc = wl_clip_start(w->clip, w->registry);
	if (dc) {
		g_message("clipboard through %s", dc);
	} else {
		wl_clip_free(w->clip);
		w->clip = NULL;
		w->base.ops = &wl_ops_no_clip;
		open_x11_clipboard(w, args->open_x11 ?
					      args->open_x11(args->open_x11_user) :
					      NULL,
				   already_running);
		if (*already_running) {
			wl_backend_free(&w->base);
			return NULL;
		}
	}
	/* sway's IPC first: sway offers wlr-output-management too, but
	 * its IPC runs each output's commands and says which it refused */
	w->sway = wl_sway_new(getenv("SWAYSOCK"));
	if (w->sway) {
		g_message("outputs configured through sway's IPC");
	} else if (wl_wlr_output_active(w->wlr)) {
		g_message("outputs configured through wlr-output-management");
	} else if ((w->mutter = wl_mutter_new())) {
		g_message("outputs configured through mutter's DisplayConfig");
	}
	bool wlr = !w->sway && wl_wlr_output_active(w->wlr);
	if (!wlr) {
		wl_wlr_output_free(w->wlr);
		w->wlr = NULL;
	}
#ifdef HAVE_KDE_OUTPUT
	if (!w->sway && !wlr && !w->mutter && wl_kde_output_active(w->kde)) {
		g_message("outputs configured through KWin's output "
			  "management");
	} else {
		wl_kde_output_free(w->kde);
		w->kde = NULL;
	}
#endif
	w->source = wl_source_add(w->d, on_connection_error, w);
	return &w->base;
}
