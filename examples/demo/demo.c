/*
 * vmcompose bare-metal demo for e500mc boards.
 *
 * Finds every device through the device tree the loader hands over in r3:
 * the console UART (/chosen stdout-path), the timebase frequency (/cpus),
 * the MPIC, the virtio-mmio devices and the GPIO line behind gpio-poweroff,
 * each with the address and interrupt the tree gives. Prints over the
 * ns16550, counts decrementer interrupts, takes an MPIC interrupt in
 * core-interrupt mode (vector from SPR EPR, as Linux runs the MPIC), reads
 * from the virtio devices and powers the machine off. Nothing about the
 * board's layout is compiled in, so the same binary runs on any board that
 * describes these devices.
 *
 * Runs unchanged on `qemu-system-ppc -M ppce500 -cpu e500mc -kernel demo.elf`,
 * whose tree has no virtio-mmio devices.
 */
#include <stddef.h>
#include <stdint.h>

#include "fdt.h"

#define DEMO_TICKS 5
#define TICKS_PER_SECOND 100 /* decrementer period: 10 ms */
#define IPI_VECTOR 0x42

volatile uint32_t machine_checks; /* bumped by the machine-check vector in start.S */
static volatile uint32_t ticks;
static volatile uint32_t last_vector, external_interrupts;

/* What the device tree says; effective addresses once mapped by io_map(). */
static struct fdt fdt;
static uint32_t uart, uart_stride = 1;
static uint32_t mpic;
static uint32_t gpio, gpio_pin_mask;
static uint32_t timebase_hz;

/* ---- memory-mapped I/O (big-endian CPU; virtio registers are little-endian) ---- */

static inline void io_sync(void) { __asm__ volatile("mbar" ::: "memory"); }
static inline uint8_t in8(uint32_t a) { uint8_t v = *(volatile uint8_t*)a; io_sync(); return v; }
static inline void out8(uint32_t a, uint8_t v) { *(volatile uint8_t*)a = v; io_sync(); }
static inline uint32_t in32(uint32_t a) { uint32_t v = *(volatile uint32_t*)a; io_sync(); return v; }
static inline void out32(uint32_t a, uint32_t v) { *(volatile uint32_t*)a = v; io_sync(); }
static inline uint32_t in_le32(uint32_t a) {
    uint32_t v;
    __asm__ volatile("lwbrx %0,0,%1; mbar" : "=r"(v) : "r"(a) : "memory");
    return v;
}
static inline void out_le32(uint32_t a, uint32_t v) {
    __asm__ volatile("stwbrx %0,0,%1; mbar" ::"r"(v), "r"(a) : "memory");
}
static inline uint16_t le16(uint16_t v) { return __builtin_bswap16(v); }
static inline uint32_t le32(uint32_t v) { return __builtin_bswap32(v); }
static inline uint64_t le64(uint64_t v) { return __builtin_bswap64(v); }

#define mfspr(n) ({ uint32_t v_; __asm__ volatile("mfspr %0," #n : "=r"(v_)); v_; })
#define mtspr(n, v) __asm__ volatile("mtspr " #n ",%0" ::"r"(v) : "memory")

/* The compiler may emit calls to these even in freestanding code. */
void* memset(void* d, int c, size_t n) {
    uint8_t* p = d;
    while (n--) *p++ = (uint8_t)c;
    return d;
}
void* memcpy(void* d, const void* s, size_t n) {
    uint8_t* p = d;
    const uint8_t* q = s;
    while (n--) *p++ = *q++;
    return d;
}

/* ---- console ---- */

static void putc_raw(char c) {
    while (!(in8(uart + 5 * uart_stride) & 0x20)) /* LSR.THRE */
        ;
    out8(uart, (uint8_t)c);
}
static void putc(char c) {
    if (c == '\n') putc_raw('\r');
    putc_raw(c);
}
static void puts(const char* s) {
    while (*s) putc(*s++);
}
static void puthex(uint32_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) putc("0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}
static void putdec(uint32_t v) {
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) putc(buf[--n]);
}
static void puthex64(uint64_t v) {
    if (v >> 32) puthex((uint32_t)(v >> 32), (v >> 36) ? 8 : 1);
    puthex((uint32_t)v, 8);
}

