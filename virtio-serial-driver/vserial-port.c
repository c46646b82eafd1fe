// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * The port layer: one character device per port (/dev/vport<N>p<M>, class
 * "virtio-ports", a sysfs "name" attribute), its buffers and its waiters.
 *
 * User-visible semantics:
 *  - one opener at a time (EBUSY); opening tells the host (ops->guest_open)
 *  - read blocks until data, returns 0 (end of file) while the host side is
 *    closed and nothing is buffered, and once at the point where the host
 *    side left while the port was open (even if it is back by then), and
 *    -ENODEV once the port is unplugged
 *  - write blocks while the host side is closed or while tx_limit bytes are
 *    in flight (back-pressure from a slow host), -ENODEV once unplugged
 *  - poll: EPOLLIN with data, EPOLLOUT when a write would not block,
 *    EPOLLHUP while the host side is closed or the port is unplugged
 *  - SIGIO (fasync) on data, on room to write and on hang-up
 *
 * Locks: vser_minor_lock (the minor -> port map), then port->lock.  The
 * transport's own locks nest inside port->lock.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "vserial.h"

#define VSER_MINORS (1U << 12)
/* A write is queued in buffers of at most this many bytes. */
#define VSER_TX_CHUNK (32 * PAGE_SIZE)

/* Module-wide state, set up once in vser_ports_init(). */
static dev_t vser_devt;			/* first of VSER_MINORS numbers */
static struct cdev vser_cdev;		/* all minors, one file_operations */
static struct class *vser_class;	/* "virtio-ports" */
static DEFINE_MUTEX(vser_minor_lock);	/* guards vser_minors */
static DEFINE_IDR(vser_minors);		/* minor -> plugged vser_port */

/* ---- buffers --------------------------------------------------------------- */

/*
 * The largest piece a buffer is made of: order 3 (32 KiB) is the largest
 * the page allocator still treats as cheap.  Fewer, larger pieces mean
 * fewer descriptors, and fewer writes on the host side, which hands each
 * descriptor to its character device separately.
 */
#define VSER_PIECE_ORDER 3

static size_t vser_piece_size(struct scatterlist *sg)
{
	return PAGE_SIZE << compound_order(sg_page(sg));
}

/* One piece of at most order max (at least a page): its page, *order set. */
static struct page *vser_piece_alloc(unsigned int max, unsigned int *order,
				     gfp_t gfp)
{
	for (*order = max; *order > 0; (*order)--) {
		struct page *page = alloc_pages(gfp | __GFP_COMP |
						__GFP_NORETRY | __GFP_NOWARN,
						*order);

		if (page)
			return page;
	}
	return alloc_page(gfp);
}

struct vser_buf *vser_buf_alloc(size_t bytes, gfp_t gfp)
{
	unsigned int i, most = max_t(size_t, 1, DIV_ROUND_UP(bytes, PAGE_SIZE));
	size_t left = max_t(size_t, bytes, 1);
	struct vser_buf *buf;

	buf = kzalloc(struct_size(buf, sg, most), gfp);
	if (!buf)
		return NULL;
	sg_init_table(buf->sg, most);
	for (i = 0; left; i++) {
		unsigned int order;
		struct page *page = vser_piece_alloc(
			min_t(unsigned int, get_order(left), VSER_PIECE_ORDER),
			&order, gfp);

		if (!page)
			goto undo;
		sg_set_page(&buf->sg[i], page, PAGE_SIZE << order, 0);
		buf->size += PAGE_SIZE << order;
		left -= min_t(size_t, left, PAGE_SIZE << order);
	}
	buf->nents = i;
	sg_mark_end(&buf->sg[i - 1]);
	INIT_LIST_HEAD(&buf->node);
	return buf;

undo:
	buf->nents = i;
	vser_buf_free(buf);
	return NULL;
}

void vser_buf_free(struct vser_buf *buf)
{
	unsigned int i;

	if (!buf)
		return;
	for (i = 0; i < buf->nents; i++)
		__free_pages(sg_page(&buf->sg[i]),
			     compound_order(sg_page(&buf->sg[i])));
	kfree(buf);
}

