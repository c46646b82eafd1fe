/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#include "agent.h"
#include "backend.h"
#include "file-xfer.h"
#include "ipc-client.h"
#include "vdp-text.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* The backend can do op (see backend.h). */
#define CAN(a, op) ((a)->be && (a)->be->ops->op)

struct agent {
	struct backend *be;
	struct ipc_client *ipc;
	struct file_xfer *xfer;
	bool open_dir;

	struct vdp_ipc_screen_layout sent_layout;
	bool layout_sent;
	guint layout_idle;

	/* MONITORS_RESULT (vdp-ipc.h): a backend's token is the connection's
	 * generation << 32 | the config's number on that connection, so an
	 * answer that comes after a reconnection is recognised and dropped. */
	bool daemon_takes_results; /* its HELLO flag */
	uint32_t conn_gen;         /* connections so far */
	uint32_t monitors_seen;    /* MONITORS_CONFIG numbered on this one */
};

/* ---- to the daemon ----------------------------------------------------- */

static void send_whole(struct agent *a, uint32_t type, const void *p,
		       size_t len)
{
	struct vdp_iov piece = { p, len };
	int r = ipc_client_send(a->ipc, type, &piece, 1);
	if (r < 0 && r != -ENOTCONN)
		g_warning("cannot send %s: %s", vdp_ipc_type_name(type),
			  g_strerror(-r));
}

static void send_layout(struct agent *a, bool force)
{
	struct vdp_ipc_screen_layout l;
	uint8_t buf[VDP_IPC_SCREEN_LAYOUT_MAX];

	if (!CAN(a, get_layout) || !ipc_client_is_connected(a->ipc))
		return;
	if (a->be->ops->get_layout(a->be, &l) < 0)
		return;
	if (!force && a->layout_sent && memcmp(&l, &a->sent_layout, sizeof(l)) == 0)
		return;
	int n = vdp_ipc_build_screen_layout(buf, sizeof(buf), &l);
	if (n < 0) {
		g_warning("screen layout %ux%u cannot be reported", l.width,
			  l.height);
		return;
	}
	g_debug("screen layout %ux%u, %u displays", l.width, l.height, l.count);
	send_whole(a, VDP_IPC_SCREEN_LAYOUT, buf, (size_t)n);
	a->sent_layout = l;
	a->layout_sent = true;
}

static gboolean on_layout_idle(gpointer user)
{
	struct agent *a = user;

	a->layout_idle = 0;
	if (CAN(a, layout_settle))
		a->be->ops->layout_settle(a->be);
	send_layout(a, false);
	return G_SOURCE_REMOVE;
}

static void layout_changed(void *user)
{
	struct agent *a = user;

	if (!a->layout_idle)
		a->layout_idle = g_idle_add(on_layout_idle, a);
}

static void send_monitors_result(struct agent *a, uint64_t token, int err)
{
	uint8_t buf[VDP_IPC_MONITORS_RESULT_SIZE];
	uint32_t serial = (uint32_t)token;

	if (!a->daemon_takes_results || (uint32_t)(token >> 32) != a->conn_gen)
		return;
	int n = vdp_ipc_build_monitors_result(
		buf, sizeof(buf), serial,
		err < 0 ? VDP_REPLY_ERROR : VDP_REPLY_SUCCESS);
	if (n < 0)
		return;
	g_debug("monitors config %u: %s", serial,
		err < 0 ? g_strerror(-err) : "applied");
	send_whole(a, VDP_IPC_MONITORS_RESULT, buf, (size_t)n);
}

static void monitors_result(void *user, uint64_t token, int result)
{
	send_monitors_result(user, token, result);
}

static void sel_grab(void *user, uint8_t sel, const uint32_t *types,
		     uint32_t count)
{
	struct agent *a = user;
	uint8_t buf[VDP_IPC_CLIPBOARD_GRAB_MAX];
	int n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), sel, types,
					     count);
	if (n >= 0)
		send_whole(a, VDP_IPC_CLIPBOARD_GRAB, buf, (size_t)n);
}

static void sel_release(void *user, uint8_t sel)
{
	struct agent *a = user;
	uint8_t buf[VDP_IPC_CLIPBOARD_RELEASE_SIZE];
	int n = vdp_ipc_build_clipboard_release(buf, sizeof(buf), sel);
	if (n >= 0)
		send_whole(a, VDP_IPC_CLIPBOARD_RELEASE, buf, (size_t)n);
}