/* ---- mapping device registers: one TLB1 entry per 1 MiB page ---- */

#define IO_PAGE 0x100000u
#define IO_EA_BASE 0xc0000000u /* effective addresses for device pages */
#define IO_PAGES 32            /* TLB1 entries 1..32; entry 0 maps RAM */

static uint64_t io_page_pa[IO_PAGES];
static int io_pages;

/* Maps 1 MiB page `i` (cache-inhibited, guarded, supervisor read/write). */
static void tlb1_map(int i, uint64_t pa) {
    mtspr(624, 0x10000000u | ((uint32_t)(i + 1) << 16)); /* MAS0: TLB1, ESEL */
    mtspr(625, 0xc0000000u | (10u << 7));                /* MAS1: V, IPROT, 1 MiB */
    mtspr(626, (IO_EA_BASE + IO_PAGE * (uint32_t)i) | 0xa); /* MAS2: EPN, I, G */
    mtspr(627, ((uint32_t)pa & ~(IO_PAGE - 1)) | 0x5);   /* MAS3: RPN, SW, SR */
    mtspr(944, (uint32_t)(pa >> 32));                     /* MAS7: RPN bits 32-35 */
    __asm__ volatile("isync; tlbwe; isync" ::: "memory");
}

/* The effective address of physical `pa`, mapping the pages of
 * [pa, pa + size) on first use (consecutive pages for a range that spans
 * several); 0 when TLB1 has no room left. */
static uint32_t io_map(uint64_t pa, uint32_t size) {
    uint64_t first = pa & ~(uint64_t)(IO_PAGE - 1);
    uint32_t count = (uint32_t)(((pa + (size ? size : 1) - 1) >> 20) - (first >> 20)) + 1;
    for (int i = 0; i + (int)count <= io_pages; ++i) {
        int all = 1;
        for (uint32_t k = 0; k < count; ++k) all &= io_page_pa[i + (int)k] == first + k * IO_PAGE;
        if (all) return IO_EA_BASE + IO_PAGE * (uint32_t)i + (uint32_t)(pa - first);
    }
    if (io_pages + (int)count > IO_PAGES) return 0;
    int at = io_pages;
    for (uint32_t k = 0; k < count; ++k) {
        io_page_pa[io_pages] = first + k * IO_PAGE;
        tlb1_map(io_pages++, first + k * IO_PAGE);
    }
    return IO_EA_BASE + IO_PAGE * (uint32_t)at + (uint32_t)(pa - first);
}

static void uart_init(void) {
    out8(uart + 1 * uart_stride, 0x00); /* IER: polled */
    out8(uart + 3 * uart_stride, 0x03); /* LCR: 8N1 */
    out8(uart + 2 * uart_stride, 0x07); /* FCR: FIFOs on and cleared */
    out8(uart + 4 * uart_stride, 0x03); /* MCR: DTR RTS */
}

/* ---- power off: the GPIO line gpio-poweroff names (pin 0 = MSB, IBM numbering) ---- */

static void power_off(void) {
    if (!gpio) {
        puts("demo: no gpio-poweroff in the device tree: stopping here\n");
        for (;;) __asm__ volatile("wait");
    }
    puts("demo: powering off\n");
    while (!(in8(uart + 5 * uart_stride) & 0x40)) /* LSR.TEMT: let the last byte leave */
        ;
    out32(gpio + 0x00, in32(gpio + 0x00) | gpio_pin_mask); /* GPDIR: the pin is an output */
    out32(gpio + 0x08, in32(gpio + 0x08) | gpio_pin_mask); /* GPDAT: drive it high */
    for (;;) __asm__ volatile("wait");
}

void on_fatal(uint32_t ivor, uint32_t srr0, uint32_t srr1) {
    puts("demo: unexpected exception IVOR");
    putdec(ivor);
    puts(" at ");
    puthex(srr0, 8);
    puts(" msr ");
    puthex(srr1, 8);
    puts("\n");
    power_off();
}

/* ---- decrementer ---- */

#define TCR_DIE 0x04000000u
#define TCR_ARE 0x00400000u
#define TSR_DIS 0x08000000u
#define MSR_EE 0x8000u
#define MSR_ME 0x1000u

