/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the VDI port ring core: layout, wrap-around, full and
 * empty rings, notification thresholds, generation change mid-message, and
 * hostile indices and sizes written by the peer.
 */
#include <stdlib.h>

#include "../tests/unit/tap.h"
#include "vdiport-ring.h"

static struct vdiport_ram *ram_new(uint32_t gen)
{
    struct vdiport_ram *ram = aligned_alloc(64, VDIPORT_RAM_BAR_SIZE);

    memset(ram, 0xa5, VDIPORT_RAM_BAR_SIZE);
    vdiport_ram_reset(ram, gen);
    return ram;
}

static void fill(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
    }
}

static void test_reset(void)
{
    struct vdiport_ram *ram = ram_new(7);
    const uint8_t *b = (const uint8_t *)ram;

    is_mem(b, "VDIP", 4, "magic reads \"VDIP\"");
    is_int(ram->generation, 7, "generation set");
    is_int(ram->int_pending | ram->int_mask, 0, "no interrupt");
    is_int(ram->input.num_items, 32, "input has 32 items");
    is_int(ram->output.num_items, 32, "output has 32 items");
    is_int(ram->input.notify_on_prod, 1, "input notify_on_prod 1");
    is_int(ram->output.prod | ram->output.cons | ram->input.prod |
           ram->input.cons | ram->output.notify_on_cons, 0, "indices 0");
    is_int(ram->reserv[31], 0, "reserved words cleared");
    is_int(vdiport_next_generation(1), 2, "next generation +1");
    is_int(vdiport_next_generation(0xffffffffu), 1, "generation skips 0");
    free(ram);
}

static void test_empty_small(void)
{
    struct vdiport_ram *ram = ram_new(1);
    struct vdiport_prod p;
    struct vdiport_cons c;
    struct vdiport_drops d = { 0 };
    uint8_t out[VDIPORT_PACKET_DATA];
    bool n = false;

    vdiport_prod_init(&p, &ram->input, 0);
    vdiport_cons_init(&c, &ram->input, 0);
    is_int(vdiport_cons_pop(&c, 1, out, &n, &d), 0, "empty ring pops 0");
    is_int(vdiport_cons_avail(&c), 0, "empty ring has 0 packets");
    is_int(vdiport_prod_free(&p), 32, "empty ring has 32 free");
    is_int(vdiport_prod_write(&p, 1, "abc", 0, &n), 0, "writing 0 bytes");
    is_int(ram->input.prod, 0, "writing 0 bytes publishes nothing");
    is_int(vdiport_prod_write(&p, 1, "abc", 3, &n), 3, "write 3 bytes");
    ok(n, "first packet crosses notify_on_prod 1 after reset");
    n = false;
    is_int(vdiport_cons_pop(&c, 1, out, &n, &d), 3, "pop 3 bytes");
    is_mem(out, "abc", 3, "same bytes");
    ok(!n, "no notify_on_cons request, no notification");
    is_int(ram->input.cons, 1, "cons published");
    free(ram);
}

/* Stream len bytes through the ring in chunks, starting at index start. */
static void test_stream(uint32_t start, size_t len, const char *what)
{
    struct vdiport_ram *ram = ram_new(3);
    struct vdiport_prod p;
    struct vdiport_cons c;
    struct vdiport_drops d = { 0 };
    uint8_t *in = malloc(len), *got = malloc(len);
    uint8_t pkt[VDIPORT_PACKET_DATA];
    size_t sent = 0, recv = 0;
    int fulls = 0, bad = 0;
    bool n = false;

    ram->input.prod = ram->input.cons = start;
    vdiport_prod_init(&p, &ram->input, start);
    vdiport_cons_init(&c, &ram->input, start);
    fill(in, len, (unsigned)len);
    while (recv < len && bad == 0) {
        size_t chunk = (sent * 7 + 1000) % 9000 + 1;
        long w;

        if (chunk > len - sent) {
            chunk = len - sent;
        }
        w = vdiport_prod_write(&p, 3, in + sent, chunk, &n);
        if (w < 0) {
            bad++;
            break;
        }
        sent += (size_t)w;
        if (vdiport_prod_free(&p) == 0) {
            fulls++;
            if (vdiport_prod_write(&p, 3, in + sent, 1, &n) != 0) {
                bad++;
            }
        }
        /* read back a varying number of packets */
        for (int k = 0; k < (int)(sent % 40) + 1; k++) {
            int r = vdiport_cons_pop(&c, 3, pkt, &n, &d);

            if (r < 0) {
                bad++;
                break;
            }
            if (r == 0) {
                break;
            }
            memcpy(got + recv, pkt, (size_t)r);
            recv += (size_t)r;
        }
    }
    is_int(bad, 0, "%s: no error", what);
    is_int(recv, len, "%s: every byte arrived", what);
    ok(memcmp(in, got, len) == 0, "%s: in order and intact", what);
    ok(fulls > 0, "%s: the ring filled up (%d times) and refused more",
       what, fulls);
    is_int(d.stale + d.corrupt, 0, "%s: nothing dropped", what);
    free(in);
    free(got);
    free(ram);
}