int vser_buf_fill_user(struct vser_buf *buf, const char __user *from,
		       size_t len)
{
	unsigned int i;
	size_t done = 0;

	if (len > buf->size)
		return -EINVAL;
	for (i = 0; i < buf->nents && done < len; i++) {
		size_t n = min(vser_piece_size(&buf->sg[i]), len - done);

		if (copy_from_user(sg_virt(&buf->sg[i]), from + done, n))
			return -EFAULT;
		buf->sg[i].length = n;
		done += n;
	}
	buf->len = len;
	return 0;
}

/* Copy up to n bytes of unread data from buf to user space: bytes copied,
 * or -EFAULT when nothing could be. */
static ssize_t vser_buf_to_user(struct vser_buf *buf, char __user *to,
				size_t n)
{
	size_t done = 0, start = 0;
	unsigned int i;

	n = min(n, buf->len - buf->off);
	for (i = 0; i < buf->nents && done < n; i++) {
		size_t piece = vser_piece_size(&buf->sg[i]), in, k;

		if (buf->off >= start + piece) {
			start += piece;
			continue;
		}
		in = buf->off - start;
		k = min(n - done, piece - in);
		if (copy_to_user(to + done, page_address(sg_page(&buf->sg[i])) +
				 in, k))
			return done ? done : -EFAULT;
		buf->off += k;
		done += k;
		start += piece;
	}
	return done;
}

/* ---- port state helpers (port->lock held) ------------------------------- */

static void vser_port_release(struct kref *ref)
{
	struct vser_port *port = container_of(ref, struct vser_port, ref);

	WARN_ON(!list_empty(&port->rx));
	kfree(port->name);
	mutex_destroy(&port->lock);
	mutex_destroy(&port->read_lock);
	kfree(port);
}

void vser_port_put(struct vser_port *port)
{
	kref_put(&port->ref, vser_port_release);
}

/* Give every unread buffer back to the transport (the reader left). */
static void vser_port_discard_rx(struct vser_port *port)
{
	struct vser_buf *buf, *tmp;

	lockdep_assert_held(&port->lock);
	list_for_each_entry_safe(buf, tmp, &port->rx, node) {
		list_del_init(&buf->node);
		if (port->ops->rx_put(port, buf))
			vser_buf_free(buf);
	}
	port->rx_bytes = 0;
	port->ops->rx_kick(port);
}

/* Collect what the transport has completed; true if anything changed. */
static bool vser_port_collect(struct vser_port *port, bool *got_data)
{
	struct vser_buf *buf;
	bool changed = false, reposted = false;

	lockdep_assert_held(&port->lock);
	*got_data = false;
	if (port->unplugged)
		return false;
	WRITE_ONCE(port->rx_ready, false);
	smp_mb();	/* a notify after this point is seen by the next wait */
	while ((buf = port->ops->tx_get(port))) {
		port->tx_inflight -= min(port->tx_inflight, buf->len);
		port->tx_bufs--;
		vser_buf_free(buf);
		port->tx_full = false;
		changed = true;
	}
	while ((buf = port->ops->rx_get(port))) {
		if (!port->guest_open || buf->len == 0) {
			/* nobody to read it: the data is dropped */
			if (port->ops->rx_put(port, buf))
				vser_buf_free(buf);
			reposted = true;
			continue;
		}
		list_add_tail(&buf->node, &port->rx);
		port->rx_bytes += buf->len;
		*got_data = changed = true;
	}
	if (reposted)
		port->ops->rx_kick(port);
	return changed;
}

bool vser_port_notify_rx(struct vser_port *port)
{
	if (!READ_ONCE(port->guest_open) || READ_ONCE(port->unplugged))
		return false;
	WRITE_ONCE(port->rx_ready, true);
	wake_up_interruptible_all(&port->wait);
	kill_fasync(&port->fasync, SIGIO, POLL_IN);
	return true;
}

