/* SPDX-License-Identifier: MIT */
/*
 * Client mouse mode: VD_AGENT_MOUSE_STATE messages become absolute pointer
 * events on one device that covers the whole desktop of the active agent.
 *
 * Build: vdagentd/local.mk adds to vdagentd_SOURCES
 *	vdagentd/mouse.h vdagentd/mouse.c
 *	vdagentd/uinput.h vdagentd/uinput.c vdagentd/uinput-backend.h
 *	vdagentd/uinput-real.c vdagentd/uinput-fake.c
 *	vdagentd/mouse-queue.h vdagentd/mouse-queue.c
 * (libc + kernel headers + protocol/ headers: no glib, no libvdp needed.)
 * main() must ignore SIGPIPE: a FIFO whose reader left raises it on write.
 *
 * Use from the daemon:
 *	m = vda_mouse_new(opt_uinput_path, opt_fake_uinput);   no I/O yet
 *	on the active agent's SCREEN_LAYOUT:  vda_mouse_set_layout(m, &layout)
 *	when the active agent goes away:      vda_mouse_set_layout(m, NULL)
 *	on each validated MOUSE_STATE:        vda_mouse_handle(m, &state)
 *	when the fd given to the wait function is writable: vda_mouse_flush(m)
 *	vda_mouse_free(m) at exit.
 *
 * The device (uinput) or the FIFO (fake mode) is opened lazily: the real
 * device is (re)created when the desktop size changes, the FIFO on the first
 * message that has to be written.  A write error (FIFO reader gone, device
 * vanished) closes it; the next message reopens it.  Nothing here blocks:
 * when the device takes nothing (a FIFO whose reader is slow or stopped),
 * the events are kept in order (mouse-queue.h: motion merged, every button
 * and wheel change kept, bounded) and written when it is writable again.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-ipc.h"      /* struct vdp_ipc_screen_layout (SCREEN_LAYOUT) */
#include "vdp-validate.h" /* struct vdp_mouse_state (MOUSE_STATE) */

struct vda_mouse;

/* path: -u (default /dev/uinput); fake: -f.  NULL only when out of memory. */
struct vda_mouse *vda_mouse_new(const char *path, bool fake);
void vda_mouse_free(struct vda_mouse *m);

/*
 * Where the module's log lines go; priority is a syslog LOG_* level.  The
 * default sends LOG_INFO and more severe to syslog() and drops LOG_DEBUG.
 * The daemon passes a function that forwards to g_logv(), e.g.
 *	LOG_ERR/LOG_WARNING -> G_LOG_LEVEL_WARNING, LOG_NOTICE/LOG_INFO ->
 *	G_LOG_LEVEL_INFO (or MESSAGE), LOG_DEBUG -> G_LOG_LEVEL_DEBUG.
 * (mark it __attribute__((format(printf, 3, 0)))).  Nothing is logged per
 * event on the normal path.
 */
typedef void (*vda_mouse_log_func)(void *user, int priority, const char *fmt,
				   va_list ap);
void vda_mouse_set_log(struct vda_mouse *m, vda_mouse_log_func fn, void *user);

/*
 * How the module asks to be called back: fd >= 0 means "call
 * vda_mouse_flush() when fd is writable" (replacing any earlier fd), -1
 * means "stop watching".  Called from vda_mouse_handle(),
 * vda_mouse_set_layout(), vda_mouse_flush() and vda_mouse_free().
 */
typedef void (*vda_mouse_wait_func)(void *user, int fd);
void vda_mouse_set_wait(struct vda_mouse *m, vda_mouse_wait_func fn,
			void *user);

/*
 * Write the events kept for the device.  Returns 0 (also when some are
 * still kept: the wait function has been given the fd), or the negative
 * errno of the device (kept events dropped; a fresh device gets the full
 * state with the next message).
 */
int vda_mouse_flush(struct vda_mouse *m);

/*
 * Replace the layout with the active agent's parsed SCREEN_LAYOUT (NULL: no
 * agent, mouse messages are dropped).  Returns -EINVAL for an invalid layout
 * (the old one stays), or the negative errno of
 * creating the real device (layout kept, creation retried on the next
 * message); 0 on success.
 */
int vda_mouse_set_layout(struct vda_mouse *m,
			 const struct vdp_ipc_screen_layout *layout);

/*
 * Emit the events for what changed since the last state, then SYN_REPORT,
 * in one write() (none while earlier events are still kept: then they
 * join the queue).  Returns 0 (also when nothing changed, or the events
 * were kept), -ENOENT when there is no layout (dropped) or display_id is
 * unknown (the newest such message is kept and applied by the next
 * vda_mouse_set_layout() that has its display), or the negative errno of
 * the device (dropped; device reopened next time).
 */
int vda_mouse_handle(struct vda_mouse *m, const struct vdp_mouse_state *s);
