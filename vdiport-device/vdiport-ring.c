/* SPDX-License-Identifier: MIT */
/*
 * The VDI port ring core (see vdiport-ring.h and vdiport.h).
 *
 * Shared memory is accessed only through the helpers below: acquire loads
 * of the peer's fields, release stores of ours, a full barrier between
 * publishing an index and reading the peer's notify request (and between
 * publishing a request and re-reading the index).
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>
#else
#include <endian.h>
#include <string.h>
#endif

#include "vdiport-ring.h"

#ifdef __KERNEL__
#define le_to_cpu(v) __le32_to_cpu(v)
#define cpu_to_le(v) __cpu_to_le32(v)

static inline uint32_t ld(const uint32_t *p)
{
    return le_to_cpu(smp_load_acquire(p));
}

static inline void st(uint32_t *p, uint32_t v)
{
    smp_store_release(p, cpu_to_le(v));
}

/* A field the peer may change under us, read exactly once. */
static inline uint32_t once(const uint32_t *p)
{
    return READ_ONCE(*p);
}

static inline void full_barrier(void)
{
    smp_mb();   /* publish an index, then read the peer's request */
}

static inline void or32(uint32_t *p, uint32_t v)
{
    uint32_t old;

    do {
        old = READ_ONCE(*p);
    } while (cmpxchg(p, old, old | cpu_to_le(v)) != old);
}

static inline uint32_t xchg32(uint32_t *p, uint32_t v)
{
    return le_to_cpu(xchg(p, cpu_to_le(v)));
}
#else
#define le_to_cpu(v) le32toh(v)
#define cpu_to_le(v) htole32(v)

static inline uint32_t ld(const uint32_t *p)
{
    return le_to_cpu(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

static inline void st(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, cpu_to_le(v), __ATOMIC_RELEASE);
}

/* A field the peer may change under us, read exactly once. */
static inline uint32_t once(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void full_barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void or32(uint32_t *p, uint32_t v)
{
    __atomic_fetch_or(p, cpu_to_le(v), __ATOMIC_SEQ_CST);
}

static inline uint32_t xchg32(uint32_t *p, uint32_t v)
{
    return le_to_cpu(__atomic_exchange_n(p, cpu_to_le(v), __ATOMIC_SEQ_CST));
}
#endif

#define SLOT(i) ((i) & (VDIPORT_RING_ITEMS - 1))

/* Does mark lie in (from, to], counting modulo 2^32? */
static bool crossed(uint32_t mark, uint32_t from, uint32_t to)
{
    return (uint32_t)(mark - from - 1) < (uint32_t)(to - from);
}

void vdiport_ring_reset(struct vdiport_ring *ring)
{
    memset(ring, 0, sizeof(*ring));
    st(&ring->num_items, VDIPORT_RING_ITEMS);
    st(&ring->notify_on_prod, 1);
}

void vdiport_ram_reset(struct vdiport_ram *ram, uint32_t generation)
{
    memset(ram, 0, sizeof(*ram));
    vdiport_ring_reset(&ram->input);
    vdiport_ring_reset(&ram->output);
    st(&ram->generation, generation);
    st(&ram->magic, VDIPORT_MAGIC);
}

uint32_t vdiport_next_generation(uint32_t g)
{
    return g + 1 ? g + 1 : 1;
}

void vdiport_int_raise(struct vdiport_ram *ram, uint32_t bits)
{
    or32(&ram->int_pending, bits);
}

uint32_t vdiport_int_take(struct vdiport_ram *ram)
{
    return xchg32(&ram->int_pending, 0);
}

bool vdiport_int_level(const struct vdiport_ram *ram)
{
    return (ld(&ram->int_pending) & ld(&ram->int_mask)) != 0;
}

uint32_t vdiport_generation(const struct vdiport_ram *ram)
{
    return ld(&ram->generation);
}

void vdiport_prod_init(struct vdiport_prod *p, struct vdiport_ring *ring,
                       uint32_t prod)
{
    p->ring = ring;
    p->prod = prod;
}

void vdiport_cons_init(struct vdiport_cons *c, struct vdiport_ring *ring,
                       uint32_t cons)
{
    c->ring = ring;
    c->cons = cons;
}

int vdiport_prod_free(const struct vdiport_prod *p)
{
    uint32_t used = p->prod - ld(&p->ring->cons);

    if (used > VDIPORT_RING_ITEMS) {
        return VDIPORT_RING_CORRUPT;
    }
    return (int)(VDIPORT_RING_ITEMS - used);
}

long vdiport_prod_write(struct vdiport_prod *p, uint32_t gen,
                        const void *buf, size_t len, bool *notify)
{
    const uint8_t *src = buf;
    uint32_t from = p->prod;
    size_t done = 0;
    int room = vdiport_prod_free(p);

    if (room < 0) {
        return VDIPORT_RING_CORRUPT;
    }
    while (room > 0 && done < len) {
        struct vdiport_packet *pkt = &p->ring->items[SLOT(p->prod)];
        size_t n = len - done;

        if (n > VDIPORT_PACKET_DATA) {
            n = VDIPORT_PACKET_DATA;
        }
        memcpy(pkt->data, src + done, n);
        pkt->gen = cpu_to_le(gen);
        pkt->size = cpu_to_le((uint32_t)n);
        p->prod++;
        done += n;
        room--;
    }
    if (p->prod != from) {
        st(&p->ring->prod, p->prod);
        full_barrier();
        if (crossed(ld(&p->ring->notify_on_prod), from, p->prod)) {
            *notify = true;
        }
    }
    return (long)done;
}

bool vdiport_prod_wait(struct vdiport_prod *p)
{
    /*
     * Hear back once half the ring is free: one notification per 16
     * packets instead of one per packet while the consumer catches up.
     */
    st(&p->ring->notify_on_cons, p->prod - VDIPORT_RING_ITEMS / 2);
    full_barrier();
    return vdiport_prod_free(p) != 0;
}

int vdiport_cons_avail(const struct vdiport_cons *c)
{
    uint32_t avail = ld(&c->ring->prod) - c->cons;

    if (avail > VDIPORT_RING_ITEMS) {
        return VDIPORT_RING_CORRUPT;
    }
    return (int)avail;
}

int vdiport_cons_pop(struct vdiport_cons *c, uint32_t gen, uint8_t *buf,
                     bool *notify, struct vdiport_drops *drops)
{
    uint32_t from = c->cons;
    int avail = vdiport_cons_avail(c);
    int ret = 0;

    if (avail < 0) {
        return VDIPORT_RING_CORRUPT;
    }
    while (avail > 0 && ret == 0) {
        const struct vdiport_packet *pkt = &c->ring->items[SLOT(c->cons)];
        uint32_t size = le_to_cpu(once(&pkt->size));
        uint32_t pgen = le_to_cpu(once(&pkt->gen));

        if (size == 0 || size > VDIPORT_PACKET_DATA) {
            drops->corrupt++;
        } else if (pgen != gen) {
            drops->stale++;
        } else {
            memcpy(buf, pkt->data, size);
            ret = (int)size;
        }
        c->cons++;
        avail--;
    }
    if (c->cons != from) {
        st(&c->ring->cons, c->cons);
        full_barrier();
        if (crossed(ld(&c->ring->notify_on_cons), from, c->cons)) {
            *notify = true;
        }
    }
    return ret;
}

bool vdiport_cons_wait(struct vdiport_cons *c)
{
    st(&c->ring->notify_on_prod, c->cons + 1);
    full_barrier();
    return vdiport_cons_avail(c) != 0;
}