void vser_port_poll_queues(struct vser_port *port)
{
	bool changed, got_data;

	mutex_lock(&port->lock);
	changed = vser_port_collect(port, &got_data);
	mutex_unlock(&port->lock);
	if (!changed)
		return;
	wake_up_interruptible_all(&port->wait);
	kill_fasync(&port->fasync, SIGIO, got_data ? POLL_IN : POLL_OUT);
}

/*
 * Bytes a writer may queue now: what tx_limit leaves (a lockless peek for
 * wait conditions and sizing; the decision is made again under the lock).
 * Poll and write agree on it, so POLLOUT means a write queues something.
 */
static size_t vser_tx_room(struct vser_port *port)
{
	size_t inflight = READ_ONCE(port->tx_inflight);
	size_t limit = max_t(size_t, READ_ONCE(vser_tx_limit), PAGE_SIZE);

	return inflight < limit ? limit - inflight : 0;
}

static bool vser_writable(struct vser_port *port)
{
	return READ_ONCE(port->host_open) && !READ_ONCE(port->tx_full) &&
	       vser_tx_room(port) > 0;
}

/* ---- file operations ----------------------------------------------------- */

static int vser_open(struct inode *inode, struct file *filp)
{
	struct vser_port *port;
	int r = 0;

	mutex_lock(&vser_minor_lock);
	port = idr_find(&vser_minors, iminor(inode));
	if (port)
		kref_get(&port->ref);
	mutex_unlock(&vser_minor_lock);
	if (!port)
		return -ENXIO;

	mutex_lock(&port->lock);
	if (port->unplugged) {
		r = -ENXIO;
	} else if (port->guest_open) {
		r = -EBUSY;
	} else {
		port->guest_open = true;
		port->eof_pending = false;
		port->ops->guest_open(port, true);
	}
	mutex_unlock(&port->lock);
	if (r) {
		vser_port_put(port);
		return r;
	}
	filp->private_data = port;
	return stream_open(inode, filp);
}

static int vser_release(struct inode *inode, struct file *filp)
{
	struct vser_port *port = filp->private_data;

	mutex_lock(&port->lock);
	port->guest_open = false;
	if (!port->unplugged) {
		bool unused;

		/* completions notified but not collected: dropped too */
		vser_port_collect(port, &unused);
		vser_port_discard_rx(port);
		port->ops->guest_open(port, false);
	}
	mutex_unlock(&port->lock);
	vser_port_put(port);
	return 0;
}

