// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * The virtio transport: binds the virtio console device (virtio id 3) with
 * VIRTIO_CONSOLE_F_MULTIPORT, speaks its control protocol and moves port
 * buffers through its queues.  Everything user-visible is vserial-port.c.
 *
 * Queues: 0/1 port 0 receive/transmit, 2/3 control receive/transmit, then
 * 2+2n / 3+2n for port n >= 1.
 *
 * Control flow: probe posts control receive buffers, sets DRIVER_OK and
 * sends DEVICE_READY; the device answers with PORT_ADD for each port, each
 * answered with PORT_READY once the port's receive buffers are posted; then
 * PORT_NAME and PORT_OPEN (the host side) follow.  CONSOLE_PORT is refused:
 * console ports belong to virtio_console (hvc), not to us.
 *
 * Context: queue callbacks run in interrupt context: received data on an
 * open port wakes its reader (vser_port_notify_rx), anything else queues
 * work on the device's ordered workqueue; all else runs in process
 * context.
 */
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "vserial.h"

#define VSV_CTRL_BUF_SIZE 512	/* control message plus a port name */
#define VSV_CTRL_BUFS 64	/* at most; QEMU's control queue holds 32 */
#define VSV_MAX_PORTS 512	/* what fits in virtio's 1024 queues */
#define VSV_NO_PORT 0xffffffffU	/* the id of DEVICE_READY */

/* One bound virtio console device: from probe to remove. */
struct vsv_dev {
	struct virtio_device *vdev;	/* immutable */
	u32 max_ports;			/* port ids are below; immutable */
	unsigned int nvqs;		/* 2 * (max_ports + 1); immutable */
	struct virtqueue **vqs;		/* immutable from probe to remove */
	/*
	 * Runs ctrl_work and data_work one at a time.  ctrl_work is the only
	 * user of the control receive queue between probe and remove.
	 */
	struct workqueue_struct *wq;
	struct work_struct ctrl_work;	/* drains the control receive queue */
	struct work_struct data_work;	/* collects ports flagged in pending */
	unsigned long *pending;		/* port ids with completions; atomic */
	struct mutex ctrl_tx_lock;	/* guards the control transmit queue */
	struct mutex ports_lock;	/* guards ports[]; before port->lock */
	/* also taken to write ports[], so the queue callbacks may read it */
	spinlock_t irq_lock;
	struct vser_port **ports;	/* max_ports slots, NULL when absent */
	/*
	 * Receive buffers posted on each port id's queue.  They stay posted
	 * when a port is removed at run time (taking them back from a live
	 * queue would leave the device with stale entries) and serve the next
	 * port with that id.  Guarded by the port's lock while a port has the
	 * id, by ports_lock while none has.
	 */
	unsigned int *rx_posted;
	/* Set once the device is reset (remove, failed probe): queues may
	 * be emptied, control messages are not sent.  Read without a lock. */
	bool dead;
};

static struct virtqueue *vsv_ctrl_rxq(struct vsv_dev *d)
{
	return d->vqs[2];
}

static struct virtqueue *vsv_ctrl_txq(struct vsv_dev *d)
{
	return d->vqs[3];
}

/* Port id -> its receive queue; the transmit queue follows it. */
static unsigned int vsv_port_vq(u32 id)
{
	return id ? 2 + 2 * id : 0;
}

/* Queue index -> port id (not for the control queues 2 and 3). */
static u32 vsv_vq_port(unsigned int index)
{
	return index < 2 ? 0 : (index - 2) / 2;
}

/* ---- buffers of a port id ------------------------------------------------ */

/*
 * Completed buffers of port id's queues while no port has the id (or it
 * is going): transmit buffers are done with, received data has no reader.
 */
static void vsv_drain_id(struct vsv_dev *d, u32 id)
{
	struct virtqueue *rxq = d->vqs[vsv_port_vq(id)];
	struct virtqueue *txq = d->vqs[vsv_port_vq(id) + 1];
	struct vser_buf *buf;
	unsigned int len;

	while ((buf = virtqueue_get_buf(txq, &len)))
		vser_buf_free(buf);
	while ((buf = virtqueue_get_buf(rxq, &len))) {
		d->rx_posted[id]--;
		vser_buf_free(buf);
	}
}