static void sel_request(void *user, uint8_t sel, uint32_t type)
{
	struct agent *a = user;
	uint8_t buf[VDP_IPC_CLIPBOARD_REQUEST_SIZE];
	int n = vdp_ipc_build_clipboard_request(buf, sizeof(buf), sel, type);
	if (n >= 0)
		send_whole(a, VDP_IPC_CLIPBOARD_REQUEST, buf, (size_t)n);
}

static void sel_data(void *user, uint8_t sel, uint32_t type,
		     const uint8_t *data, size_t size)
{
	struct agent *a = user;
	uint8_t head[VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE];
	int n = vdp_ipc_build_clipboard_data_head(head, sizeof(head), sel, type);
	if (n < 0)
		return;
	struct vdp_iov pieces[2] = { { head, (size_t)n }, { data, size } };
	int r = ipc_client_send(a->ipc, VDP_IPC_CLIPBOARD_DATA, pieces, 2);
	if (r < 0 && r != -ENOTCONN)
		g_warning("cannot send %zu bytes of clipboard data: %s", size,
			  g_strerror(-r));
}

static const struct backend_events backend_events = {
	.layout_changed = layout_changed,
	.grab = sel_grab,
	.release = sel_release,
	.request = sel_request,
	.data = sel_data,
	.monitors_result = monitors_result,
};

static void xfer_status(void *user, uint32_t id, uint32_t result,
			const void *detail, size_t detail_len)
{
	struct agent *a = user;
	uint8_t buf[VDP_IPC_XFER_STATUS_MAX];
	int n = vdp_ipc_build_xfer_status(buf, sizeof(buf), id, result, detail,
					  detail_len);
	if (n >= 0)
		send_whole(a, VDP_IPC_FILE_XFER_STATUS, buf, (size_t)n);
}

static void xfer_done(void *user, const char *path)
{
	struct agent *a = user;

	if (!a->open_dir)
		return;
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GFile) f = g_file_new_for_path(dir);
	g_autofree char *uri = g_file_get_uri(f);
	g_autoptr(GError) err = NULL;
	/* launches the desktop's handler directly: no shell involved */
	if (!g_app_info_launch_default_for_uri(uri, NULL, &err))
		g_message("cannot open %s: %s", dir, err->message);
}

static const struct file_xfer_ops xfer_ops = {
	.status = xfer_status,
	.done = xfer_done,
};

/* ---- from the daemon --------------------------------------------------- */

static void on_connected(void *user)
{
	struct agent *a = user;

	a->layout_sent = false;
	a->daemon_takes_results = false; /* until its HELLO says so */
	a->conn_gen++;
	a->monitors_seen = 0;
	send_layout(a, true);
	if (CAN(a, clip_resend_grabs))
		a->be->ops->clip_resend_grabs(a->be);
}

static void on_disconnected(void *user)
{
	struct agent *a = user;

	if (CAN(a, clip_client_gone))
		a->be->ops->clip_client_gone(a->be);
	file_xfer_cancel_all(a->xfer);
}

static void handle_monitors_config(struct agent *a,
				   const struct vdp_ipc_message *m)
{
	struct vdp_monitors_config mc;
	/* every MONITORS_CONFIG counts, as on the daemon's side */
	if (++a->monitors_seen == 0)
		a->monitors_seen = 1;
	uint64_t token = (uint64_t)a->conn_gen << 32 | a->monitors_seen;
	int r = vdp_parse_monitors_config(m->data, m->size, &mc);
	if (r < 0) {
		g_message("bad MONITORS_CONFIG dropped: %s", g_strerror(-r));
		send_monitors_result(a, token, r);
		return;
	}
	if (!CAN(a, apply_monitors)) {
		send_monitors_result(a, token, -ENOTSUP);
		return;
	}
	r = a->be->ops->apply_monitors(a->be, &mc, token);
	if (r < 0 && r != -ENOTSUP) /* ENOTSUP: the backend said so once */
		g_message("monitors config not fully applied: %s",
			  g_strerror(-r));
	if (r != BACKEND_MONITORS_PENDING)
		send_monitors_result(a, token, r);
	/* the change events report the layout; this covers a no-op config */
	if (!a->layout_idle)
		a->layout_idle = g_idle_add(on_layout_idle, a);
}