void on_decrementer(void) {
    mtspr(336, TSR_DIS); /* TSR: acknowledge */
    if (++ticks >= DEMO_TICKS) mtspr(340, 0u); /* TCR: stop */
}

static void count_ticks(void) {
    uint32_t period = timebase_hz / TICKS_PER_SECOND;
    puts("demo: decrementer: waiting for ");
    putdec(DEMO_TICKS);
    puts(" ticks of 10 ms\n");
    uint32_t tb0 = mfspr(268);
    mtspr(54, period);              /* DECAR: reload value */
    mtspr(22, period);              /* DEC */
    mtspr(336, TSR_DIS);
    mtspr(340, TCR_DIE | TCR_ARE);  /* TCR */
    while (ticks < DEMO_TICKS) __asm__ volatile("wait");
    uint32_t elapsed = mfspr(268) - tb0;
    puts("demo: decrementer: ");
    putdec(ticks);
    puts(" ticks, ");
    putdec(elapsed / (timebase_hz / 1000u));
    puts(" ms of timebase\n");
}

/* ---- MPIC (Freescale OpenPIC), core-interrupt mode ---- */

/* Register offsets of the OpenPIC programming model, from the MPIC's base. */
#define MPIC_FRR (mpic + 0x1000)
#define MPIC_GCR (mpic + 0x1020)
#define MPIC_VIR (mpic + 0x1080)
#define MPIC_IPIVPR(n) (mpic + 0x10a0 + 0x10 * (n))
#define MPIC_SVR (mpic + 0x10e0)
#define MPIC_CPU0 (mpic + 0x20000)
#define MPIC_IPIDR(n) (MPIC_CPU0 + 0x40 + 0x10 * (n))
#define MPIC_CTPR (MPIC_CPU0 + 0x80)
#define MPIC_EOI (MPIC_CPU0 + 0xb0)
#define GCR_RESET 0x80000000u
#define GCR_COREINT 0x60000000u
#define VPR_MASK 0x80000000u

void on_external(void) {
    /* Core-interrupt mode: the MPIC was acknowledged on delivery and the
     * vector is in EPR; no IACK read. */
    last_vector = mfspr(702);
    external_interrupts++;
    out32(MPIC_EOI, 0);
}

static void mpic_demo(void) {
    uint32_t frr = in32(MPIC_FRR);
    puts("demo: mpic: FRR ");
    puthex(frr, 8);
    puts(" (");
    putdec(((frr >> 16) & 0x7ff) + 1);
    puts(" sources, ");
    putdec(((frr >> 8) & 0x1f) + 1);
    puts(" cpus), VIR ");
    puthex(in32(MPIC_VIR), 8);
    puts("\n");

    out32(MPIC_GCR, GCR_RESET);
    for (int i = 0; i < 1000000 && (in32(MPIC_GCR) & GCR_RESET); ++i)
        ;
    out32(MPIC_GCR, GCR_COREINT);
    out32(MPIC_CTPR, 0xf);       /* mask everything while programming */
    out32(MPIC_SVR, 0xff);       /* spurious vector */
    out32(MPIC_IPIVPR(0), (8u << 16) | IPI_VECTOR); /* priority 8, unmasked */
    out32(MPIC_CTPR, 0);

    puts("demo: mpic: sending IPI 0 to cpu 0\n");
    out32(MPIC_IPIDR(0), 1u);
    for (int i = 0; i < 10000000 && external_interrupts == 0; ++i)
        ;
    if (external_interrupts) {
        puts("demo: mpic: external interrupt, EPR vector 0x");
        puthex(last_vector, 2);
        puts(last_vector == IPI_VECTOR ? " (IPI 0) ok\n" : " unexpected\n");
    } else {
        puts("demo: mpic: no interrupt arrived\n");
    }
}

/* ---- virtio-mmio (virtio 1.x, register version 2) ---- */

