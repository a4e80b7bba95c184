/*
 * Hostile guest on the PCI host bridge (ppce500@2, a virtio-rng in slot 1;
 * tests/guests/machine-hostile_pci.yaml): configuration cycles to absent
 * slots, buses and functions, writes of all ones to every register, BAR
 * sizing, odd widths on CFG_DATA, accesses outside and across BARs, decoding
 * switched off, then a virtio-pci queue with its ring outside RAM and, after
 * a reset, a well-formed request completed with INTx through the ISR.
 * Everything refused reads as all ones or leaves the state unchanged; the
 * VMM never stops.
 */
#include "rt.h"

#define CFG_ADDR (CCSR + 0x8000)
#define CFG_DATA (CCSR + 0x8004)
#define WINDOW 0xc0000000u      /* EA of the PCI memory window (PA 0xc_0000_0000) */
#define BUS_BASE 0xe0000000u    /* its PCI address */
#define REGS (WINDOW + 0x0)     /* BAR 4: common cfg, ISR +0x1000, notify +0x3000 */
#define RING 0x02000000u        /* descriptors; avail at +0x1000, used at +0x2000 */
#define BUF 0x02100000u
#define WRITE 2
#define NEEDS_RESET 0x40u

static u32 rle32(u32 a) { u32 v; __asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(a) : "memory"); return v; }
static u32 rle16(u32 a) { u32 v; __asm__ volatile("lhbrx %0,0,%1" : "=r"(v) : "r"(a) : "memory"); return v; }
static u32 rd8(u32 a) { u32 v; __asm__ volatile("lbz %0,0(%1)" : "=r"(v) : "b"(a) : "memory"); return v; }
static void le32(u32 a, u32 v) { __asm__ volatile("stwbrx %0,0,%1; mbar" : : "r"(v), "r"(a) : "memory"); }
static void le16(u32 a, u32 v) { __asm__ volatile("sthbrx %0,0,%1; mbar" : : "r"(v), "r"(a) : "memory"); }
static void wr8(u32 a, u32 v) { __asm__ volatile("stb %0,0(%1); mbar" : : "r"(v), "b"(a) : "memory"); }

static void select(u32 bus, u32 dev, u32 fn, u32 reg)
{
	st32(CFG_ADDR, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc));
}
static u32 cfg32(u32 dev, u32 reg) { select(0, dev, 0, reg); return rle32(CFG_DATA); }
static void cfg_w32(u32 dev, u32 reg, u32 v) { select(0, dev, 0, reg); le32(CFG_DATA, v); }
static void cfg_w16(u32 dev, u32 reg, u32 v) { select(0, dev, 0, reg); le16(CFG_DATA + (reg & 2), v); }

static void line(const char *what, u32 v)
{
	puts(what);
	putc(' ');
	puthex(v);
	putc('\n');
}

static void state(const char *what)
{
	puts(what);
	puts(": needs-reset ");
	putc((rd8(REGS + 0x14) & NEEDS_RESET) ? '1' : '0');
	puts(" used ");
	putdec(rle16(RING + 0x2002));
	putc('\n');
}

/* reset, ACKNOWLEDGE|DRIVER, VERSION_1, FEATURES_OK, queue 0 of 8 at `desc`, DRIVER_OK */
static void bring_up(u32 desc_high, u32 desc_low)
{
	for (u32 a = RING; a < RING + 0x3000; a += 4)
		st32(a, 0);
	wr8(REGS + 0x14, 0);
	wr8(REGS + 0x14, 3);
	le32(REGS + 0x08, 1);
	le32(REGS + 0x0c, 1);
	le32(REGS + 0x08, 0);
	le32(REGS + 0x0c, 0);
	wr8(REGS + 0x14, 0xb);
	le16(REGS + 0x16, 0);
	le16(REGS + 0x18, 8);
	le32(REGS + 0x20, desc_low);
	le32(REGS + 0x24, desc_high);
	le32(REGS + 0x28, RING + 0x1000);
	le32(REGS + 0x2c, 0);
	le32(REGS + 0x30, RING + 0x2000);
	le32(REGS + 0x34, 0);
	le16(REGS + 0x1c, 1);
	wr8(REGS + 0x14, 0xf);
}

int main(void)
{
	puts("hostile_pci\n");
	/* TLB1[6]: EA 0xc0000000 -> PA 0xc_0000_0000, 1 MiB, I|G */
	mtspr(624, 0x10060000u);
	mtspr(625, 0xc0000500u);
	mtspr(626, WINDOW | 0xa);
	mtspr(627, 0x00000005u);
	mtspr(944, 0xc);
	__asm__ volatile("isync; tlbwe; isync" ::: "memory");

	line("bridge id", cfg32(0, 0x00));
	line("slot 1 id", cfg32(1, 0x00));
	line("slot 2 id", cfg32(2, 0x00));
	select(1, 1, 0, 0);
	line("bus 1 id", rle32(CFG_DATA));
	select(0, 1, 3, 0);
	line("function 3 id", rle32(CFG_DATA));
	st32(CFG_ADDR, 0x00000800u); /* enable bit clear */
	line("disabled cycle", rle32(CFG_DATA));
	select(0, 1, 0, 0);
	line("byte at lane 3", rd8(CFG_DATA + 3));
	line("half at lane 2", rle16(CFG_DATA + 2));

	/* All ones into every register of slot 1: only writable bits change. */
	for (u32 reg = 0; reg < 0x100; reg += 4)
		cfg_w32(1, reg, 0xffffffffu);
	line("id after all ones", cfg32(1, 0x00));
	line("command/status", cfg32(1, 0x04));
	line("BAR 1 size mask", cfg32(1, 0x14));
	line("BAR 4 size mask", cfg32(1, 0x20));
	line("BAR 4 high", cfg32(1, 0x24));
	line("pin/line", cfg32(1, 0x3c));

	/* Assign the BARs as Linux would, decoding off: nothing answers yet. */
	cfg_w32(1, 0x20, BUS_BASE);
	cfg_w32(1, 0x24, 0);
	cfg_w32(1, 0x14, BUS_BASE + 0x4000);
	cfg_w16(1, 0x04, 0);
	line("decoding off", rle32(REGS));
	cfg_w16(1, 0x04, 0x2); /* memory */
	/* The all-ones pass also enabled (and masked) MSI-X: back to INTx. */
	line("MSI-X control", cfg32(1, 0x40) >> 16);
	cfg_w16(1, 0x42, 0);
	line("num queues", rle16(REGS + 0x12));
	line("device feature", rle32(REGS + 0x04));
	line("past the BARs", rle32(WINDOW + 0x80000));
	/* Misaligned, from BAR 4's last bytes into BAR 1 (the MSI-X table): both read zero here. */
	line("across BAR 4's end", rle32(WINDOW + 0x3ffe));

	bring_up(0xffffffffu, 0xfffff000u);
	state("ring outside RAM");

	bring_up(0, RING);
	le32(RING, BUF);
	le32(RING + 4, 0);
	le32(RING + 8, 16);
	le16(RING + 12, WRITE);
	le16(RING + 14, 0);
	le16(RING + 0x1004, 0);
	le16(RING + 0x1002, 1);
	le16(REGS + 0x3000, 0); /* notify queue 0 */
	state("well-formed");
	line("INTx status", cfg32(1, 0x04) >> 16 & 0x8);
	line("ISR", rd8(REGS + 0x1000));
	line("ISR again", rd8(REGS + 0x1000));
	line("INTx status after", cfg32(1, 0x04) >> 16 & 0x8);
	line("length", rle32(RING + 0x2008));
	wr8(REGS + 0x14, 0);
	return 0;
}
