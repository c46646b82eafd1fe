// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * The VDI port transport: PCI 1b36:0105 (vdiport-device/vdiport.h has the
 * ABI) behind one port of the shared port layer (vserial-port.c), named
 * "com.redhat.spice.0" so udev links it as /dev/virtio-ports/com.redhat.spice.0
 * and the agent daemon finds it where it finds a virtio-serial port.
 *
 * The device is not trusted: the magic and ring sizes are checked at probe,
 * every index and packet size through the ring core (vdiport-ring.c).  A
 * ring with out-of-range indices breaks the device for good: the port hangs
 * up (readers see end of file, writers fail) and nothing more is read from
 * or written to the rings; packets with a bad size are dropped and counted.
 *
 * All ring work happens in one work item; the interrupt handler only
 * acknowledges and queues it.  Locks: port->lock (port layer), then
 * vdip_dev.lock.
 */
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "vserial.h"
#include "vdiport-ring.h"

#define VDIP_PORT_NAME "com.redhat.spice.0"

static DEFINE_IDA(vdip_ida);	/* device numbers: /dev/vport<N>p0 */

struct vdip_dev {
	struct pci_dev *pdev;		/* immutable */
	void __iomem *io;		/* BAR 0, immutable */
	struct vdiport_ram *ram;	/* BAR 1, shared with the device */
	struct vser_port *port;		/* set at probe, put at remove */
	int devnum;			/* immutable */
	struct work_struct work;	/* all ring traffic */

	/* Guards every field below.  Nests inside port->lock. */
	struct mutex lock;
	struct vdiport_prod out;	/* we produce the output ring */
	struct vdiport_cons in;		/* we consume the input ring */
	u32 gen;			/* generation last seen */
	bool host_open;			/* CONNECTION as last reported up */
	bool broken;			/* the device wrote garbage indices */
	bool hangup;			/* generation changed: report a hang-up */
	struct list_head tx_q;		/* vser_bufs to send, oldest first */
	size_t tx_off;			/* bytes of tx_q's head already sent */
	struct list_head tx_done;	/* sent, for ops->tx_get */
	struct list_head rx_free;	/* posted, empty */
	struct list_head rx_full;	/* filled, for ops->rx_get */
	struct vser_buf *rx_cur;	/* being filled, or NULL */
	unsigned long drops_stale;	/* packets of an older generation */
	unsigned long drops_corrupt;	/* packets with a bad size */
	/* Counters for the sysfs "stats" file (what limits a transfer):
	 * written under lock, or by the interrupt handler (irqs), read
	 * without. */
	unsigned long irqs;		/* interrupts that were ours */
	unsigned long notifies;		/* NOTIFY writes (exits to QEMU) */
	unsigned long tx_packets;	/* output packets written */
	unsigned long tx_ring_full;	/* waits for room with data queued */
	unsigned long rx_packets;	/* input packets delivered */
	u8 pkt[VDIPORT_PACKET_DATA];	/* bounce for one input packet */
	u8 bounce[VDIPORT_RING_ITEMS * VDIPORT_PACKET_DATA];	/* output */
};

static void vdip_notify(struct vdip_dev *d)
{
	d->notifies++;
	iowrite32(1, d->io + VDIPORT_IO_NOTIFY);
}

static void vdip_break(struct vdip_dev *d, const char *ring)
{
	lockdep_assert_held(&d->lock);
	if (!d->broken)
		dev_err(&d->pdev->dev,
			"%s ring indices out of range: device ignored from now on\n",
			ring);
	d->broken = true;
}

/* Move every queued transmit buffer to done (the session they were for
 * ended, or the device broke): the writers are released. */
static bool vdip_flush_tx(struct vdip_dev *d)
{
	bool any = !list_empty(&d->tx_q);

	list_splice_tail_init(&d->tx_q, &d->tx_done);
	d->tx_off = 0;
	return any;
}

