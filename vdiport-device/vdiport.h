/* SPDX-License-Identifier: MIT */
/*
 * The VDI port: guest-visible ABI, shared by the QEMU device (vdi-port.c),
 * the ring core (vdiport-ring.c) and the guest driver.
 *
 * Layout and names follow spice-protocol's historical vdi_dev.h; everything
 * that header left undefined is defined here.  All fields are little-endian.
 *
 * PCI: vendor 0x1b36, device 0x0105, revision 1, class "other communication".
 *
 * BAR 0, I/O, 16 bytes (PCI BAR sizes are powers of two) of which the
 * first 12 are registers; 32-bit accesses only (others are ignored as guest
 * errors):
 *   CONNECTION (0)  read:  bit 0 = the host side (chardev) is connected.
 *                   write: bit 0 = the guest has the port open (1) or closed
 *                          (0); the device reflects it to the chardev, which
 *                          for spicevmc means "the agent is attached".
 *   NOTIFY (4)      write any value: the guest produced into the output ring
 *                   and/or consumed from the input ring; the device drains
 *                   the output ring and refills the input ring.  Reads 0.
 *   UPDATE_IRQ (8)  write any value: the device sets its interrupt line to
 *                   (int_pending & int_mask) != 0, as read now from RAM.
 *                   Reads 0.
 *
 * BAR 1, memory (RAM, 64 KiB, of which sizeof(struct vdiport_ram) is used).
 *
 * Directions: "input" is device -> guest (the device produces, the guest
 * consumes), "output" is guest -> device.
 *
 * Rings: num_items is 32 and written only by the device at reset.  prod and
 * cons are free-running 32-bit counters; slot = counter % 32; the ring is
 * empty when prod == cons and full when prod - cons == 32.  Any other
 * distance is a corrupt ring: the side that sees it uses none of it (the
 * device logs a guest error; the driver marks the device broken).  Each side
 * keeps its own index (the producer's prod, the consumer's cons) privately
 * and only publishes it: what the other side writes there is never read back.
 *
 * A packet carries 1..504 bytes of the byte stream (size), stamped with the
 * generation (gen) it was written in.  A consumer drops, without delivering
 * a byte, a packet whose size is 0 or above 504 (corrupt) or whose gen is not
 * the current generation (stale); dropping still advances cons.
 *
 * Notification (spice ring convention): a consumer that wants to hear about
 * new packets sets notify_on_prod to the prod value it waits for (its cons
 * + 1); a producer that advanced prod from p0 to p1 notifies if
 * notify_on_prod lies in (p0, p1].  Likewise a producer waiting for room sets
 * notify_on_cons to the cons value it waits for (both our ends use prod - 16:
 * half the ring free), and a consumer that advanced
 * cons from c0 to c1 notifies if notify_on_cons lies in (c0, c1].  After
 * setting a notify_on_* field the waiter re-reads the index it waits on (full
 * barrier between) so no wake-up is lost.  "Notify" means: the device raises
 * the interrupt, the guest writes NOTIFY.
 *
 * Interrupt: the device raises it by setting VDIPORT_INTERRUPT in int_pending
 * (atomic or) and asserting INTx if (int_pending & int_mask).  It does so
 * when notify_on_prod of the input ring or notify_on_cons of the output ring
 * is crossed, when the host side connects or disconnects, and when the
 * generation changes.  The guest clears int_pending (atomic exchange with 0),
 * writes UPDATE_IRQ, then re-examines CONNECTION, generation and both rings.
 *
 * Generation: the device bumps it (+1, never 0) on every device reset and
 * every time the host side (re)connects, i.e. for every new SPICE client.
 * The device keeps its ring indices across a bump; packets written under an
 * older generation are dropped by whichever side consumes them, so a
 * half-sent message of the old session never reaches the new one.  The
 * driver treats a generation change as a hang-up of the port followed by a
 * new connection (readers see the old stream end before the new one starts).
 *
 * Restore (loadvm, incoming migration): the host side of the chardev was
 * not saved with the device, so a loaded device starts a new session: a new
 * generation, its partial output packet and the output ring's stale
 * packets dropped, the guest side reported closed to the chardev; and if
 * the guest had the port open, CONNECTION reads 0 until the guest writes
 * bit 0 clear (closes the port), after which the device raises the
 * interrupt and CONNECTION shows the host side again.
 *
 * Reset (PCI reset, system_reset, power-on): the device writes magic, the
 * next generation, int_pending = int_mask = 0, both rings num_items = 32,
 * prod = cons = 0, notify_on_prod = 1, notify_on_cons = 0, and the reserved
 * words 0; it drops its partial output packet, reports the guest side closed
 * to the chardev and lowers the interrupt line.  That is the idle state.
 */
#ifndef VDIPORT_H
#define VDIPORT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define VDIPORT_PCI_VENDOR      0x1b36
#define VDIPORT_PCI_DEVICE      0x0105
#define VDIPORT_PCI_REVISION    1

/* BAR 0 registers (byte offsets) */
#define VDIPORT_IO_CONNECTION   0
#define VDIPORT_IO_NOTIFY       4
#define VDIPORT_IO_UPDATE_IRQ   8
#define VDIPORT_IO_SIZE         12

#define VDIPORT_CONNECTED       (1u << 0)   /* CONNECTION bit */
#define VDIPORT_INTERRUPT       (1u << 0)   /* int_pending / int_mask bit */

/* The bytes "VDIP" read as a little-endian u32 */
#define VDIPORT_MAGIC           0x50494456u

#define VDIPORT_RING_ITEMS      32u
#define VDIPORT_PACKET_DATA     504u
#define VDIPORT_RAM_BAR_SIZE    0x10000u

struct vdiport_packet {
    uint32_t gen;
    uint32_t size;
    uint8_t data[VDIPORT_PACKET_DATA];
};  /* 512 bytes: already a power of two, so no ring padding */

struct vdiport_ring {
    uint32_t num_items;
    uint32_t prod;
    uint32_t notify_on_prod;
    uint32_t cons;
    uint32_t notify_on_cons;
    struct vdiport_packet items[VDIPORT_RING_ITEMS];
};

struct vdiport_ram {
    uint32_t magic;
    uint32_t generation;
    uint32_t int_pending;
    uint32_t int_mask;
    struct vdiport_ring input;      /* device -> guest */
    struct vdiport_ring output;     /* guest -> device */
    uint32_t reserv[32];
};

/* The historical layout, checked at compile time wherever this is built. */
_Static_assert(sizeof(struct vdiport_packet) == 512, "packet size");
_Static_assert(sizeof(struct vdiport_ring) == 20 + 32 * 512, "ring size");
_Static_assert(__builtin_offsetof(struct vdiport_ram, input) == 16, "input");
_Static_assert(__builtin_offsetof(struct vdiport_ram, output) == 16 + 16404,
               "output");
_Static_assert(sizeof(struct vdiport_ram) == 16 + 2 * 16404 + 128, "ram");
_Static_assert(sizeof(struct vdiport_ram) <= VDIPORT_RAM_BAR_SIZE, "bar");

#endif
