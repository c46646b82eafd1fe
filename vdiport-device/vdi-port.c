/*
 * VDI port: the SPICE agent's PCI channel from before virtio-serial
 *
 * Copyright (c) 2026 the vdagent authors
 *
 * Permission is hereby granted, free of charge, to any person obtaining a
 * copy of this software and associated documentation files (the
 * "Software"), to deal in the Software without restriction, including
 * without limitation the rights to use, copy, modify, merge, publish,
 * distribute, sublicense, and/or sell copies of the Software, and to permit
 * persons to whom the Software is furnished to do so, subject to the
 * following conditions:
 *
 * The above copyright notice and this permission notice shall be included
 * in all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
 * OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
 * MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
 * NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
 * DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 * OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
 * USE OR OTHER DEALINGS IN THE SOFTWARE.
 *
 * The guest-visible ABI (registers, RAM layout, ring and interrupt rules)
 * is documented in vdiport.h; the ring logic is in vdiport-ring.c.  This
 * file connects the rings to a chardev, usually
 *   -chardev spicevmc,id=vdagent,name=vdagent -device vdi-port,chardev=vdagent
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-properties-system.h"
#include "migration/vmstate.h"
#include "chardev/char-fe.h"
#include "qom/object.h"
#include "vdiport-ring.h"

#define TYPE_VDI_PORT "vdi-port"
OBJECT_DECLARE_SIMPLE_TYPE(VDIPortState, VDI_PORT)

/* x-fault bits: a test build of a broken device, for the guest driver */
#define VDI_PORT_FAULT_INDEX    (1u << 0)   /* publish input.prod + 1000 */
#define VDI_PORT_FAULT_SIZE     (1u << 1)   /* input packets of size 0xffff */

struct VDIPortState {
    PCIDevice parent_obj;

    MemoryRegion io;
    MemoryRegion ram;
    CharBackend chr;
    uint32_t fault;

    struct vdiport_ram *shm;    /* BAR 1, shared with the guest */
    struct vdiport_prod in;     /* we produce the input ring */
    struct vdiport_cons out;    /* we consume the output ring */
    uint32_t generation;
    bool host_connected;        /* chardev open */
    bool guest_open;            /* CONNECTION bit 0 as last written */
    bool restarting;            /* loaded; waiting for the guest to close */
    bool corrupt;               /* a ring was corrupt; logged once */

    /* the output packet being written to the chardev */
    uint8_t out_buf[VDIPORT_PACKET_DATA];
    uint32_t out_len;
    uint32_t out_pos;
    guint watch;
};

/* BAR 0 registers, see vdiport.h */
enum {
    VDI_PORT_REG_CONNECTION = VDIPORT_IO_CONNECTION,
    VDI_PORT_REG_NOTIFY = VDIPORT_IO_NOTIFY,
    VDI_PORT_REG_UPDATE_IRQ = VDIPORT_IO_UPDATE_IRQ,
};

static void vdi_port_dirty(VDIPortState *s)
{
    memory_region_set_dirty(&s->ram, 0, sizeof(struct vdiport_ram));
}

static void vdi_port_update_irq(VDIPortState *s)
{
    pci_set_irq(&s->parent_obj, vdiport_int_level(s->shm));
}

static void vdi_port_interrupt(VDIPortState *s)
{
    vdiport_int_raise(s->shm, VDIPORT_INTERRUPT);
    vdi_port_dirty(s);
    vdi_port_update_irq(s);
}

static void vdi_port_ring_corrupt(VDIPortState *s, const char *ring)
{
    if (!s->corrupt) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "vdi-port: %s ring indices out of range, ring ignored\n",
                      ring);
        s->corrupt = true;
    }
}

static void vdi_port_new_generation(VDIPortState *s)
{
    s->generation = vdiport_next_generation(s->generation);
    s->shm->generation = cpu_to_le32(s->generation);
    s->out_len = 0;
    s->out_pos = 0;
    vdi_port_interrupt(s);
}

/* Chardev -> input ring */

static int vdi_port_can_receive(void *opaque)
{
    VDIPortState *s = opaque;
    int room = vdiport_prod_free(&s->in);

    if (room == 0 && vdiport_prod_wait(&s->in)) {
        room = vdiport_prod_free(&s->in);
    }
    if (room < 0) {
        vdi_port_ring_corrupt(s, "input");
        return 0;
    }
    return room * VDIPORT_PACKET_DATA;
}

static void vdi_port_receive(void *opaque, const uint8_t *buf, int size)
{
    VDIPortState *s = opaque;
    bool notify = false;
    long n = vdiport_prod_write(&s->in, s->generation, buf, size, &notify);

    if (n < 0) {
        vdi_port_ring_corrupt(s, "input");
        return;
    }
    if (n < size) {
        /* can_receive said there was room; only the guest can shrink it */
        qemu_log_mask(LOG_GUEST_ERROR,
                      "vdi-port: input ring shrank, %ld bytes dropped\n",
                      (long)size - n);
    }
    if (s->fault & VDI_PORT_FAULT_SIZE) {
        s->shm->input.items[(s->in.prod - 1) % VDIPORT_RING_ITEMS].size =
            cpu_to_le32(0xffff);
    }
    if (s->fault & VDI_PORT_FAULT_INDEX) {
        s->shm->input.prod = cpu_to_le32(s->in.prod + 1000);
    }
    vdi_port_dirty(s);
    if (notify) {
        vdi_port_interrupt(s);
    }
}