/* Output ring: as much of tx_q as fits.  True if a buffer completed. */
static bool vdip_do_tx(struct vdip_dev *d, bool *notify)
{
	bool done_any = false;

	while (!list_empty(&d->tx_q)) {
		struct vser_buf *buf = list_first_entry(&d->tx_q,
							struct vser_buf, node);
		int room = vdiport_prod_free(&d->out);
		size_t n;
		long w;

		if (room < 0) {
			vdip_break(d, "output");
			return vdip_flush_tx(d) || done_any;
		}
		if (room == 0) {
			if (vdiport_prod_wait(&d->out))
				continue;
			d->tx_ring_full++;
			break;
		}
		n = min_t(size_t, buf->len - d->tx_off,
			  (size_t)room * VDIPORT_PACKET_DATA);
		sg_pcopy_to_buffer(buf->sg, buf->nents, d->bounce, n,
				   d->tx_off);
		w = vdiport_prod_write(&d->out, d->gen, d->bounce, n, notify);
		if (w < 0) {
			vdip_break(d, "output");
			return vdip_flush_tx(d) || done_any;
		}
		d->tx_off += w;
		d->tx_packets += DIV_ROUND_UP(w, VDIPORT_PACKET_DATA);
		if (d->tx_off >= buf->len) {
			list_move_tail(&buf->node, &d->tx_done);
			d->tx_off = 0;
			done_any = true;
		}
	}
	return done_any;
}

static size_t vdip_rx_room(struct vdip_dev *d)
{
	size_t room = d->rx_cur ? d->rx_cur->size - d->rx_cur->len : 0;

	if (!list_empty(&d->rx_free))
		room += PAGE_SIZE;
	return room;
}

/* Append n bytes of d->pkt to the receive buffers (room was checked). */
static bool vdip_rx_append(struct vdip_dev *d, size_t n)
{
	size_t off = 0;
	bool filled = false;

	while (off < n) {
		struct vser_buf *b = d->rx_cur;
		size_t k;

		if (!b) {
			b = list_first_entry(&d->rx_free, struct vser_buf, node);
			list_del_init(&b->node);
			b->len = 0;
			b->off = 0;
			d->rx_cur = b;
		}
		k = min(n - off, b->size - b->len);
		sg_pcopy_from_buffer(b->sg, b->nents, d->pkt + off, k, b->len);
		b->len += k;
		off += k;
		if (b->len == b->size) {
			list_add_tail(&b->node, &d->rx_full);
			d->rx_cur = NULL;
			filled = true;
		}
	}
	return filled;
}

/* Input ring: as many packets as there are receive buffers for. */
static bool vdip_do_rx(struct vdip_dev *d, bool *notify)
{
	struct vdiport_drops drops = { 0 };
	bool got = false;

	for (;;) {
		int n;

		if (vdip_rx_room(d) < VDIPORT_PACKET_DATA)
			break;	/* rx_put queues the work again */
		n = vdiport_cons_pop(&d->in, d->gen, d->pkt, notify, &drops);
		if (n < 0) {
			vdip_break(d, "input");
			break;
		}
		if (n == 0) {
			if (vdiport_cons_wait(&d->in))
				continue;
			break;
		}
		vdip_rx_append(d, n);
		d->rx_packets++;
		got = true;
	}
	if (d->rx_cur && d->rx_cur->len) {
		list_add_tail(&d->rx_cur->node, &d->rx_full);
		d->rx_cur = NULL;
	}
	if (drops.corrupt) {
		d->drops_corrupt += drops.corrupt;
		dev_warn_ratelimited(&d->pdev->dev,
				     "%u input packets with a bad size dropped (%lu in all)\n",
				     drops.corrupt, d->drops_corrupt);
	}
	d->drops_stale += drops.stale;
	return got;
}