/* After the reset: every buffer of port id's queues back, and freed. */
static void vsv_empty_id(struct vsv_dev *d, u32 id)
{
	struct virtqueue *vqs[2] = { d->vqs[vsv_port_vq(id)],
				     d->vqs[vsv_port_vq(id) + 1] };
	struct vser_buf *buf;
	unsigned int i;

	WARN_ON(!d->dead);
	vsv_drain_id(d, id);
	for (i = 0; i < ARRAY_SIZE(vqs); i++)
		while ((buf = virtqueue_detach_unused_buf(vqs[i])))
			vser_buf_free(buf);
	d->rx_posted[id] = 0;
}

/* ---- control messages ---------------------------------------------------- */

static int vsv_send_ctrl(struct vsv_dev *d, u32 id, u16 event, u16 value)
{
	struct virtio_console_control *msg;
	struct virtqueue *vq = vsv_ctrl_txq(d);
	struct scatterlist sg;
	unsigned int len, tries;
	void *done;
	int r;

	if (READ_ONCE(d->dead))
		return -ENODEV;	/* the device is reset: nobody listens */
	msg = kmalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->id = cpu_to_virtio32(d->vdev, id);
	msg->event = cpu_to_virtio16(d->vdev, event);
	msg->value = cpu_to_virtio16(d->vdev, value);
	sg_init_one(&sg, msg, sizeof(*msg));

	mutex_lock(&d->ctrl_tx_lock);
	/* the device takes control messages promptly: a full queue drains */
	for (tries = 0; tries < 1000; tries++) {
		while ((done = virtqueue_get_buf(vq, &len)))
			kfree(done);
		r = virtqueue_add_outbuf(vq, &sg, 1, msg, GFP_KERNEL);
		if (r != -ENOSPC)
			break;
		usleep_range(500, 1000);
	}
	if (r == 0)
		virtqueue_kick(vq);
	mutex_unlock(&d->ctrl_tx_lock);
	if (r) {
		dev_warn(&d->vdev->dev, "control message %u for port %u lost: %d\n",
			 event, id, r);
		kfree(msg);
	}
	return r;
}

static int vsv_post_ctrl_buf(struct vsv_dev *d, void *buf)
{
	struct scatterlist sg;

	sg_init_one(&sg, buf, VSV_CTRL_BUF_SIZE);
	return virtqueue_add_inbuf(vsv_ctrl_rxq(d), &sg, 1, buf, GFP_KERNEL);
}

static const struct vser_port_ops vsv_port_ops;

static void vsv_port_add(struct vsv_dev *d, u32 id)
{
	struct vser_port *port;
	unsigned int want;

	lockdep_assert_held(&d->ports_lock);
	if (d->ports[id]) {
		dev_warn(&d->vdev->dev, "port %u announced twice\n", id);
		return;
	}
	port = vser_port_new(&d->vdev->dev, d->vdev->index, id, &vsv_port_ops,
			     d);
	if (IS_ERR(port)) {
		dev_warn(&d->vdev->dev, "port %u: cannot create: %ld\n", id,
			 PTR_ERR(port));
		goto refuse;
	}
	vsv_drain_id(d, id);
	want = clamp(vser_rx_bufs, 1U, 1024U);
	if (d->rx_posted[id] < want)
		vser_port_fill_rx(port, want - d->rx_posted[id]);
	if (!d->rx_posted[id]) {
		dev_warn(&d->vdev->dev, "port %u: no receive buffers\n", id);
		goto undo_port;
	}
	virtqueue_kick(d->vqs[vsv_port_vq(id)]);
	spin_lock_irq(&d->irq_lock);
	d->ports[id] = port;
	spin_unlock_irq(&d->irq_lock);
	vsv_send_ctrl(d, id, VIRTIO_CONSOLE_PORT_READY, 1);
	return;

undo_port:
	vser_port_unplug(port);
	vser_port_put(port);
refuse:
	vsv_send_ctrl(d, id, VIRTIO_CONSOLE_PORT_READY, 0);
}