static ssize_t vser_read(struct file *filp, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct vser_port *port = filp->private_data;
	bool nonblock = filp->f_flags & O_NONBLOCK;
	ssize_t done = 0, r = 0;
	bool unused, reposted = false;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&port->read_lock))
		return -ERESTARTSYS;
	mutex_lock(&port->lock);
	for (;;) {
		if (port->unplugged) {
			r = -ENODEV;
			goto out;
		}
		vser_port_collect(port, &unused);
		if (port->eof_pending && !port->eof_at) {
			port->eof_pending = false;
			goto out;	/* the end of the host's last session */
		}
		if (!list_empty(&port->rx))
			break;
		if (!port->host_open)
			goto out;	/* end of file until the host returns */
		if (nonblock) {
			r = -EAGAIN;
			goto out;
		}
		mutex_unlock(&port->lock);
		r = wait_event_interruptible(port->wait,
					     READ_ONCE(port->rx_bytes) ||
					     READ_ONCE(port->rx_ready) ||
					     READ_ONCE(port->eof_pending) ||
					     !READ_ONCE(port->host_open) ||
					     READ_ONCE(port->unplugged));
		mutex_lock(&port->lock);
		if (r)
			goto out;
	}

	/*
	 * Take the buffers this read may empty off the list and copy them
	 * without port->lock, so completions are collected meanwhile;
	 * read_lock keeps concurrent readers of a shared file in order.
	 */
	{
		LIST_HEAD(mine);
		struct vser_buf *buf, *tmp;
		size_t want = 0, back = 0;
		bool eof_before = port->eof_pending;

		if (eof_before)
			count = min(count, port->eof_at);
		while (want < count && !list_empty(&port->rx)) {
			buf = list_first_entry(&port->rx, struct vser_buf, node);
			want += buf->len - buf->off;
			port->rx_bytes -= buf->len - buf->off;
			list_move_tail(&buf->node, &mine);
		}
		mutex_unlock(&port->lock);

		list_for_each_entry(buf, &mine, node) {
			ssize_t n = vser_buf_to_user(buf, ubuf + done,
						     count - done);

			if (n < 0) {
				r = n;
				break;
			}
			done += n;
			if (buf->off < buf->len)
				break;	/* count reached, or a fault */
		}

		mutex_lock(&port->lock);
		list_for_each_entry_safe_reverse(buf, tmp, &mine, node) {
			list_del_init(&buf->node);
			if (port->unplugged) {
				vser_buf_free(buf);
			} else if (buf->off < buf->len) {
				/* unread data goes back, in order */
				back += buf->len - buf->off;
				list_add(&buf->node, &port->rx);
			} else {
				if (port->ops->rx_put(port, buf))
					vser_buf_free(buf);
				reposted = true;
			}
		}
		port->rx_bytes += back;
		if (eof_before)
			port->eof_at -= min_t(size_t, port->eof_at, done);
		else if (port->eof_pending)
			port->eof_at += back;	/* the host left meanwhile */
		if (reposted && !port->unplugged)
			port->ops->rx_kick(port);
	}
out:
	mutex_unlock(&port->lock);
	mutex_unlock(&port->read_lock);
	return done ? done : r;
}

/*
 * Queue one filled buffer, waiting for the host as needed.  Takes the
 * buffer in every case (queued, or freed on error).
 */
static int vser_queue_tx(struct vser_port *port, struct vser_buf *buf,
			 bool nonblock)
{
	bool unused;
	int r;

	mutex_lock(&port->lock);
	for (;;) {
		if (port->unplugged) {
			r = -ENODEV;
			break;
		}
		vser_port_collect(port, &unused);
		if (port->host_open && vser_tx_room(port) > 0) {
			r = port->ops->tx(port, buf);
			if (r == 0) {
				port->tx_inflight += buf->len;
				port->tx_bufs++;
				break;
			}
			if (r != -ENOSPC)
				break;
			if (!port->tx_bufs) {
				/* no completion will ever make room */
				r = -EIO;
				break;
			}
			port->tx_full = true;
		}
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		mutex_unlock(&port->lock);
		r = wait_event_interruptible(port->wait,
					     READ_ONCE(port->unplugged) ||
					     vser_writable(port));
		mutex_lock(&port->lock);
		if (r)
			break;
	}
	mutex_unlock(&port->lock);
	if (r)
		vser_buf_free(buf);
	return r;
}

static ssize_t vser_write(struct file *filp, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct vser_port *port = filp->private_data;
	bool nonblock = filp->f_flags & O_NONBLOCK;
	size_t done = 0;
	int r = 0;

	if (!count)
		return 0;
	while (done < count) {
		size_t chunk = min_t(size_t, count - done, VSER_TX_CHUNK);
		size_t room = vser_tx_room(port);
		struct vser_buf *buf;

		/* a non-blocking writer queues what fits, or gets EAGAIN */
		if (nonblock && !READ_ONCE(port->unplugged) &&
		    !vser_writable(port)) {
			r = -EAGAIN;
			break;
		}
		if (room)
			chunk = min(chunk, room);
		buf = vser_buf_alloc(chunk, GFP_KERNEL);
		if (!buf) {
			r = -ENOMEM;
			break;
		}
		r = vser_buf_fill_user(buf, ubuf + done, chunk);
		if (r) {
			vser_buf_free(buf);
			break;
		}
		r = vser_queue_tx(port, buf, nonblock);
		if (r)
			break;
		done += chunk;
	}
	return done ? done : r;
}