static void vdip_work(struct work_struct *work)
{
	struct vdip_dev *d = container_of(work, struct vdip_dev, work);
	bool notify = false, changed = false, host, hangup;
	u32 gen;

	mutex_lock(&d->lock);
	if (d->broken)
		goto report;
	host = ioread32(d->io + VDIPORT_IO_CONNECTION) & VDIPORT_CONNECTED;
	gen = vdiport_generation(d->ram);
	if (gen != d->gen) {
		/* a new session: what is left of the old one is dropped */
		d->gen = gen;
		d->hangup = d->host_open;
		changed |= vdip_flush_tx(d);
		if (d->rx_cur) {
			d->rx_cur->len = 0;
			list_add_tail(&d->rx_cur->node, &d->rx_free);
			d->rx_cur = NULL;
		}
	}
	d->host_open = host;
	/* after a hang-up the new session waits for the next round: the
	 * port layer marks the old one's end first */
	if (!d->hangup) {
		changed |= vdip_do_tx(d, &notify);
		changed |= vdip_do_rx(d, &notify);
	}
	if (notify)
		vdip_notify(d);
report:
	if (d->broken) {
		changed |= vdip_flush_tx(d);
		d->host_open = false;
	}
	host = d->host_open;
	hangup = d->hangup;
	d->hangup = false;
	mutex_unlock(&d->lock);

	if (hangup) {
		vser_port_set_host_open(d->port, false);
		schedule_work(&d->work);
	}
	vser_port_set_host_open(d->port, host);
	if (changed)
		vser_port_poll_queues(d->port);
}

static irqreturn_t vdip_irq(int irq, void *opaque)
{
	struct vdip_dev *d = opaque;

	if (!vdiport_int_take(d->ram))
		return IRQ_NONE;
	WRITE_ONCE(d->irqs, d->irqs + 1);
	iowrite32(1, d->io + VDIPORT_IO_UPDATE_IRQ);
	schedule_work(&d->work);
	return IRQ_HANDLED;
}

/* ---- port layer operations (port->lock held) --------------------------- */

static int vdip_tx(struct vser_port *port, struct vser_buf *buf)
{
	struct vdip_dev *d = port->tpriv;
	int r = 0;

	mutex_lock(&d->lock);
	if (d->broken)
		r = -EIO;
	else
		list_add_tail(&buf->node, &d->tx_q);
	mutex_unlock(&d->lock);
	if (!r)
		schedule_work(&d->work);
	return r;
}

static struct vser_buf *vdip_pop(struct vdip_dev *d, struct list_head *list)
{
	struct vser_buf *buf;

	mutex_lock(&d->lock);
	buf = list_first_entry_or_null(list, struct vser_buf, node);
	if (buf)
		list_del_init(&buf->node);
	mutex_unlock(&d->lock);
	return buf;
}

static struct vser_buf *vdip_tx_get(struct vser_port *port)
{
	struct vdip_dev *d = port->tpriv;

	return vdip_pop(d, &d->tx_done);
}

static struct vser_buf *vdip_rx_get(struct vser_port *port)
{
	struct vdip_dev *d = port->tpriv;

	return vdip_pop(d, &d->rx_full);
}

static int vdip_rx_put(struct vser_port *port, struct vser_buf *buf)
{
	struct vdip_dev *d = port->tpriv;

	buf->len = 0;
	buf->off = 0;
	mutex_lock(&d->lock);
	list_add_tail(&buf->node, &d->rx_free);
	mutex_unlock(&d->lock);
	return 0;
}

/* Buffers were posted: the work item may take more from the input ring. */
static void vdip_rx_kick(struct vser_port *port)
{
	struct vdip_dev *d = port->tpriv;

	schedule_work(&d->work);
}

static void vdip_guest_open(struct vser_port *port, bool open)
{
	struct vdip_dev *d = port->tpriv;

	iowrite32(open ? VDIPORT_CONNECTED : 0, d->io + VDIPORT_IO_CONNECTION);
	schedule_work(&d->work);
}

