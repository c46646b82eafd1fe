/* SPDX-License-Identifier: MIT */
/*
 * The VDI port ring core: one producer end and one consumer end of a
 * struct vdiport_ring in memory shared with an untrusted peer.
 *
 * Plain C with no dependency beyond the C library (or, under __KERNEL__,
 * the kernel's barrier and byte-order helpers): the QEMU device and the
 * guest driver both use it, and tests/ exercise it on the host.
 *
 * Each end keeps its own index privately (prod for a producer, cons for a
 * consumer) and only publishes it into the ring; the peer's index is read
 * from shared memory on every call and checked: a distance prod - cons
 * above VDIPORT_RING_ITEMS makes the call fail with VDIPORT_RING_CORRUPT
 * and touch nothing.  Packet sizes are checked before any copy.
 */
#ifndef VDIPORT_RING_H
#define VDIPORT_RING_H

#include "vdiport.h"

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#define VDIPORT_RING_CORRUPT (-1)

struct vdiport_prod {
    struct vdiport_ring *ring;  /* shared memory */
    uint32_t prod;              /* ours; published to ring->prod */
};

struct vdiport_cons {
    struct vdiport_ring *ring;  /* shared memory */
    uint32_t cons;              /* ours; published to ring->cons */
};

/* Packets a consumer dropped instead of delivering. */
struct vdiport_drops {
    uint32_t stale;             /* gen was not the current generation */
    uint32_t corrupt;           /* size 0 or above VDIPORT_PACKET_DATA */
};

/* Device side: the reset state of one ring / of the whole RAM (vdiport.h). */
void vdiport_ring_reset(struct vdiport_ring *ring);
void vdiport_ram_reset(struct vdiport_ram *ram, uint32_t generation);
/* The generation after g: g + 1, skipping 0. */
uint32_t vdiport_next_generation(uint32_t g);

/* Interrupt bits: atomic or / exchange on ram->int_pending. */
void vdiport_int_raise(struct vdiport_ram *ram, uint32_t bits);
uint32_t vdiport_int_take(struct vdiport_ram *ram);
/* (int_pending & int_mask) != 0 */
bool vdiport_int_level(const struct vdiport_ram *ram);
uint32_t vdiport_generation(const struct vdiport_ram *ram);

/* Start an end at a known index (0 after reset, or a saved one). */
void vdiport_prod_init(struct vdiport_prod *p, struct vdiport_ring *ring,
                       uint32_t prod);
void vdiport_cons_init(struct vdiport_cons *c, struct vdiport_ring *ring,
                       uint32_t cons);

/* Free packet slots (0..32), or VDIPORT_RING_CORRUPT. */
int vdiport_prod_free(const struct vdiport_prod *p);

/*
 * Write up to len bytes as packets of at most VDIPORT_PACKET_DATA bytes
 * stamped with gen, as many as there are free slots.  Returns the bytes
 * written (0 if the ring is full or len is 0) or VDIPORT_RING_CORRUPT.
 * *notify is set when the consumer asked to hear about this (notify_on_prod
 * crossed), left alone otherwise.
 */
long vdiport_prod_write(struct vdiport_prod *p, uint32_t gen,
                        const void *buf, size_t len, bool *notify);

/*
 * Ask the consumer to notify once half the ring is free (cons reaches
 * prod - 16).  Returns true if a slot is free already (re-checked after
 * publishing the request): go on writing.
 */
bool vdiport_prod_wait(struct vdiport_prod *p);

/*
 * Take the next packet of generation gen: copies its data into buf (room
 * for VDIPORT_PACKET_DATA bytes) and returns its size (1..504); 0 when the
 * ring holds no packet of gen; VDIPORT_RING_CORRUPT.  Stale and corrupt
 * packets on the way are consumed and counted in *drops.  *notify is set
 * when the producer asked to hear about this (notify_on_cons crossed).
 */
int vdiport_cons_pop(struct vdiport_cons *c, uint32_t gen, uint8_t *buf,
                     bool *notify, struct vdiport_drops *drops);

/* Packets waiting (0..32), or VDIPORT_RING_CORRUPT. */
int vdiport_cons_avail(const struct vdiport_cons *c);

/*
 * Ask the producer to notify when it adds a packet.  Returns true if one
 * is there already (re-checked after publishing the request): go on reading.
 */
bool vdiport_cons_wait(struct vdiport_cons *c);

#endif