static void vsv_port_remove(struct vsv_dev *d, u32 id)
{
	struct vser_port *port = d->ports[id];

	lockdep_assert_held(&d->ports_lock);
	if (!port)
		return;
	spin_lock_irq(&d->irq_lock);
	d->ports[id] = NULL;
	spin_unlock_irq(&d->irq_lock);
	vser_port_unplug(port);
	vser_port_put(port);
}

/* One control message of len bytes (not yet validated). */
static void vsv_handle_ctrl(struct vsv_dev *d, const void *buf,
			    unsigned int len)
{
	const struct virtio_console_control *msg = buf;
	struct vser_port *port;
	u32 id;
	u16 event, value;

	if (len < sizeof(*msg)) {
		dev_warn_ratelimited(&d->vdev->dev,
				     "short control message (%u bytes) dropped\n",
				     len);
		return;
	}
	id = virtio32_to_cpu(d->vdev, msg->id);
	event = virtio16_to_cpu(d->vdev, msg->event);
	value = virtio16_to_cpu(d->vdev, msg->value);
	if (id >= d->max_ports) {
		dev_warn_ratelimited(&d->vdev->dev,
				     "control event %u for port %u out of range dropped\n",
				     event, id);
		return;
	}

	mutex_lock(&d->ports_lock);
	port = d->ports[id];
	switch (event) {
	case VIRTIO_CONSOLE_PORT_ADD:
		vsv_port_add(d, id);
		break;
	case VIRTIO_CONSOLE_PORT_REMOVE:
		vsv_port_remove(d, id);
		break;
	case VIRTIO_CONSOLE_CONSOLE_PORT:
		dev_info(&d->vdev->dev,
			 "port %u is a console port: not served by " VSER_NAME
			 " (virtio_console serves consoles)\n", id);
		vsv_port_remove(d, id);
		break;
	case VIRTIO_CONSOLE_RESIZE:
		break;	/* consoles only */
	case VIRTIO_CONSOLE_PORT_OPEN:
		if (port)
			vser_port_set_host_open(port, value != 0);
		break;
	case VIRTIO_CONSOLE_PORT_NAME:
		if (port)
			vser_port_set_name(port, (const char *)buf + sizeof(*msg),
					   len - sizeof(*msg));
		break;
	default:
		dev_dbg(&d->vdev->dev, "control event %u ignored\n", event);
		break;
	}
	mutex_unlock(&d->ports_lock);
}

static void vsv_ctrl_work(struct work_struct *work)
{
	struct vsv_dev *d = container_of(work, struct vsv_dev, ctrl_work);
	struct virtqueue *vq = vsv_ctrl_rxq(d);
	unsigned int len;
	void *buf;

	while ((buf = virtqueue_get_buf(vq, &len))) {
		vsv_handle_ctrl(d, buf, min_t(unsigned int, len,
					      VSV_CTRL_BUF_SIZE));
		if (vsv_post_ctrl_buf(d, buf))
			kfree(buf);
		virtqueue_kick(vq);
	}
}

static void vsv_data_work(struct work_struct *work)
{
	struct vsv_dev *d = container_of(work, struct vsv_dev, data_work);
	unsigned long id;

	for_each_set_bit(id, d->pending, d->max_ports) {
		if (!test_and_clear_bit(id, d->pending))
			continue;
		mutex_lock(&d->ports_lock);
		if (d->ports[id])
			vser_port_poll_queues(d->ports[id]);
		else
			vsv_drain_id(d, id);
		mutex_unlock(&d->ports_lock);
	}
}

/* ---- queue callbacks (interrupt context) -------------------------------- */

static void vsv_ctrl_rx_done(struct virtqueue *vq)
{
	struct vsv_dev *d = vq->vdev->priv;

	queue_work(d->wq, &d->ctrl_work);
}