static void vdip_free_list(struct list_head *list)
{
	struct vser_buf *buf, *tmp;

	list_for_each_entry_safe(buf, tmp, list, node) {
		list_del(&buf->node);
		vser_buf_free(buf);
	}
}

static void vdip_release_bufs(struct vser_port *port)
{
	struct vdip_dev *d = port->tpriv;

	mutex_lock(&d->lock);
	vdip_free_list(&d->tx_q);
	vdip_free_list(&d->tx_done);
	vdip_free_list(&d->rx_free);
	vdip_free_list(&d->rx_full);
	if (d->rx_cur)
		vser_buf_free(d->rx_cur);
	d->rx_cur = NULL;
	mutex_unlock(&d->lock);
}

static const struct vser_port_ops vdip_ops = {
	.tx = vdip_tx,
	.tx_get = vdip_tx_get,
	.rx_get = vdip_rx_get,
	.rx_put = vdip_rx_put,
	.rx_kick = vdip_rx_kick,
	.guest_open = vdip_guest_open,
	.release_bufs = vdip_release_bufs,
};

/* ---- PCI ----------------------------------------------------------------- */

/* The device's RAM as it must look before we use it. */
static int vdip_check_ram(struct vdip_dev *d)
{
	struct vdiport_ram *ram = d->ram;

	if (le32_to_cpu(READ_ONCE(ram->magic)) != VDIPORT_MAGIC) {
		dev_err(&d->pdev->dev, "bad magic %#x\n",
			le32_to_cpu(READ_ONCE(ram->magic)));
		return -ENODEV;
	}
	if (le32_to_cpu(READ_ONCE(ram->input.num_items)) != VDIPORT_RING_ITEMS ||
	    le32_to_cpu(READ_ONCE(ram->output.num_items)) != VDIPORT_RING_ITEMS) {
		dev_err(&d->pdev->dev, "unexpected ring sizes\n");
		return -ENODEV;
	}
	/* continue from the published indices (module reload without reset) */
	vdiport_prod_init(&d->out, &ram->output,
			  le32_to_cpu(READ_ONCE(ram->output.prod)));
	vdiport_cons_init(&d->in, &ram->input,
			  le32_to_cpu(READ_ONCE(ram->input.cons)));
	if (vdiport_prod_free(&d->out) < 0 || vdiport_cons_avail(&d->in) < 0) {
		dev_err(&d->pdev->dev, "ring indices out of range\n");
		return -ENODEV;
	}
	return 0;
}

static int vdip_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vdip_dev *d;
	int r;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->pdev = pdev;
	mutex_init(&d->lock);
	INIT_WORK(&d->work, vdip_work);
	INIT_LIST_HEAD(&d->tx_q);
	INIT_LIST_HEAD(&d->tx_done);
	INIT_LIST_HEAD(&d->rx_free);
	INIT_LIST_HEAD(&d->rx_full);
	pci_set_drvdata(pdev, d);

	r = pci_enable_device(pdev);
	if (r)
		goto undo_alloc;
	r = pci_request_regions(pdev, "vdagent_vdiport");
	if (r)
		goto undo_enable;
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_IO) ||
	    pci_resource_len(pdev, 0) < VDIPORT_IO_SIZE ||
	    !(pci_resource_flags(pdev, 1) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 1) < sizeof(struct vdiport_ram)) {
		dev_err(&pdev->dev, "unexpected BARs\n");
		r = -ENODEV;
		goto undo_regions;
	}
	d->io = pci_iomap(pdev, 0, VDIPORT_IO_SIZE);
	if (!d->io) {
		r = -ENOMEM;
		goto undo_regions;
	}
	d->ram = memremap(pci_resource_start(pdev, 1),
			  sizeof(struct vdiport_ram), MEMREMAP_WB);
	if (!d->ram) {
		r = -ENOMEM;
		goto undo_iomap;
	}
	r = vdip_check_ram(d);
	if (r)
		goto undo_memremap;
	d->gen = vdiport_generation(d->ram);

	r = ida_alloc(&vdip_ida, GFP_KERNEL);
	if (r < 0)
		goto undo_memremap;
	d->devnum = r;
	d->port = vser_port_new(&pdev->dev, d->devnum, 0, &vdip_ops, d);
	if (IS_ERR(d->port)) {
		r = PTR_ERR(d->port);
		goto undo_ida;
	}
	vser_port_fill_rx(d->port, clamp(vser_rx_bufs, 1U, 1024U));

	r = request_irq(pdev->irq, vdip_irq, IRQF_SHARED, "vdagent_vdiport", d);
	if (r)
		goto undo_port;
	WRITE_ONCE(d->ram->int_mask, cpu_to_le32(VDIPORT_INTERRUPT));
	iowrite32(1, d->io + VDIPORT_IO_UPDATE_IRQ);
	vser_port_set_name(d->port, VDIP_PORT_NAME, sizeof(VDIP_PORT_NAME));
	schedule_work(&d->work);
	dev_info(&pdev->dev, "VDI port, generation %u, /dev/vport%dp0\n",
		 d->gen, d->devnum);
	return 0;

