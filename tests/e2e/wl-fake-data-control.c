/* SPDX-License-Identifier: MIT */
/*
 * A Wayland compositor for tests, without any rendering: one wl_seat and
 * the data-control protocols of vdagent/wl-data-control-protocol.h,
 * ext_data_control_manager_v1 (no compositor in Debian 12 offers it),
 * zwlr_data_control_manager_v1, or both.
 *
 *   wl-fake-data-control [--managers ext|wlr|both]   (default: ext)
 *
 * It keeps a CLIPBOARD and a PRIMARY selection.  A client's selection
 * goes to every data-control device as a new offer with its types; a
 * receive on an offer becomes a send to the selection's source.  The
 * compositor is also a guest application of its own, driven from stdin.
 *
 * Needs XDG_RUNTIME_DIR.  Writes to stdout, one line each:
 *   ready SOCKET                  listening on SOCKET
 *   manager FAMILY                a client bound a manager (ext or wlr)
 *   device FAMILY                 a client got a data-control device
 *   selection SEL client MIME...  a client set SEL (clipboard or primary)
 *   selection SEL test MIME...    the test's "set" took effect
 *   selection SEL none            SEL cleared: by a client, by its source's
 *                                 destruction, or by "clear"
 *   served SEL MIME BYTES         the test's data written to a reader
 *                                 (BYTES: all, or as many as it took)
 *   got SEL MIME BYTES            a "get" ended: BYTES in its file
 *   error TEXT                    a command that could not be done
 * Commands on stdin, one a line (SEL: clipboard or primary):
 *   set SEL MIME... FILE  own SEL, offering the MIMEs, serving FILE's
 *                         content (read now) for each of them
 *   get SEL MIME FILE     receive SEL's data as MIME into FILE
 *   clear SEL             no selection any more
 */
#define _GNU_SOURCE /* pipe2 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server.h>

#include "wl-data-control-protocol.h"
#include "wl-fake-run.h"

enum { SEL_CLIPBOARD, SEL_PRIMARY, NSEL };
static const char *const sel_names[NSEL] = { "clipboard", "primary" };

#define MIMES_MAX 32
#define CHUNK (64 * 1024)

/* The test's data: shared by the transfers that serve it. */
struct blob {
	unsigned refs;
	size_t len;
	char data[];
};

struct fsource {
	struct wl_resource *res; /* NULL: the test's own */
	char *mimes[MIMES_MAX];
	unsigned n;
	bool used; /* set as a selection once: no more offers */
	int sel;   /* the selection it is, or -1 */
	struct blob *data; /* the test's own */
};

/* An offer is good while its selection is the one it announced. */
struct foffer {
	int sel;
	uint32_t gen;
};

/* Data through a pipe: the test's data to a reader, or a "get". */
struct xfer {
	struct wl_list link;
	struct wl_event_source *ev;
	int fd;  /* the pipe */
	int out; /* get: the file; -1 when serving */
	struct blob *data;
	size_t done;
	int sel;
	char *mime;
};

static struct {
	struct wl_display *display;
	struct wl_list devices; /* data-control device resources */
	struct wl_list xfers;
	struct fsource *sel[NSEL];
	uint32_t gen[NSEL];
	bool quitting;
} fk;

static const char *family_name(const struct wl_dc_family *fam)
{
	return fam == &wl_dc_ext ? "ext" : "wlr";
}

static void destroy_request(struct wl_client *c, struct wl_resource *r)
{
	wl_resource_destroy(r);
}

static void blob_unref(struct blob *b)
{
	if (b && --b->refs == 0)
		free(b);
}

/* ---- transfers ---------------------------------------------------------- */