static void handle_client_caps(struct agent *a, const struct vdp_ipc_message *m)
{
	struct vdp_ipc_client_caps cc;
	if (vdp_ipc_parse_client_caps(m->data, m->size, &cc) < 0) {
		g_message("bad CLIENT_CAPS dropped");
		return;
	}
	/* X11 text uses LF */
	bool crlf = vdp_lineend_convert_needed(
		false, vdp_caps_has(&cc.caps, VDP_CAP_GUEST_LINEEND_LF),
		vdp_caps_has(&cc.caps, VDP_CAP_GUEST_LINEEND_CRLF));
	g_debug("client caps: max clipboard %d, %s line ends",
		cc.max_clipboard, crlf ? "CRLF" : "LF");
	if (CAN(a, clip_set_client))
		a->be->ops->clip_set_client(a->be, crlf, cc.max_clipboard);
}

static void handle_clipboard(struct agent *a, const struct vdp_ipc_message *m)
{
	if (!CAN(a, clip_grab))
		return;
	switch (m->type) {
	case VDP_IPC_CLIPBOARD_GRAB: {
		struct vdp_ipc_clipboard_grab g;
		if (vdp_ipc_parse_clipboard_grab(m->data, m->size, &g) < 0)
			break;
		a->be->ops->clip_grab(a->be, g.selection, g.types, g.count);
		return;
	}
	case VDP_IPC_CLIPBOARD_REQUEST: {
		struct vdp_ipc_clipboard_request q;
		if (vdp_ipc_parse_clipboard_request(m->data, m->size, &q) < 0)
			break;
		a->be->ops->clip_request(a->be, q.selection, q.type);
		return;
	}
	case VDP_IPC_CLIPBOARD_DATA: {
		struct vdp_ipc_clipboard_data d;
		if (vdp_ipc_parse_clipboard_data(m->data, m->size, &d) < 0)
			break;
		size_t off = (size_t)(d.data - m->data);
		uint8_t *all = ipc_client_steal_data(a->ipc);
		uint8_t *copy = NULL;
		if (d.size) {
			/* move the data to the front of the stolen buffer */
			memmove(all, all + off, d.size);
			copy = all;
		} else {
			free(all);
		}
		a->be->ops->clip_data(a->be, d.selection, d.type, copy,
				      d.size);
		return;
	}
	case VDP_IPC_CLIPBOARD_RELEASE: {
		struct vdp_ipc_clipboard_release rl;
		if (vdp_ipc_parse_clipboard_release(m->data, m->size, &rl) < 0)
			break;
		a->be->ops->clip_release(a->be, rl.selection);
		return;
	}
	}
	g_message("bad %s dropped", vdp_ipc_type_name(m->type));
}

static void handle_xfer(struct agent *a, const struct vdp_ipc_message *m)
{
	switch (m->type) {
	case VDP_IPC_FILE_XFER_START: {
		struct vdp_ipc_xfer_start s;
		if (vdp_ipc_parse_xfer_start(m->data, m->size, &s) < 0)
			break;
		file_xfer_start(a->xfer, s.id, s.text, s.text_len);
		return;
	}
	case VDP_IPC_FILE_XFER_DATA: {
		struct vdp_ipc_xfer_data d;
		if (vdp_ipc_parse_xfer_data(m->data, m->size, &d) < 0)
			break;
		file_xfer_data(a->xfer, d.id, d.data, d.size);
		return;
	}
	case VDP_IPC_FILE_XFER_STATUS: {
		struct vdp_ipc_xfer_status st;
		if (vdp_ipc_parse_xfer_status(m->data, m->size, &st) < 0)
			break;
		file_xfer_status(a->xfer, st.id, st.result);
		return;
	}
	}
	g_message("bad %s dropped", vdp_ipc_type_name(m->type));
}