/* Output ring -> chardev */

static void vdi_port_drain_output(VDIPortState *s);

static gboolean vdi_port_chr_writable(void *do_not_use, GIOCondition cond,
                                      void *opaque)
{
    VDIPortState *s = opaque;

    s->watch = 0;
    vdi_port_drain_output(s);
    return G_SOURCE_REMOVE;
}

static void vdi_port_drain_output(VDIPortState *s)
{
    bool notify = false;

    if (s->watch) {
        return;
    }
    for (;;) {
        struct vdiport_drops drops = { 0 };
        int n;

        if (s->out_pos < s->out_len) {
            if (!qemu_chr_fe_backend_connected(&s->chr)) {
                s->out_pos = s->out_len;    /* nothing behind us: discard */
                continue;
            }
            n = qemu_chr_fe_write(&s->chr, s->out_buf + s->out_pos,
                                  s->out_len - s->out_pos);
            if (n > 0) {
                s->out_pos += n;
            }
            if (s->out_pos < s->out_len) {
                s->watch = qemu_chr_fe_add_watch(&s->chr, G_IO_OUT | G_IO_HUP,
                                                 vdi_port_chr_writable, s);
                if (!s->watch) {
                    s->out_pos = s->out_len;    /* closed: discard */
                    continue;
                }
                break;
            }
            continue;
        }
        n = vdiport_cons_pop(&s->out, s->generation, s->out_buf, &notify,
                             &drops);
        if (drops.corrupt) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "vdi-port: %u output packets with a bad size\n",
                          drops.corrupt);
        }
        if (n < 0) {
            vdi_port_ring_corrupt(s, "output");
            break;
        }
        if (n == 0) {
            if (vdiport_cons_wait(&s->out)) {
                continue;
            }
            break;
        }
        s->out_len = n;
        s->out_pos = 0;
    }
    vdi_port_dirty(s);
    if (notify) {
        vdi_port_interrupt(s);
    }
}

static void vdi_port_event(void *opaque, QEMUChrEvent event)
{
    VDIPortState *s = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        s->host_connected = true;
        vdi_port_new_generation(s);
        break;
    case CHR_EVENT_CLOSED:
        s->host_connected = false;
        s->out_len = 0;
        s->out_pos = 0;
        vdi_port_interrupt(s);
        break;
    default:
        break;
    }
}

/* BAR 0 */

static uint64_t vdi_port_io_read(void *opaque, hwaddr addr, unsigned size)
{
    VDIPortState *s = opaque;

    switch (addr) {
    case VDI_PORT_REG_CONNECTION:
        return s->host_connected && !s->restarting ? VDIPORT_CONNECTED : 0;
    case VDI_PORT_REG_NOTIFY:
    case VDI_PORT_REG_UPDATE_IRQ:
        return 0;
    default:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "vdi-port: read of unknown register 0x%" HWADDR_PRIx
                      "\n", addr);
        return 0;
    }
}

static void vdi_port_io_write(void *opaque, hwaddr addr, uint64_t val,
                              unsigned size)
{
    VDIPortState *s = opaque;

    switch (addr) {
    case VDI_PORT_REG_CONNECTION:
        s->guest_open = val & VDIPORT_CONNECTED;
        if (s->restarting && !s->guest_open) {
            /* the guest closed the port: show it the host side again */
            s->restarting = false;
            vdi_port_interrupt(s);
        }
        qemu_chr_fe_set_open(&s->chr, s->guest_open && !s->restarting);
        break;
    case VDI_PORT_REG_NOTIFY:
        s->corrupt = false;
        vdi_port_drain_output(s);
        qemu_chr_fe_accept_input(&s->chr);
        break;
    case VDI_PORT_REG_UPDATE_IRQ:
        vdi_port_update_irq(s);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "vdi-port: write to unknown register 0x%" HWADDR_PRIx
                      "\n", addr);
        break;
    }
}