undo_port:
	vser_port_unplug(d->port);
	vser_port_put(d->port);
	cancel_work_sync(&d->work);
undo_ida:
	ida_free(&vdip_ida, d->devnum);
undo_memremap:
	memunmap(d->ram);
undo_iomap:
	pci_iounmap(pdev, d->io);
undo_regions:
	pci_release_regions(pdev);
undo_enable:
	pci_disable_device(pdev);
undo_alloc:
	kfree(d);
	return r;
}

static void vdip_remove(struct pci_dev *pdev)
{
	struct vdip_dev *d = pci_get_drvdata(pdev);

	WRITE_ONCE(d->ram->int_mask, 0);
	iowrite32(1, d->io + VDIPORT_IO_UPDATE_IRQ);
	free_irq(pdev->irq, d);
	cancel_work_sync(&d->work);
	vser_port_unplug(d->port);	/* no ops, so no new work, from here */
	cancel_work_sync(&d->work);
	iowrite32(0, d->io + VDIPORT_IO_CONNECTION);
	vser_port_put(d->port);
	ida_free(&vdip_ida, d->devnum);
	memunmap(d->ram);
	pci_iounmap(pdev, d->io);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	kfree(d);
}

static ssize_t stats_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct vdip_dev *d = dev_get_drvdata(dev);

	return sysfs_emit(buf,
			  "irqs %lu\nnotifies %lu\ntx_packets %lu\n"
			  "tx_ring_full %lu\nrx_packets %lu\ndrops_stale %lu\n"
			  "drops_corrupt %lu\n",
			  READ_ONCE(d->irqs), READ_ONCE(d->notifies),
			  READ_ONCE(d->tx_packets), READ_ONCE(d->tx_ring_full),
			  READ_ONCE(d->rx_packets), READ_ONCE(d->drops_stale),
			  READ_ONCE(d->drops_corrupt));
}
static DEVICE_ATTR_RO(stats);

static struct attribute *vdip_attrs[] = {
	&dev_attr_stats.attr,
	NULL
};
ATTRIBUTE_GROUPS(vdip);

static const struct pci_device_id vdip_ids[] = {
	{ PCI_DEVICE(VDIPORT_PCI_VENDOR, VDIPORT_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vdip_ids);

static struct pci_driver vdip_driver = {
	.name = "vdagent_vdiport",
	.id_table = vdip_ids,
	.probe = vdip_probe,
	.remove = vdip_remove,
	.dev_groups = vdip_groups,
};

int vdip_pci_init(void)
{
	return pci_register_driver(&vdip_driver);
}

void vdip_pci_exit(void)
{
	pci_unregister_driver(&vdip_driver);
}