#define VIRTIO_MAGIC 0x74726976u /* "virt" */
enum {
    VM_MAGIC = 0x000, VM_VERSION = 0x004, VM_DEVICE_ID = 0x008, VM_VENDOR = 0x00c,
    VM_DEV_FEATURES = 0x010, VM_DEV_FEATURES_SEL = 0x014, VM_DRV_FEATURES = 0x020,
    VM_DRV_FEATURES_SEL = 0x024, VM_QUEUE_SEL = 0x030, VM_QUEUE_NUM_MAX = 0x034,
    VM_QUEUE_NUM = 0x038, VM_QUEUE_READY = 0x044, VM_QUEUE_NOTIFY = 0x050,
    VM_INT_STATUS = 0x060, VM_INT_ACK = 0x064, VM_STATUS = 0x070,
    VM_QUEUE_DESC = 0x080, VM_QUEUE_DRIVER = 0x090, VM_QUEUE_DEVICE = 0x0a0,
    VM_CONFIG = 0x100,
};
enum { ST_ACK = 1, ST_DRIVER = 2, ST_DRIVER_OK = 4, ST_FEATURES_OK = 8, ST_FAILED = 128 };
#define QSIZE 4
#define DESC_NEXT 1
#define DESC_WRITE 2

struct vring_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vring_avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct vring_used { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSIZE]; uint16_t avail_event; };

static struct {
    struct vring_desc desc[QSIZE] __attribute__((aligned(16)));
    struct vring_avail avail __attribute__((aligned(2)));
    struct vring_used used __attribute__((aligned(4)));
} vq __attribute__((aligned(4096)));

static uint8_t io_buf[512] __attribute__((aligned(16)));
static struct { uint32_t type, reserved; uint64_t sector; } blk_req __attribute__((aligned(16)));
static volatile uint8_t blk_status;

/* Guest RAM is mapped 1:1, so an effective address is the physical one. */
static uint32_t phys(const volatile void* p) { return (uint32_t)(uintptr_t)p; }