static const MemoryRegionOps vdi_port_io_ops = {
    .read = vdi_port_io_read,
    .write = vdi_port_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/* Reset: the idle state documented in vdiport.h */

static void vdi_port_reset(DeviceState *dev)
{
    VDIPortState *s = VDI_PORT(dev);

    if (s->watch) {
        g_source_remove(s->watch);
        s->watch = 0;
    }
    s->generation = vdiport_next_generation(s->generation);
    vdiport_ram_reset(s->shm, s->generation);
    vdiport_prod_init(&s->in, &s->shm->input, 0);
    vdiport_cons_init(&s->out, &s->shm->output, 0);
    s->out_len = 0;
    s->out_pos = 0;
    s->corrupt = false;
    s->restarting = false;
    if (s->guest_open) {
        s->guest_open = false;
        qemu_chr_fe_set_open(&s->chr, false);
    }
    vdi_port_dirty(s);
    pci_set_irq(&s->parent_obj, 0);
}

static void vdi_port_realize(PCIDevice *pdev, Error **errp)
{
    ERRP_GUARD();
    VDIPortState *s = VDI_PORT(pdev);

    pci_config_set_interrupt_pin(pdev->config, 1);

    /* PCI BAR sizes are powers of two: 16 bytes, registers in the first 12 */
    memory_region_init_io(&s->io, OBJECT(s), &vdi_port_io_ops, s,
                          "vdi-port-io", 16);
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_IO, &s->io);

    memory_region_init_ram(&s->ram, OBJECT(s), "vdi-port.ram",
                           VDIPORT_RAM_BAR_SIZE, errp);
    if (*errp) {
        return;
    }
    pci_register_bar(pdev, 1, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->ram);
    s->shm = memory_region_get_ram_ptr(&s->ram);

    s->generation = 0;
    vdi_port_reset(DEVICE(s));

    qemu_chr_fe_set_handlers(&s->chr, vdi_port_can_receive, vdi_port_receive,
                             vdi_port_event, NULL, s, NULL, false);
}

static void vdi_port_exit(PCIDevice *pdev)
{
    VDIPortState *s = VDI_PORT(pdev);

    if (s->watch) {
        g_source_remove(s->watch);
        s->watch = 0;
    }
    qemu_chr_fe_deinit(&s->chr, false);
}

/* Migration: the RAM BAR migrates as RAM; this is the device's side */

static int vdi_port_post_load(void *opaque, int version_id)
{
    VDIPortState *s = opaque;

    if (s->out_len > VDIPORT_PACKET_DATA || s->out_pos > s->out_len) {
        return -EINVAL;
    }
    /*
     * The guest resumes its two byte streams where the saved state left
     * them, but the host side of the chardev was not saved with us: after
     * loadvm, spice-server is wherever the session went since savevm (a
     * message half read, or one the guest is about to send again), and
     * the guest's stream from the middle of a message is garbage to it.
     * So a loaded device restarts the session, both ends:
     * - the chardev sees the guest side closed (spicevmc drops its agent
     *   state, half-parsed messages included) until the guest opens the
     *   port again;
     * - if the guest had the port open, CONNECTION reads "host side not
     *   connected" until the guest writes it closed: a hang-up the driver
     *   keeps reporting until its user closes the port, where a generation
     *   change alone is a moment's one that a busy reader can miss;
     * - the generation changes, so packets in flight either way are
     *   dropped as stale, and the output ring is drained of them at once
     *   for a guest waiting for room.
     */
    if (s->watch) {
        g_source_remove(s->watch);
        s->watch = 0;
    }
    s->restarting = s->guest_open;
    qemu_chr_fe_set_open(&s->chr, false);
    s->host_connected = qemu_chr_fe_backend_open(&s->chr);
    s->corrupt = false;
    vdi_port_new_generation(s);
    vdi_port_drain_output(s);
    return 0;
}

static const VMStateDescription vmstate_vdi_port = {
    .name = "vdi-port",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = vdi_port_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, VDIPortState),
        VMSTATE_UINT32(generation, VDIPortState),
        VMSTATE_UINT32(in.prod, VDIPortState),
        VMSTATE_UINT32(out.cons, VDIPortState),
        VMSTATE_BOOL(guest_open, VDIPortState),
        VMSTATE_UINT32(out_len, VDIPortState),
        VMSTATE_UINT32(out_pos, VDIPortState),
        VMSTATE_UINT8_ARRAY(out_buf, VDIPortState, VDIPORT_PACKET_DATA),
        VMSTATE_END_OF_LIST()
    }
};

static Property vdi_port_properties[] = {
    DEFINE_PROP_CHR("chardev", VDIPortState, chr),
    DEFINE_PROP_UINT32("x-fault", VDIPortState, fault, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void vdi_port_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = vdi_port_realize;
    k->exit = vdi_port_exit;
    k->vendor_id = VDIPORT_PCI_VENDOR;
    k->device_id = VDIPORT_PCI_DEVICE;
    k->revision = VDIPORT_PCI_REVISION;
    k->class_id = PCI_CLASS_COMMUNICATION_OTHER;
    dc->desc = "SPICE agent VDI port";
    dc->reset = vdi_port_reset;
    dc->vmsd = &vmstate_vdi_port;
    device_class_set_props(dc, vdi_port_properties);
    set_bit(DEVICE_CATEGORY_INPUT, dc->categories);
}

static const TypeInfo vdi_port_info = {
    .name = TYPE_VDI_PORT,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VDIPortState),
    .class_init = vdi_port_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { },
    },
};

static void vdi_port_register_types(void)
{
    type_register_static(&vdi_port_info);
}

type_init(vdi_port_register_types)