static void xfer_end(struct xfer *x, bool ok)
{
	if (fk.quitting) {
		/* nobody to tell */
	} else if (x->out >= 0) {
		if (ok)
			printf("got %s %s %zu\n", sel_names[x->sel], x->mime,
			       x->done);
		else
			printf("error get %s %s: %s\n", sel_names[x->sel],
			       x->mime, strerror(errno));
	} else {
		printf("served %s %s %zu\n", sel_names[x->sel], x->mime,
		       x->done);
	}
	if (x->out >= 0)
		close(x->out);
	if (x->ev)
		wl_event_source_remove(x->ev);
	close(x->fd);
	blob_unref(x->data);
	free(x->mime);
	wl_list_remove(&x->link);
	free(x);
}

static int on_pipe(int fd, uint32_t mask, void *user)
{
	struct xfer *x = user;
	char buf[CHUNK];

	for (;;) {
		ssize_t n;
		if (x->out < 0) {
			size_t left = x->data->len - x->done;
			if (!left)
				break;
			n = write(fd, x->data->data + x->done,
				  left < CHUNK ? left : CHUNK);
		} else {
			n = read(fd, buf, sizeof(buf));
			if (n > 0 && write(x->out, buf, (size_t)n) != n) {
				xfer_end(x, false);
				return 0;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0 || (n == 0 && x->out >= 0)) {
			/* EOF of a get; a reader gone (EPIPE) of a send */
			xfer_end(x, n == 0 || x->out < 0);
			return 0;
		}
		x->done += (size_t)n;
	}
	xfer_end(x, true); /* all served */
	return 0;
}

static void xfer_start(int fd, int out, struct blob *data, int sel,
		       const char *mime)
{
	struct xfer *x = calloc(1, sizeof(*x));
	if (!x) {
		close(fd);
		if (out >= 0)
			close(out);
		printf("error out of memory\n");
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	x->fd = fd;
	x->out = out;
	x->data = data;
	if (data)
		data->refs++;
	x->sel = sel;
	x->mime = strdup(mime);
	x->ev = wl_event_loop_add_fd(wl_display_get_event_loop(fk.display), fd,
				     out < 0 ? WL_EVENT_WRITABLE :
					       WL_EVENT_READABLE,
				     on_pipe, x);
	wl_list_insert(&fk.xfers, &x->link);
	if (!x->ev)
		xfer_end(x, false);
}

/* ---- selections --------------------------------------------------------- */

static void source_free(struct fsource *s)
{
	for (unsigned i = 0; i < s->n; i++)
		free(s->mimes[i]);
	blob_unref(s->data);
	free(s);
}

static bool source_offers(const struct fsource *s, const char *mime)
{
	for (unsigned i = 0; i < s->n; i++)
		if (strcmp(s->mimes[i], mime) == 0)
			return true;
	return false;
}

/* Hand fd to SEL's source for mime: a client's gets a send; ours is
 * written from here. */
static void source_send(struct fsource *s, int sel, const char *mime, int fd)
{
	if (s->res) {
		wl_resource_post_event(s->res, WL_DC_SOURCE_SEND, mime, fd);
		close(fd); /* the event carries a copy */
	} else if (source_offers(s, mime)) {
		xfer_start(fd, -1, s->data, sel, mime);
	} else {
		close(fd);
	}
}

static void offer_receive(struct wl_client *c, struct wl_resource *r,
			  const char *mime, int32_t fd)
{
	struct foffer *o = wl_resource_get_user_data(r);
	struct fsource *s = fk.sel[o->sel];

	if (!s || o->gen != fk.gen[o->sel]) { /* an old offer */
		close(fd);
		return;
	}
	source_send(s, o->sel, mime, fd);
}

static const struct {
	void (*receive)(struct wl_client *, struct wl_resource *, const char *,
			int32_t);
	void (*destroy)(struct wl_client *, struct wl_resource *);
} offer_impl = {
	.receive = offer_receive,
	.destroy = destroy_request,
};

static void offer_gone(struct wl_resource *r)
{
	free(wl_resource_get_user_data(r));
}

/* SEL as it is now, to one device: a new offer (or none), then the
 * selection event.  PRIMARY only to devices of a version that has it. */
static void device_send(struct wl_resource *dev, int sel)
{
	const struct wl_dc_family *fam = wl_resource_get_user_data(dev);
	int version = wl_resource_get_version(dev);
	struct fsource *s = fk.sel[sel];
	struct wl_resource *offer = NULL;

	if (sel == SEL_PRIMARY && (uint32_t)version < fam->primary_version)
		return;
	if (s) {
		struct foffer *o = calloc(1, sizeof(*o));
		offer = o ? wl_resource_create(wl_resource_get_client(dev),
					       fam->offer, version, 0) :
			    NULL;
		if (!offer) {
			free(o);
			wl_client_post_no_memory(wl_resource_get_client(dev));
			return;
		}
		o->sel = sel;
		o->gen = fk.gen[sel];
		wl_resource_set_implementation(offer, &offer_impl, o,
					       offer_gone);
		wl_resource_post_event(dev, WL_DC_DEVICE_DATA_OFFER, offer);
		for (unsigned i = 0; i < s->n; i++)
			wl_resource_post_event(offer, WL_DC_OFFER_OFFER,
					       s->mimes[i]);
	}
	wl_resource_post_event(dev, sel == SEL_PRIMARY ?
					    WL_DC_DEVICE_PRIMARY_SELECTION :
					    WL_DC_DEVICE_SELECTION,
			       offer);
}

/* SEL is s now (NULL: none): the old source cancelled, every device told. */
static void selection_set(int sel, struct fsource *s)
{
	struct fsource *old = fk.sel[sel];
	struct wl_resource *dev;

	fk.sel[sel] = s;
	fk.gen[sel]++;
	if (s)
		s->sel = sel;
	if (old) {
		old->sel = -1;
		if (old->res)
			wl_resource_post_event(old->res,
					       WL_DC_SOURCE_CANCELLED);
		else
			source_free(old);
	}
	if (fk.quitting)
		return;
	printf("selection %s %s", sel_names[sel],
	       !s ? "none" : s->res ? "client" : "test");
	for (unsigned i = 0; s && i < s->n; i++)
		printf(" %s", s->mimes[i]);
	printf("\n");
	wl_resource_for_each(dev, &fk.devices)
		device_send(dev, sel);
}

/* ---- data-control objects ----------------------------------------------- */

static void source_offer(struct wl_client *c, struct wl_resource *r,
			 const char *mime)
{
	struct fsource *s = wl_resource_get_user_data(r);

	if (s->used) {
		wl_resource_post_error(r, WL_DC_SOURCE_ERROR_INVALID_OFFER,
				       "offer after set_selection");
		return;
	}
	if (s->n < MIMES_MAX && !source_offers(s, mime))
		s->mimes[s->n++] = strdup(mime);
}

static const struct {
	void (*offer)(struct wl_client *, struct wl_resource *, const char *);
	void (*destroy)(struct wl_client *, struct wl_resource *);
} source_impl = {
	.offer = source_offer,
	.destroy = destroy_request,
};

static void source_gone(struct wl_resource *r)
{
	struct fsource *s = wl_resource_get_user_data(r);
	int sel = s->sel;

	if (sel >= 0) { /* a selection's source went: no cancel to send */
		fk.sel[sel] = NULL;
		selection_set(sel, NULL);
	}
	source_free(s);
}

static void device_set(struct wl_resource *dev, struct wl_resource *src,
		       int sel)
{
	struct fsource *s = src ? wl_resource_get_user_data(src) : NULL;

	if (s && s->used) {
		wl_resource_post_error(dev, WL_DC_DEVICE_ERROR_USED_SOURCE,
				       "a source set twice");
		return;
	}
	if (s)
		s->used = true;
	selection_set(sel, s);
}

static void device_set_selection(struct wl_client *c, struct wl_resource *dev,
				 struct wl_resource *src)
{
	device_set(dev, src, SEL_CLIPBOARD);
}

static void device_set_primary(struct wl_client *c, struct wl_resource *dev,
			       struct wl_resource *src)
{
	device_set(dev, src, SEL_PRIMARY);
}

static const struct {
	void (*set_selection)(struct wl_client *, struct wl_resource *,
			      struct wl_resource *);
	void (*destroy)(struct wl_client *, struct wl_resource *);
	void (*set_primary_selection)(struct wl_client *, struct wl_resource *,
				      struct wl_resource *);
} device_impl = {
	.set_selection = device_set_selection,
	.destroy = destroy_request,
	.set_primary_selection = device_set_primary,
};

static void device_gone(struct wl_resource *dev)
{
	wl_list_remove(wl_resource_get_link(dev));
}

static void manager_create_source(struct wl_client *c, struct wl_resource *m,
				  uint32_t id)
{
	const struct wl_dc_family *fam = wl_resource_get_user_data(m);
	struct fsource *s = calloc(1, sizeof(*s));
	struct wl_resource *r =
		s ? wl_resource_create(c, fam->source,
				       wl_resource_get_version(m), id) :
		    NULL;
	if (!r) {
		free(s);
		wl_client_post_no_memory(c);
		return;
	}
	s->res = r;
	s->sel = -1;
	wl_resource_set_implementation(r, &source_impl, s, source_gone);
}

static void manager_get_device(struct wl_client *c, struct wl_resource *m,
			       uint32_t id, struct wl_resource *seat)
{
	const struct wl_dc_family *fam = wl_resource_get_user_data(m);
	struct wl_resource *dev = wl_resource_create(
		c, fam->device, wl_resource_get_version(m), id);
	if (!dev) {
		wl_client_post_no_memory(c);
		return;
	}
	/* one seat: the argument needs no look */
	wl_resource_set_implementation(dev, &device_impl, (void *)fam,
				       device_gone);
	wl_list_insert(&fk.devices, wl_resource_get_link(dev));
	printf("device %s\n", family_name(fam));
	for (int sel = 0; sel < NSEL; sel++)
		device_send(dev, sel); /* the selections as they are */
}

static const struct {
	void (*create_data_source)(struct wl_client *, struct wl_resource *,
				   uint32_t);
	void (*get_data_device)(struct wl_client *, struct wl_resource *,
				uint32_t, struct wl_resource *);
	void (*destroy)(struct wl_client *, struct wl_resource *);
} manager_impl = {
	.create_data_source = manager_create_source,
	.get_data_device = manager_get_device,
	.destroy = destroy_request,
};

static void manager_bind(struct wl_client *c, void *data, uint32_t version,
			 uint32_t id)
{
	const struct wl_dc_family *fam = data;
	struct wl_resource *m =
		wl_resource_create(c, fam->manager, (int)version, id);
	if (!m) {
		wl_client_post_no_memory(c);
		return;
	}
	wl_resource_set_implementation(m, &manager_impl, data, NULL);
	printf("manager %s\n", family_name(fam));
}

/* ---- the seat ----------------------------------------------------------- */

static void seat_get_device(struct wl_client *c, struct wl_resource *seat,
			    uint32_t id)
{
	wl_resource_post_error(seat, WL_SEAT_ERROR_MISSING_CAPABILITY,
			       "this seat has no input devices");
}

static const struct wl_seat_interface seat_impl = {
	.get_pointer = seat_get_device,
	.get_keyboard = seat_get_device,
	.get_touch = seat_get_device,
	.release = destroy_request,
};

static void seat_bind(struct wl_client *c, void *data, uint32_t version,
		      uint32_t id)
{
	struct wl_resource *r =
		wl_resource_create(c, &wl_seat_interface, (int)version, id);
	if (!r) {
		wl_client_post_no_memory(c);
		return;
	}
	wl_resource_set_implementation(r, &seat_impl, NULL, NULL);
	wl_seat_send_capabilities(r, 0);
	if (version >= WL_SEAT_NAME_SINCE_VERSION)
		wl_seat_send_name(r, "seat0");
}

/* ---- commands ----------------------------------------------------------- */

static struct blob *blob_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct blob *b = NULL;
	long len;

	if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc(sizeof(*b) + (size_t)len))) {
		b->refs = 1;
		b->len = (size_t)len;
		if (fread(b->data, 1, b->len, f) != b->len) {
			free(b);
			b = NULL;
		}
	}
	if (f)
		fclose(f);
	return b;
}