static void test_full(void)
{
    struct vdiport_ram *ram = ram_new(1);
    struct vdiport_prod p;
    struct vdiport_cons c;
    struct vdiport_drops d = { 0 };
    uint8_t big[40 * VDIPORT_PACKET_DATA], out[VDIPORT_PACKET_DATA];
    bool n = false;
    int notified_at = -1;

    fill(big, sizeof(big), 1);
    vdiport_prod_init(&p, &ram->output, 0);
    vdiport_cons_init(&c, &ram->output, 0);
    is_int(vdiport_prod_write(&p, 1, big, sizeof(big), &n),
           32 * VDIPORT_PACKET_DATA, "a full ring takes 32 packets");
    is_int(vdiport_prod_free(&p), 0, "then none free");
    ok(!vdiport_prod_wait(&p), "wait on a full ring: no room yet");
    is_int(ram->output.notify_on_cons, 16, "asks to hear at cons 16");
    for (int i = 0; i < 32; i++) {
        n = false;
        is_int(vdiport_cons_pop(&c, 1, out, &n, &d), VDIPORT_PACKET_DATA,
               "pop full packet %d", i);
        if (n && notified_at < 0) {
            notified_at = i;
        }
    }
    is_int(notified_at, 15, "producer notified when the 16th packet went");
    ok(memcmp(out, big + 31 * VDIPORT_PACKET_DATA, VDIPORT_PACKET_DATA) == 0,
       "last packet intact");
    ok(!vdiport_cons_wait(&c), "consumer waits on an empty ring");
    is_int(ram->output.notify_on_prod, 33, "asks to hear at prod 33");
    n = false;
    vdiport_prod_write(&p, 1, big, 1, &n);
    ok(n, "next packet notifies");
    n = false;
    vdiport_prod_write(&p, 1, big, 1, &n);
    ok(!n, "the one after does not (no new request)");
    ok(vdiport_cons_wait(&c), "wait re-check sees packets already there");
    free(ram);
}

static void test_generation(void)
{
    struct vdiport_ram *ram = ram_new(5);
    struct vdiport_prod p;
    struct vdiport_cons c;
    struct vdiport_drops d = { 0 };
    uint8_t msg[3 * VDIPORT_PACKET_DATA], out[VDIPORT_PACKET_DATA];
    bool n = false;

    fill(msg, sizeof(msg), 9);
    vdiport_prod_init(&p, &ram->input, 0);
    vdiport_cons_init(&c, &ram->input, 0);
    vdiport_prod_write(&p, 5, msg, sizeof(msg), &n);
    is_int(vdiport_cons_pop(&c, 5, out, &n, &d), VDIPORT_PACKET_DATA,
           "first third of the old message read");
    /* new session: bump the generation mid-message */
    ram->generation = vdiport_next_generation(5);
    vdiport_prod_write(&p, 6, "new", 3, &n);
    is_int(vdiport_cons_pop(&c, vdiport_generation(ram), out, &n, &d), 3,
           "next read is the new session's first packet");
    is_mem(out, "new", 3, "with its bytes");
    is_int(d.stale, 2, "the old message's remaining 2 packets dropped");
    is_int(vdiport_cons_pop(&c, 6, out, &n, &d), 0, "nothing else");
    /* only stale packets: all consumed, nothing delivered */
    vdiport_prod_write(&p, 5, msg, 2 * VDIPORT_PACKET_DATA, &n);
    is_int(vdiport_cons_pop(&c, 6, out, &n, &d), 0, "stale-only ring pops 0");
    is_int(vdiport_cons_avail(&c), 0, "and is drained");
    is_int(d.stale, 4, "2 more stale");
    free(ram);
}