static void on_message(void *user, const struct vdp_ipc_message *m)
{
	struct agent *a = user;

	g_debug("from daemon: %s (%u bytes)", vdp_ipc_type_name(m->type),
		m->size);
	switch (m->type) {
	case VDP_IPC_HELLO: {
		struct vdp_ipc_hello h;
		if (vdp_ipc_parse_hello(m->data, m->size, &h) < 0 ||
		    h.version != VDP_IPC_VERSION) {
			g_warning("daemon HELLO with an unknown version");
			break;
		}
		a->daemon_takes_results =
			h.flags & VDP_IPC_HELLO_MONITORS_RESULT;
		g_debug("daemon: %.*s%s", (int)h.text_len, h.text,
			a->daemon_takes_results ? " (takes monitors results)"
						: "");
		break;
	}
	case VDP_IPC_MONITORS_CONFIG:
		handle_monitors_config(a, m);
		break;
	case VDP_IPC_GRAPHICS_DEVICE_INFO: {
		struct vdp_graphics_device_info *gi = g_new(
			struct vdp_graphics_device_info, 1);
		if (vdp_parse_graphics_device_info(m->data, m->size, gi) == 0) {
			if (CAN(a, set_device_info))
				a->be->ops->set_device_info(a->be, gi);
		} else {
			g_message("bad GRAPHICS_DEVICE_INFO dropped");
		}
		g_free(gi);
		break;
	}
	case VDP_IPC_AUDIO_VOLUME_SYNC:
		break; /* no mixer control in this agent */
	case VDP_IPC_CLIENT_CAPS:
		handle_client_caps(a, m);
		break;
	case VDP_IPC_CLIPBOARD_GRAB:
	case VDP_IPC_CLIPBOARD_REQUEST:
	case VDP_IPC_CLIPBOARD_DATA:
	case VDP_IPC_CLIPBOARD_RELEASE:
		handle_clipboard(a, m);
		break;
	case VDP_IPC_FILE_XFER_START:
	case VDP_IPC_FILE_XFER_DATA:
	case VDP_IPC_FILE_XFER_STATUS:
		handle_xfer(a, m);
		break;
	case VDP_IPC_CLIENT_DISCONNECTED:
		g_message("the client disconnected");
		if (CAN(a, clip_client_gone))
			a->be->ops->clip_client_gone(a->be);
		file_xfer_cancel_all(a->xfer);
		break;
	default:
		g_debug("%s ignored", vdp_ipc_type_name(m->type));
	}
}

static const struct ipc_client_ops ipc_ops = {
	.connected = on_connected,
	.message = on_message,
	.disconnected = on_disconnected,
};

/* ---- setup ------------------------------------------------------------- */

static char *xfer_directory(const struct vdagent_options *o)
{
	const char *d = NULL;

	switch (o->xfer_dir_kind) {
	case XFER_DIR_PATH:
		return g_strdup(o->xfer_dir);
	case XFER_DIR_XDG_DESKTOP:
		d = g_get_user_special_dir(G_USER_DIRECTORY_DESKTOP);
		break;
	case XFER_DIR_XDG_DOWNLOAD:
		d = g_get_user_special_dir(G_USER_DIRECTORY_DOWNLOAD);
		break;
	}
	return g_strdup(d ? d : g_get_home_dir());
}

struct agent *agent_new(backend_open_func open_backend, void *backend_arg,
			const struct vdagent_options *opts,
			bool *already_running)
{
	struct agent *a = g_new0(struct agent, 1);

	a->be = open_backend(backend_arg, &backend_events, a, already_running);
	if (!a->be) {
		agent_free(a);
		return NULL;
	}
	g_message("session backend: %s", a->be->ops->name);
	a->open_dir = opts->open_dir == 1;

	g_autofree char *dir = xfer_directory(opts);
	a->xfer = file_xfer_new(dir, &xfer_ops, a);
	g_message("files received go to %s", dir);

	a->ipc = ipc_client_new(opts->socket_path, VDP_IPC_HELLO_MONITORS_RESULT,
				&ipc_ops, a);
	if (!a->xfer || !a->ipc) {
		agent_free(a);
		return NULL;
	}
	return a;
}

void agent_free(struct agent *a)
{
	if (!a)
		return;
	if (a->layout_idle)
		g_source_remove(a->layout_idle);
	ipc_client_free(a->ipc);
	file_xfer_free(a->xfer);
	if (a->be)
		a->be->ops->free(a->be);
	g_free(a);
}