static int virtio_setup(uint32_t base) {
    out_le32(base + VM_STATUS, 0);
    out_le32(base + VM_STATUS, ST_ACK);
    out_le32(base + VM_STATUS, ST_ACK | ST_DRIVER);
    out_le32(base + VM_DEV_FEATURES_SEL, 1);
    if (!(in_le32(base + VM_DEV_FEATURES) & 1)) { /* VIRTIO_F_VERSION_1 (bit 32) */
        puts("    device does not offer VIRTIO_F_VERSION_1\n");
        return 0;
    }
    out_le32(base + VM_DRV_FEATURES_SEL, 1);
    out_le32(base + VM_DRV_FEATURES, 1);
    out_le32(base + VM_DRV_FEATURES_SEL, 0);
    out_le32(base + VM_DRV_FEATURES, 0);
    out_le32(base + VM_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if (!(in_le32(base + VM_STATUS) & ST_FEATURES_OK)) {
        puts("    device refused our features\n");
        return 0;
    }
    out_le32(base + VM_QUEUE_SEL, 0);
    if (in_le32(base + VM_QUEUE_NUM_MAX) < QSIZE) {
        puts("    queue 0 too small\n");
        return 0;
    }
    memset((void*)&vq, 0, sizeof vq);
    out_le32(base + VM_QUEUE_NUM, QSIZE);
    out_le32(base + VM_QUEUE_DESC, phys(vq.desc));
    out_le32(base + VM_QUEUE_DESC + 4, 0);
    out_le32(base + VM_QUEUE_DRIVER, phys(&vq.avail));
    out_le32(base + VM_QUEUE_DRIVER + 4, 0);
    out_le32(base + VM_QUEUE_DEVICE, phys(&vq.used));
    out_le32(base + VM_QUEUE_DEVICE + 4, 0);
    out_le32(base + VM_QUEUE_READY, 1);
    out_le32(base + VM_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    return 1;
}

static void desc_set(int i, const volatile void* buf, uint32_t len, uint16_t flags) {
    vq.desc[i].addr = le64(phys(buf));
    vq.desc[i].len = le32(len);
    vq.desc[i].flags = le16(flags);
    vq.desc[i].next = le16((uint16_t)(i + 1));
}

/* Publishes the chain that starts at descriptor 0, waits for the device to
 * return it; the number of bytes it wrote, or -1 on timeout. */
static int virtio_submit(uint32_t base) {
    vq.avail.ring[0] = le16(0);
    __asm__ volatile("msync" ::: "memory");
    vq.avail.idx = le16(1);
    __asm__ volatile("msync" ::: "memory");
    out_le32(base + VM_QUEUE_NOTIFY, 0);
    for (int i = 0; i < 20000000; ++i) {
        if (le16(*(volatile uint16_t*)&vq.used.idx) == 1) {
            out_le32(base + VM_INT_ACK, in_le32(base + VM_INT_STATUS));
            return (int)le32(vq.used.ring[0].len);
        }
    }
    return -1;
}

static void hexdump(const uint8_t* p, int n) {
    puts("    ");
    for (int i = 0; i < n; ++i) {
        puthex(p[i], 2);
        putc(' ');
    }
    puts("|");
    for (int i = 0; i < n; ++i) putc(p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
    puts("|\n");
}

static void read_rng(uint32_t base) {
    if (!virtio_setup(base)) return;
    memset(io_buf, 0, 16);
    desc_set(0, io_buf, 16, DESC_WRITE);
    int n = virtio_submit(base);
    if (n < 0) {
        puts("    no answer from the entropy device\n");
        return;
    }
    puts("    ");
    putdec((uint32_t)n);
    puts(" random bytes:\n");
    hexdump(io_buf, n > 16 ? 16 : n);
}

static void read_block(uint32_t base) {
    uint32_t lo = in_le32(base + VM_CONFIG), hi = in_le32(base + VM_CONFIG + 4);
    puts("    capacity ");
    if (hi) { puthex(hi, 8); }
    putdec(lo);
    puts(" sectors\n");
    if (!virtio_setup(base)) return;
    blk_req.type = le32(0); /* VIRTIO_BLK_T_IN */
    blk_req.reserved = 0;
    blk_req.sector = le64(0);
    blk_status = 0xff;
    desc_set(0, &blk_req, sizeof blk_req, DESC_NEXT);
    desc_set(1, io_buf, sizeof io_buf, DESC_WRITE | DESC_NEXT);
    desc_set(2, &blk_status, 1, DESC_WRITE);
    int n = virtio_submit(base);
    if (n < 0 || blk_status != 0) {
        puts("    sector 0 read failed\n");
        return;
    }
    puts("    sector 0:\n");
    hexdump(io_buf, 16);
    hexdump(io_buf + 16, 16);
}

static const char* device_name(uint32_t id) {
    switch (id) {
    case 1: return "network";
    case 2: return "block";
    case 3: return "console";
    case 4: return "entropy";
    default: return "other";
    }
}

/* Talks to every virtio-mmio device the tree lists, at the address and
 * interrupt it gives. A node with nothing behind it (a machine check, or no
 * magic value) is reported and skipped. */
static void probe_virtio(void) {
    int found = 0;
    for (int node = fdt_node_by_compatible(&fdt, -1, "virtio,mmio"); node >= 0;
         node = fdt_node_by_compatible(&fdt, node, "virtio,mmio")) {
        uint64_t pa, size;
        if (fdt_reg(&fdt, node, 0, &pa, &size) != 0) continue;
        uint32_t base = io_map(pa, (uint32_t)size);
        puts("demo: virtio-mmio ");
        puts(fdt_get_name(&fdt, node));
        puts(" at ");
        puthex64(pa);
        puts(", irq ");
        putdec(fdt_getprop_u32(&fdt, node, "interrupts", 0));
        puts(": ");
        if (!base) {
            puts("no room to map it\n");
            continue;
        }
        uint32_t mc_before = machine_checks;
        uint32_t magic = in_le32(base + VM_MAGIC);
        if (machine_checks != mc_before) {
            puts("nothing there (machine check)\n");
            continue;
        }
        if (magic != VIRTIO_MAGIC) {
            puts("no virtio magic (read ");
            puthex(magic, 8);
            puts(")\n");
            continue;
        }
        uint32_t id = in_le32(base + VM_DEVICE_ID);
        puts("virtio version ");
        putdec(in_le32(base + VM_VERSION));
        puts(", device ");
        putdec(id);
        puts(" (");
        puts(device_name(id));
        puts(")\n");
        found++;
        if (id == 4) read_rng(base);
        if (id == 2) read_block(base);
        if (id != 0) out_le32(base + VM_STATUS, 0); /* leave it reset */
    }
    puts("demo: ");
    putdec((uint32_t)found);
    puts(" virtio-mmio device(s) found\n");
}

/* ---- finding the devices ---- */

/* The console: /chosen stdout-path, else the serial0 alias. */
static int find_console(uint64_t* pa, uint64_t* size) {
    int chosen = fdt_path_offset(&fdt, "/chosen");
    const char* path = chosen >= 0 ? fdt_getprop(&fdt, chosen, "stdout-path", 0) : 0;
    int node = path ? fdt_path_offset(&fdt, path) : -1;
    if (node < 0) node = fdt_path_offset(&fdt, "serial0");
    if (node < 0 || fdt_reg(&fdt, node, 0, pa, size) != 0) return -1;
    uart_stride = 1u << fdt_getprop_u32(&fdt, node, "reg-shift", 0);
    return node;
}

/* The first CPU node's timebase-frequency. */
static uint32_t find_timebase(void) {
    int cpus = fdt_path_offset(&fdt, "/cpus");
    int depth = 0;
    for (int n = fdt_next_node(&fdt, cpus, &depth); cpus >= 0 && n >= 0 && depth > 0;
         n = fdt_next_node(&fdt, n, &depth)) {
        const char* type = fdt_getprop(&fdt, n, "device_type", 0);
        if (depth == 1 && type && type[0] == 'c' && type[1] == 'p' && type[2] == 'u' && !type[3])
            return fdt_getprop_u32(&fdt, n, "timebase-frequency", 0);
    }
    return 0;
}

/* Maps the node's first reg entry; prints where it is. 0 when it cannot. */
static uint32_t map_node(int node, const char* what) {
    uint64_t pa, size;
    if (node < 0 || fdt_reg(&fdt, node, 0, &pa, &size) != 0) {
        puts("demo: no ");
        puts(what);
        puts(" in the device tree\n");
        return 0;
    }
    puts("demo: ");
    puts(what);
    puts(" ");
    puts(fdt_get_name(&fdt, node));
    puts(" at ");
    puthex64(pa);
    puts("\n");
    return io_map(pa, (uint32_t)size);
}

/* gpio-poweroff: gpios = <&controller pin flags>. */
static void find_power_off(void) {
    int node = fdt_node_by_compatible(&fdt, -1, "gpio-poweroff");
    int len;
    const uint32_t* gpios = node >= 0 ? fdt_getprop(&fdt, node, "gpios", &len) : 0;
    if (!gpios || len < 8) {
        puts("demo: no gpio-poweroff in the device tree\n");
        return;
    }
    gpio = map_node(fdt_node_by_phandle(&fdt, gpios[0]), "power-off gpio controller");
    gpio_pin_mask = 0x80000000u >> (gpios[1] & 31);
    puts("demo: power-off on gpio pin ");
    putdec(gpios[1]);
    puts("\n");
}

void demo_main(uint32_t dtb) {
    uint64_t uart_pa, uart_size;
    int console;
    if (fdt_init(&fdt, (const void*)(uintptr_t)dtb) != 0 ||
        (console = find_console(&uart_pa, &uart_size)) < 0 ||
        !(uart = io_map(uart_pa, (uint32_t)uart_size)))
        for (;;) __asm__ volatile("wait"); /* nowhere to say so */
    uart_init();
    puts("\nHello from the vmcompose bare-metal demo (e500mc)\n");
    puts("demo: device tree at ");
    puthex(dtb, 8);
    puts(", magic ");
    puthex(*(volatile uint32_t*)dtb, 8);
    puts(", pvr ");
    puthex(mfspr(287), 8);
    puts(", pir ");
    putdec(mfspr(286));
    puts("\n");
    puts("demo: console ");
    puts(fdt_get_name(&fdt, console));
    puts(" at ");
    puthex64(uart_pa);
    puts("\n");

    timebase_hz = find_timebase();
    puts("demo: timebase ");
    putdec(timebase_hz);
    puts(" Hz\n");
    mpic = map_node(fdt_node_by_compatible(&fdt, -1, "fsl,mpic"), "mpic");
    find_power_off();

    uint32_t msr;
    __asm__ volatile("mfmsr %0" : "=r"(msr));
    msr |= MSR_EE | MSR_ME;
    __asm__ volatile("mtmsr %0; isync" ::"r"(msr) : "memory");

    if (timebase_hz >= TICKS_PER_SECOND * 1000u) count_ticks();
    if (mpic) mpic_demo();
    probe_virtio();
    power_off();
}