static void cmd_set(int sel, char **args, int n)
{
	struct fsource *s = calloc(1, sizeof(*s));

	if (!s || n < 2 || n - 1 > MIMES_MAX ||
	    !(s->data = blob_read(args[n - 1]))) {
		printf("error set: MIME... FILE, a file we can read\n");
		free(s);
		return;
	}
	for (int i = 0; i < n - 1; i++)
		s->mimes[s->n++] = strdup(args[i]);
	s->used = true;
	selection_set(sel, s);
}

static void cmd_get(int sel, char **args, int n)
{
	struct fsource *s = fk.sel[sel];
	int p[2], out;

	if (n != 2) {
		printf("error get: MIME FILE\n");
		return;
	}
	if (!s) {
		printf("error get: no %s selection\n", sel_names[sel]);
		return;
	}
	out = open(args[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || pipe2(p, O_CLOEXEC) < 0) {
		printf("error get: %s\n", strerror(errno));
		if (out >= 0)
			close(out);
		return;
	}
	source_send(s, sel, args[0], p[1]);
	xfer_start(p[0], out, NULL, sel, args[0]);
}

static void command(char *line)
{
	char *args[MIMES_MAX + 4], *save = NULL;
	int n = 0, sel;

	for (char *t = strtok_r(line, " ", &save);
	     t && n < (int)(sizeof(args) / sizeof(args[0]));
	     t = strtok_r(NULL, " ", &save))
		args[n++] = t;
	if (n < 2) {
		printf("error a command and a selection\n");
		return;
	}
	for (sel = 0; sel < NSEL && strcmp(args[1], sel_names[sel]); sel++)
		;
	if (sel == NSEL)
		printf("error unknown selection %s\n", args[1]);
	else if (strcmp(args[0], "set") == 0)
		cmd_set(sel, args + 2, n - 2);
	else if (strcmp(args[0], "get") == 0)
		cmd_get(sel, args + 2, n - 2);
	else if (strcmp(args[0], "clear") == 0 && n == 2)
		selection_set(sel, NULL);
	else
		printf("error unknown command %s\n", args[0]);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "managers", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	bool ext = true, wlr = false;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool both = c == 'm' && strcmp(optarg, "both") == 0;
		ext = both || (c == 'm' && strcmp(optarg, "ext") == 0);
		wlr = both || (c == 'm' && strcmp(optarg, "wlr") == 0);
		if (!ext && !wlr) {
			fprintf(stderr, "--managers: ext, wlr or both\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN); /* a reader that goes: EPIPE */
	fk.display = wl_display_create();
	if (!fk.display)
		return 1;
	wl_list_init(&fk.devices);
	wl_list_init(&fk.xfers);
	wl_global_create(fk.display, &wl_seat_interface, 5, NULL, seat_bind);
	if (ext)
		wl_global_create(fk.display, wl_dc_ext.manager,
				 (int)wl_dc_ext.max_version, (void *)&wl_dc_ext,
				 manager_bind);
	if (wlr)
		wl_global_create(fk.display, wl_dc_wlr.manager,
				 (int)wl_dc_wlr.max_version, (void *)&wl_dc_wlr,
				 manager_bind);
	int rc = wl_fake_run(fk.display, command);
	fk.quitting = true;
	wl_display_destroy_clients(fk.display);
	struct xfer *x, *tmp;
	wl_list_for_each_safe(x, tmp, &fk.xfers, link)
		xfer_end(x, false);
	for (int sel = 0; sel < NSEL; sel++)
		selection_set(sel, NULL);
	wl_display_destroy(fk.display);
	return rc;
}