static __poll_t vser_poll(struct file *filp, struct poll_table_struct *wait)
{
	struct vser_port *port = filp->private_data;
	__poll_t mask = 0;
	bool unused;

	poll_wait(filp, &port->wait, wait);
	mutex_lock(&port->lock);
	if (port->unplugged) {
		mask = EPOLLHUP;
		goto out;
	}
	vser_port_collect(port, &unused);
	if (!list_empty(&port->rx) || port->eof_pending)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!port->host_open)
		mask |= EPOLLHUP;
	else if (vser_writable(port))
		mask |= EPOLLOUT | EPOLLWRNORM;
out:
	mutex_unlock(&port->lock);
	return mask;
}

static int vser_fasync(int fd, struct file *filp, int on)
{
	struct vser_port *port = filp->private_data;

	return fasync_helper(fd, filp, on, &port->fasync);
}

static const struct file_operations vser_fops = {
	.owner = THIS_MODULE,
	.open = vser_open,
	.release = vser_release,
	.read = vser_read,
	.write = vser_write,
	.poll = vser_poll,
	.fasync = vser_fasync,
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	.llseek = no_llseek,	/* stream_open() says the same on newer ones */
#endif
};

/* ---- sysfs --------------------------------------------------------------- */

static ssize_t name_show(struct device *dev, struct device_attribute *attr,
			 char *out)
{
	struct vser_port *port = dev_get_drvdata(dev);
	ssize_t n = 0;

	mutex_lock(&port->lock);
	if (port->name)
		n = sysfs_emit(out, "%s\n", port->name);
	mutex_unlock(&port->lock);
	return n;
}
static DEVICE_ATTR_RO(name);

static struct attribute *vser_port_attrs[] = {
	&dev_attr_name.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vser_port);

/* ---- for transports ------------------------------------------------------ */

struct vser_port *vser_port_new(struct device *parent, unsigned int devnum,
				unsigned int id, const struct vser_port_ops *ops,
				void *tpriv)
{
	struct vser_port *port;
	struct device *dev;
	int minor;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	kref_init(&port->ref);
	mutex_init(&port->read_lock);
	mutex_init(&port->lock);
	INIT_LIST_HEAD(&port->rx);
	init_waitqueue_head(&port->wait);
	port->ops = ops;
	port->tpriv = tpriv;
	port->id = id;

	mutex_lock(&vser_minor_lock);
	minor = idr_alloc(&vser_minors, port, 0, VSER_MINORS, GFP_KERNEL);
	mutex_unlock(&vser_minor_lock);
	if (minor < 0)
		goto undo_alloc;
	port->minor = minor;

	dev = device_create_with_groups(vser_class, parent,
					MKDEV(MAJOR(vser_devt), minor), port,
					vser_port_groups, "vport%up%u", devnum,
					id);
	if (IS_ERR(dev)) {
		minor = PTR_ERR(dev);
		goto undo_minor;
	}
	port->dev = dev;
	return port;

undo_minor:
	mutex_lock(&vser_minor_lock);
	idr_remove(&vser_minors, port->minor);
	mutex_unlock(&vser_minor_lock);
undo_alloc:
	mutex_destroy(&port->lock);
	mutex_destroy(&port->read_lock);
	kfree(port);
	return ERR_PTR(minor);
}

int vser_port_fill_rx(struct vser_port *port, unsigned int count)
{
	unsigned int n;

	mutex_lock(&port->lock);
	for (n = 0; n < count && !port->unplugged; n++) {
		struct vser_buf *buf = vser_buf_alloc(PAGE_SIZE, GFP_KERNEL);

		if (!buf)
			break;
		if (port->ops->rx_put(port, buf)) {
			vser_buf_free(buf);
			break;
		}
	}
	if (n && !port->unplugged)
		port->ops->rx_kick(port);
	mutex_unlock(&port->lock);
	return n;
}