static void test_hostile_indices(void)
{
    struct vdiport_ram *ram = ram_new(1);
    struct vdiport_prod p;
    struct vdiport_cons c;
    struct vdiport_drops d = { 0 };
    uint8_t out[VDIPORT_PACKET_DATA];
    bool n = false;
    static const uint32_t bad_cons[] = { 5, 0xffffffdfu, 0x80000000u };
    static const uint32_t bad_prod[] = { 33, 0xffffffffu, 0x7fffffffu };

    /* device producing into input; guest scribbles input.cons */
    vdiport_prod_init(&p, &ram->input, 0);
    for (size_t i = 0; i < 3; i++) {
        ram->input.cons = bad_cons[i];
        is_int(vdiport_prod_free(&p), VDIPORT_RING_CORRUPT,
               "peer cons %#x is out of range", bad_cons[i]);
        is_int(vdiport_prod_write(&p, 1, "x", 1, &n), VDIPORT_RING_CORRUPT,
               "write refused with cons %#x", bad_cons[i]);
        is_int(ram->input.prod, 0, "and nothing published");
    }
    ram->input.cons = 0;
    ram->input.prod = 1000;     /* peer scribbles our own index */
    is_int(vdiport_prod_write(&p, 1, "x", 1, &n), 1,
           "our prod index is ours, not what the peer wrote there");
    is_int(ram->input.prod, 1, "published from our copy");

    /* device consuming output; guest scribbles output.prod */
    vdiport_cons_init(&c, &ram->output, 0);
    for (size_t i = 0; i < 3; i++) {
        ram->output.prod = bad_prod[i];
        is_int(vdiport_cons_pop(&c, 1, out, &n, &d), VDIPORT_RING_CORRUPT,
               "peer prod %#x is out of range", bad_prod[i]);
        is_int(ram->output.cons, 0, "and nothing consumed");
    }
    ram->output.prod = 0;
    ram->output.cons = 17;      /* peer scribbles our own index */
    is_int(vdiport_cons_avail(&c), 0, "our cons index is ours");
    /* the corrupt peer recovers: everything works again */
    ram->output.prod = 32;
    for (int i = 0; i < 32; i++) {
        ram->output.items[i].gen = 1;
        ram->output.items[i].size = 1;
    }
    is_int(vdiport_cons_avail(&c), 32, "exactly full is fine");
    free(ram);
}

static void test_hostile_sizes(void)
{
    struct vdiport_ram *ram = ram_new(1);
    struct vdiport_cons c;
    struct vdiport_drops d = { 0 };
    struct {
        uint8_t data[VDIPORT_PACKET_DATA];
        uint8_t guard[64];
    } out;
    static const uint32_t sizes[] = { 0, 505, 0xffffffffu, 0x80000000u, 504 };
    bool n = false;

    memset(&out, 0x5a, sizeof(out));
    vdiport_cons_init(&c, &ram->output, 0);
    for (uint32_t i = 0; i < 5; i++) {
        ram->output.items[i].gen = 1;
        ram->output.items[i].size = sizes[i];
        memset(ram->output.items[i].data, 0x11 * (int)i,
               VDIPORT_PACKET_DATA);
    }
    ram->output.prod = 5;
    is_int(vdiport_cons_pop(&c, 1, out.data, &n, &d), 504,
           "the 504-byte packet after four bad sizes is delivered");
    is_int(d.corrupt, 4, "sizes 0, 505, 0xffffffff, 0x80000000 dropped");
    is_int(out.data[0], 0x44, "with its own data");
    is_int(out.guard[0] | out.guard[63], 0x5a, "no byte past 504 written");
    is_int(ram->output.cons, 5, "bad packets consumed too");
    free(ram);
}

static void test_interrupt(void)
{
    struct vdiport_ram *ram = ram_new(1);

    ok(!vdiport_int_level(ram), "line low after reset");
    vdiport_int_raise(ram, VDIPORT_INTERRUPT);
    ok(!vdiport_int_level(ram), "masked: still low");
    ram->int_mask = VDIPORT_INTERRUPT;
    ok(vdiport_int_level(ram), "unmasked: high");
    is_int(vdiport_int_take(ram), VDIPORT_INTERRUPT, "take returns the bit");
    ok(!vdiport_int_level(ram), "and clears it");
    free(ram);
}

int main(void)
{
    test_reset();
    test_empty_small();
    test_full();
    test_stream(0, 300000, "stream from 0");
    test_stream(0xfffff000u, 300000, "stream across the 2^32 wrap");
    test_stream(0xffffffe0u, 5 * 1024 * 1024, "5 MB stream across the wrap");
    test_generation();
    test_hostile_indices();
    test_hostile_sizes();
    test_interrupt();
    return tap_done();
}
