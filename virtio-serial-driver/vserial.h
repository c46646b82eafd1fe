/* SPDX-License-Identifier: MIT OR GPL-2.0 */
/*
 * vdagent_vserial: the port layer (character devices, buffers, waiters)
 * and the interface a transport implements to feed it.
 *
 * The port layer knows nothing of virtio: a transport (vserial-virtio.c
 * today, a VDI-port PCI device later) creates ports, hands them filled
 * receive buffers and completed transmit buffers when asked, and is told
 * when the guest opens or closes a port.  Every transport operation is
 * called with the port's lock held and never after the port was unplugged,
 * so a transport may tear its queues down as soon as vser_port_unplug()
 * has returned.
 */
#ifndef VSERIAL_H
#define VSERIAL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/wait.h>

#define VSER_NAME "vdagent_vserial"

/*
 * One buffer: pieces of one or more whole pages (see vser_buf_alloc),
 * described by a scatterlist so a transport can hand it to a device as it
 * is.  Owned by exactly one of: the transport's
 * queue, a port's receive list, or the code that allocated it.
 */
struct vser_buf {
	struct list_head node;	/* in vser_port.rx while queued for reading */
	size_t size;		/* capacity in bytes (all pieces) */
	size_t len;		/* bytes of data (receive: filled by device) */
	size_t off;		/* bytes already read (receive only) */
	unsigned int nents;
	/* nents pieces; length is the capacity, or for a buffer filled by
	 * vser_buf_fill_user() the bytes in the piece */
	struct scatterlist sg[];
};

/* At least bytes of room, in pieces of up to 32 KiB where memory allows. */
struct vser_buf *vser_buf_alloc(size_t bytes, gfp_t gfp);
void vser_buf_free(struct vser_buf *buf);
/* Copy len bytes from user space into buf (pages in order); -EFAULT. */
int vser_buf_fill_user(struct vser_buf *buf, const char __user *from,
		       size_t len);

struct vser_port;

/*
 * What a transport does for the port layer.  All are called with
 * port->lock held and only while the port is plugged.
 */
struct vser_port_ops {
	/* Queue buf (buf->len bytes) for the host: 0, or -ENOSPC when the
	 * transport has no room now (the buffer stays the caller's). */
	int (*tx)(struct vser_port *port, struct vser_buf *buf);
	/* A completed transmit buffer, or NULL. */
	struct vser_buf *(*tx_get)(struct vser_port *port);
	/* A receive buffer the device filled (buf->len set), or NULL. */
	struct vser_buf *(*rx_get)(struct vser_port *port);
	/* A receive buffer the reader is done with: post it again (the
	 * device learns of it at the next rx_kick).  0, or an error and the
	 * buffer stays the caller's (who frees it). */
	int (*rx_put)(struct vser_port *port, struct vser_buf *buf);
	/* Tell the device about the buffers rx_put posted since last time. */
	void (*rx_kick)(struct vser_port *port);
	/* The guest side opened (true) or closed (false) the port. */
	void (*guest_open)(struct vser_port *port, bool open);
	/* The port is being unplugged: give back (free) every buffer the
	 * transport still holds for it.  Last call for this port. */
	void (*release_bufs)(struct vser_port *port);
};

/*
 * One port: lives from the transport's vser_port_new() until the last of
 * the transport's reference and the open file's reference is dropped.
 */
struct vser_port {
	struct kref ref;		/* transport table + open file */
	const struct vser_port_ops *ops;	/* set at creation, immutable */
	void *tpriv;			/* the transport's, immutable */
	unsigned int id;		/* port number on its device, immutable */
	unsigned int minor;		/* char device minor, immutable */
	struct device *dev;		/* /dev/vportNpM; dropped at unplug */

	/* One reader at a time (taken before lock): a read copies out of
	 * buffers it took off rx without holding lock. */
	struct mutex read_lock;
	/*
	 * Guards every field below, and serialises every call into ops.
	 * A mutex: file operations copy to and from user space under it.
	 */
	struct mutex lock;
	bool unplugged;			/* no transport behind the port any more */
	bool host_open;			/* the host side is connected */
	bool guest_open;		/* a file has the port open */
	char *name;			/* from the device, NULL until named */
	struct list_head rx;		/* filled vser_bufs, oldest first */
	size_t rx_bytes;		/* unread bytes in rx (not in a read) */
	/*
	 * The host side left while the port was open: after eof_at more
	 * bytes (what it had sent), one read returns 0, even if the host
	 * is back by then, so a reader never runs the old session's end
	 * into the new one's start.
	 */
	bool eof_pending;
	size_t eof_at;
	size_t tx_inflight;		/* bytes given to ops->tx, not completed */
	unsigned long tx_bufs;		/* buffers given to ops->tx, not completed */
	bool tx_full;			/* ops->tx had no room; until a completion */
	/* vser_port_notify_rx() said there are receive completions to
	 * collect; cleared by the collecting.  Read and set without lock. */
	bool rx_ready;

	wait_queue_head_t wait;		/* readers, writers and pollers */
	struct fasync_struct *fasync;	/* SIGIO subscribers */
};

/* ---- for transports ---------------------------------------------------- */

/*
 * A new port, visible as /dev/vport<devnum>p<id> under parent.  Returns the
 * port holding one reference (the transport's), or an ERR_PTR.
 */
struct vser_port *vser_port_new(struct device *parent, unsigned int devnum,
				unsigned int id, const struct vser_port_ops *ops,
				void *tpriv);
/* Post count fresh receive buffers through ops->rx_put: how many were. */
int vser_port_fill_rx(struct vser_port *port, unsigned int count);
/* The device named the port: sets the sysfs name, then a change uevent. */
void vser_port_set_name(struct vser_port *port, const char *name, size_t len);
/* The host side connected (true) or left (false). */
void vser_port_set_host_open(struct vser_port *port, bool open);
/* The transport has completed buffers for the port: collect them. */
void vser_port_poll_queues(struct vser_port *port);
/*
 * The transport has completed receive buffers for the port: wakes its
 * readers and pollers, who collect them (one wake-up on the way to the
 * reader instead of two).  For interrupt context; the caller keeps the
 * port alive.  false when nobody has the port open: then the transport
 * collects in process context (vser_port_poll_queues), which drops them.
 */
bool vser_port_notify_rx(struct vser_port *port);
/*
 * The port goes away: removes the device node, wakes every waiter with an
 * error, hands the transport's buffers back (ops->release_bufs), and never
 * calls ops again.  The caller still holds its reference.
 */
void vser_port_unplug(struct vser_port *port);
void vser_port_put(struct vser_port *port);

/* ---- module-wide set-up (vserial-port.c, vserial-virtio.c) ------------ */
int vser_ports_init(void);
void vser_ports_exit(void);
int vser_virtio_init(void);
void vser_virtio_exit(void);

/* Module parameters (vserial-main.c). */
extern unsigned int vser_tx_limit;	/* bytes in flight per port */
extern unsigned int vser_rx_bufs;	/* receive buffers posted per port */

#endif