static bool vser_name_ok(const char *name, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

void vser_port_set_name(struct vser_port *port, const char *name, size_t len)
{
	struct device *dev = NULL;
	char *copy;

	len = strnlen(name, len);
	if (!vser_name_ok(name, len)) {
		pr_warn_ratelimited(VSER_NAME ": port %u: unusable name ignored\n",
				    port->id);
		return;
	}
	copy = kmemdup_nul(name, len, GFP_KERNEL);
	if (!copy)
		return;
	mutex_lock(&port->lock);
	if (!port->unplugged && !port->name && port->dev) {
		port->name = copy;
		copy = NULL;
		dev = get_device(port->dev);
	}
	mutex_unlock(&port->lock);
	kfree(copy);
	if (!dev)
		return;
	kobject_uevent(&dev->kobj, KOBJ_CHANGE);
	put_device(dev);
}

void vser_port_set_host_open(struct vser_port *port, bool open)
{
	bool changed;

	mutex_lock(&port->lock);
	changed = !port->unplugged && port->host_open != open;
	if (changed)
		port->host_open = open;
	if (changed && !open && port->guest_open && !port->eof_pending) {
		bool unused;

		/* what came before the hang-up is the old session's */
		vser_port_collect(port, &unused);
		port->eof_pending = true;
		port->eof_at = port->rx_bytes;
	}
	mutex_unlock(&port->lock);
	if (!changed)
		return;
	wake_up_interruptible_all(&port->wait);
	kill_fasync(&port->fasync, SIGIO, open ? POLL_OUT : POLL_HUP);
}

void vser_port_unplug(struct vser_port *port)
{
	struct vser_buf *buf, *tmp;
	struct device *dev;

	mutex_lock(&port->lock);
	if (port->unplugged) {
		mutex_unlock(&port->lock);
		return;
	}
	port->unplugged = true;
	port->host_open = false;
	list_for_each_entry_safe(buf, tmp, &port->rx, node) {
		list_del_init(&buf->node);
		vser_buf_free(buf);
	}
	port->rx_bytes = 0;
	port->ops->release_bufs(port);
	port->tx_inflight = 0;
	port->tx_bufs = 0;
	port->tx_full = false;
	dev = port->dev;
	port->dev = NULL;
	mutex_unlock(&port->lock);

	/* no new opener finds it (one racing with us saw "unplugged") */
	mutex_lock(&vser_minor_lock);
	idr_remove(&vser_minors, port->minor);
	mutex_unlock(&vser_minor_lock);

	/* waiters see "unplugged" and leave with -ENODEV; pollers get HUP */
	wake_up_interruptible_all(&port->wait);
	kill_fasync(&port->fasync, SIGIO, POLL_HUP);
	/* removes the node and the name attribute (waits for its readers) */
	if (dev)
		device_unregister(dev);
}

/* ---- module set-up ------------------------------------------------------- */

int vser_ports_init(void)
{
	int r;

	r = alloc_chrdev_region(&vser_devt, 0, VSER_MINORS, VSER_NAME);
	if (r)
		return r;
	cdev_init(&vser_cdev, &vser_fops);
	vser_cdev.owner = THIS_MODULE;
	r = cdev_add(&vser_cdev, vser_devt, VSER_MINORS);
	if (r)
		goto undo_region;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	vser_class = class_create("virtio-ports");
#else
	vser_class = class_create(THIS_MODULE, "virtio-ports");
#endif
	if (IS_ERR(vser_class)) {
		r = PTR_ERR(vser_class);
		goto undo_cdev;
	}
	return 0;

undo_cdev:
	cdev_del(&vser_cdev);
undo_region:
	unregister_chrdev_region(vser_devt, VSER_MINORS);
	return r;
}

void vser_ports_exit(void)
{
	WARN_ON(!idr_is_empty(&vser_minors));
	class_destroy(vser_class);
	cdev_del(&vser_cdev);
	unregister_chrdev_region(vser_devt, VSER_MINORS);
	idr_destroy(&vser_minors);
}