static void vsv_port_vq_done(struct virtqueue *vq)
{
	struct vsv_dev *d = vq->vdev->priv;
	u32 id = vsv_vq_port(vq->index);
	bool woken = false;
	unsigned long flags;

	/* received data: straight to the port's reader, who collects it */
	if (vq->index == vsv_port_vq(id)) {
		spin_lock_irqsave(&d->irq_lock, flags);
		if (d->ports[id])
			woken = vser_port_notify_rx(d->ports[id]);
		spin_unlock_irqrestore(&d->irq_lock, flags);
	}
	if (woken)
		return;
	set_bit(id, d->pending);
	queue_work(d->wq, &d->data_work);
}

/* ---- port operations (port->lock held, port plugged) ------------------- */

static struct virtqueue *vsv_rxq(struct vser_port *port)
{
	struct vsv_dev *d = port->tpriv;

	return d->vqs[vsv_port_vq(port->id)];
}

static struct virtqueue *vsv_txq(struct vser_port *port)
{
	struct vsv_dev *d = port->tpriv;

	return d->vqs[vsv_port_vq(port->id) + 1];
}

static int vsv_tx(struct vser_port *port, struct vser_buf *buf)
{
	struct virtqueue *vq = vsv_txq(port);
	int r;

	lockdep_assert_held(&port->lock);
	r = virtqueue_add_outbuf(vq, buf->sg, buf->nents, buf, GFP_KERNEL);
	if (r)
		return r == -ENOSPC ? -ENOSPC : r;
	virtqueue_kick(vq);
	return 0;
}

static struct vser_buf *vsv_tx_get(struct vser_port *port)
{
	unsigned int len;

	lockdep_assert_held(&port->lock);
	return virtqueue_get_buf(vsv_txq(port), &len);
}

static struct vser_buf *vsv_rx_get(struct vser_port *port)
{
	struct vser_buf *buf;
	unsigned int len;

	lockdep_assert_held(&port->lock);
	buf = virtqueue_get_buf(vsv_rxq(port), &len);
	if (buf) {
		struct vsv_dev *d = port->tpriv;

		d->rx_posted[port->id]--;
		buf->len = min_t(size_t, len, buf->size);
		buf->off = 0;
	}
	return buf;
}

static int vsv_rx_put(struct vser_port *port, struct vser_buf *buf)
{
	struct virtqueue *vq = vsv_rxq(port);
	int r;

	lockdep_assert_held(&port->lock);
	buf->len = 0;
	buf->off = 0;
	r = virtqueue_add_inbuf(vq, buf->sg, buf->nents, buf, GFP_KERNEL);
	if (r == 0) {
		struct vsv_dev *d = port->tpriv;

		d->rx_posted[port->id]++;
	}
	return r;
}

static void vsv_rx_kick(struct vser_port *port)
{
	lockdep_assert_held(&port->lock);
	virtqueue_kick(vsv_rxq(port));
}

static void vsv_guest_open(struct vser_port *port, bool open)
{
	lockdep_assert_held(&port->lock);
	vsv_send_ctrl(port->tpriv, port->id, VIRTIO_CONSOLE_PORT_OPEN, open);
}

static void vsv_release_bufs(struct vser_port *port)
{
	struct vsv_dev *d = port->tpriv;

	lockdep_assert_held(&port->lock);
	if (d->dead) {
		vsv_empty_id(d, port->id);
		return;
	}
	/*
	 * Removed at run time: the device discards what it still holds of
	 * the transmit queue once notified (it has no port for it now); the
	 * receive buffers stay posted for the next port with this id.
	 */
	virtqueue_notify(d->vqs[vsv_port_vq(port->id) + 1]);
	vsv_drain_id(d, port->id);
}

static const struct vser_port_ops vsv_port_ops = {
	.tx = vsv_tx,
	.tx_get = vsv_tx_get,
	.rx_get = vsv_rx_get,
	.rx_put = vsv_rx_put,
	.rx_kick = vsv_rx_kick,
	.guest_open = vsv_guest_open,
	.release_bufs = vsv_release_bufs,
};

/* ---- probe and remove ---------------------------------------------------- */

/* Queue i's callback and name (the name must outlive the queue). */
static void vsv_vq_info(unsigned int i, vq_callback_t **cb, const char **name)
{
	if (i == 2) {
		*cb = vsv_ctrl_rx_done;
		*name = "vserial-ctrl-rx";
	} else if (i == 3) {
		*cb = NULL;	/* reaped when sending */
		*name = "vserial-ctrl-tx";
	} else {
		*cb = vsv_port_vq_done;
		*name = i % 2 == 0 ? "vserial-rx" : "vserial-tx";
	}
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static int vsv_find_vqs(struct vsv_dev *d)
{
	struct virtqueue_info *info;
	unsigned int i;
	int r;

	info = kcalloc(d->nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < d->nvqs; i++)
		vsv_vq_info(i, &info[i].callback, &info[i].name);
	r = virtio_find_vqs(d->vdev, d->nvqs, d->vqs, info, NULL);
	kfree(info);
	return r;
}
#else
static int vsv_find_vqs(struct vsv_dev *d)
{
	vq_callback_t **callbacks;
	const char **names;
	unsigned int i;
	int r = -ENOMEM;

	callbacks = kcalloc(d->nvqs, sizeof(*callbacks), GFP_KERNEL);
	names = kcalloc(d->nvqs, sizeof(*names), GFP_KERNEL);
	if (!callbacks || !names)
		goto out;
	for (i = 0; i < d->nvqs; i++)
		vsv_vq_info(i, &callbacks[i], &names[i]);
	r = virtio_find_vqs(d->vdev, d->nvqs, d->vqs, callbacks, names, NULL);
out:
	kfree(callbacks);
	kfree(names);
	return r;
}
#endif

static void vsv_free_ctrl_bufs(struct vsv_dev *d)
{
	unsigned int len;
	void *buf;

	while ((buf = virtqueue_get_buf(vsv_ctrl_txq(d), &len)))
		kfree(buf);
	while ((buf = virtqueue_detach_unused_buf(vsv_ctrl_txq(d))))
		kfree(buf);
	while ((buf = virtqueue_get_buf(vsv_ctrl_rxq(d), &len)))
		kfree(buf);
	while ((buf = virtqueue_detach_unused_buf(vsv_ctrl_rxq(d))))
		kfree(buf);
}

/* Reset the device and let go of every port: waiters wake with -ENODEV;
 * open files keep their port until close. */
static void vsv_stop(struct vsv_dev *d)
{
	unsigned int i;

	virtio_reset_device(d->vdev);
	WRITE_ONCE(d->dead, true);
	cancel_work_sync(&d->ctrl_work);
	cancel_work_sync(&d->data_work);
	mutex_lock(&d->ports_lock);
	for (i = 0; i < d->max_ports; i++) {
		vsv_port_remove(d, i);
		vsv_empty_id(d, i);
	}
	mutex_unlock(&d->ports_lock);
}

/* What probe allocated first, and the device's link to it. */
static void vsv_free(struct vsv_dev *d)
{
	struct virtio_device *vdev = d->vdev;

	bitmap_free(d->pending);
	kfree(d->rx_posted);
	kfree(d->ports);
	kfree(d->vqs);
	mutex_destroy(&d->ports_lock);
	mutex_destroy(&d->ctrl_tx_lock);
	kfree(d);
	vdev->priv = NULL;
}

static int vsv_probe(struct virtio_device *vdev)
{
	unsigned int i, nbufs;
	struct vsv_dev *d;
	u32 max_ports;
	int r;

	if (!virtio_has_feature(vdev, VIRTIO_CONSOLE_F_MULTIPORT)) {
		dev_info(&vdev->dev, "no multiport support: the only port is a "
			 "console, not served by " VSER_NAME "\n");
		return -ENODEV;
	}
	virtio_cread(vdev, struct virtio_console_config, max_nr_ports,
		     &max_ports);
	if (max_ports == 0) {
		dev_warn(&vdev->dev, "device offers no ports\n");
		return -ENODEV;
	}
	if (max_ports > VSV_MAX_PORTS) {
		dev_warn(&vdev->dev, "%u ports offered, serving %u\n",
			 max_ports, VSV_MAX_PORTS);
		max_ports = VSV_MAX_PORTS;
	}

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->vdev = vdev;
	d->max_ports = max_ports;
	d->nvqs = 2 * (max_ports + 1);
	mutex_init(&d->ctrl_tx_lock);
	mutex_init(&d->ports_lock);
	spin_lock_init(&d->irq_lock);
	INIT_WORK(&d->ctrl_work, vsv_ctrl_work);
	INIT_WORK(&d->data_work, vsv_data_work);
	vdev->priv = d;

	r = -ENOMEM;
	d->vqs = kcalloc(d->nvqs, sizeof(*d->vqs), GFP_KERNEL);
	d->ports = kcalloc(max_ports, sizeof(*d->ports), GFP_KERNEL);
	d->pending = bitmap_zalloc(max_ports, GFP_KERNEL);
	d->rx_posted = kcalloc(max_ports, sizeof(*d->rx_posted), GFP_KERNEL);
	if (!d->vqs || !d->ports || !d->pending || !d->rx_posted)
		goto undo_alloc;
	d->wq = alloc_ordered_workqueue("vserial-%s", WQ_HIGHPRI,
					dev_name(&vdev->dev));
	if (!d->wq)
		goto undo_alloc;

	r = vsv_find_vqs(d);
	if (r)
		goto undo_wq;

	nbufs = min_t(unsigned int, VSV_CTRL_BUFS,
		      virtqueue_get_vring_size(vsv_ctrl_rxq(d)));
	for (i = 0; i < nbufs; i++) {
		void *buf = kmalloc(VSV_CTRL_BUF_SIZE, GFP_KERNEL);

		if (!buf)
			break;
		if (vsv_post_ctrl_buf(d, buf)) {
			kfree(buf);
			break;
		}
	}
	if (i == 0) {
		r = -ENOMEM;
		goto undo_vqs;
	}

	virtio_device_ready(vdev);
	virtqueue_kick(vsv_ctrl_rxq(d));
	r = vsv_send_ctrl(d, VSV_NO_PORT, VIRTIO_CONSOLE_DEVICE_READY, 1);
	if (r)
		goto undo_ready;
	dev_info(&vdev->dev, "up to %u ports\n", max_ports);
	return 0;

undo_ready:
	vsv_stop(d);
undo_vqs:
	vsv_free_ctrl_bufs(d);
	vdev->config->del_vqs(vdev);
undo_wq:
	destroy_workqueue(d->wq);
undo_alloc:
	vsv_free(d);
	return r;
}

static void vsv_remove(struct virtio_device *vdev)
{
	struct vsv_dev *d = vdev->priv;

	vsv_stop(d);
	destroy_workqueue(d->wq);
	vsv_free_ctrl_bufs(d);
	vdev->config->del_vqs(vdev);
	vsv_free(d);
	dev_info(&vdev->dev, "removed\n");
}

static const struct virtio_device_id vsv_id_table[] = {
	{ VIRTIO_ID_CONSOLE, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vsv_id_table);

static unsigned int vsv_features[] = {
	VIRTIO_CONSOLE_F_MULTIPORT,
};

static struct virtio_driver vsv_driver = {
	.driver.name = VSER_NAME,
	.driver.owner = THIS_MODULE,
	.id_table = vsv_id_table,
	.feature_table = vsv_features,
	.feature_table_size = ARRAY_SIZE(vsv_features),
	.feature_table_legacy = vsv_features,
	.feature_table_size_legacy = ARRAY_SIZE(vsv_features),
	.probe = vsv_probe,
	.remove = vsv_remove,
};

int vser_virtio_init(void)
{
	return register_virtio_driver(&vsv_driver);
}

void vser_virtio_exit(void)
{
	unregister_virtio_driver(&vsv_driver);
}
