/*
 * Hostile guest: drives a virtio-rng device (the machine gets one with
 * --set, at the first platform slot 0xf_0000_0000) with absurd queue
 * sizes and addresses, a descriptor loop, and buffers outside RAM or of
 * absurd length. The device refuses each (DEVICE_NEEDS_RESET or an empty
 * used entry); after a reset a well-formed request still works.
 */
#include "rt.h"

#define VIRTIO 0xd0000000u
#define RING 0x02000000u              /* descriptors; avail at +0x1000, used at +0x2000 */
#define BUF 0x02100000u
#define NEXT 1
#define WRITE 2
#define NEEDS_RESET 0x40u

/* virtio-mmio registers are little-endian: byte-reversed accesses */
static u32 rd(u32 off)
{
	u32 v;
	__asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(VIRTIO + off) : "memory");
	return v;
}
static void wr(u32 off, u32 v)
{
	__asm__ volatile("stwbrx %0,0,%1; mbar" : : "r"(v), "r"(VIRTIO + off) : "memory");
}
static void le32(u32 a, u32 v) { __asm__ volatile("stwbrx %0,0,%1" : : "r"(v), "r"(a) : "memory"); }
static void le16(u32 a, u32 v) { __asm__ volatile("sthbrx %0,0,%1" : : "r"(v), "r"(a) : "memory"); }
static u32 rle32(u32 a) { u32 v; __asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(a) : "memory"); return v; }
static u32 rle16(u32 a) { u32 v; __asm__ volatile("lhbrx %0,0,%1" : "=r"(v) : "r"(a) : "memory"); return v; }

static void descriptor(u32 i, u64 addr, u32 len, u32 flags, u32 next)
{
	u32 d = RING + 16 * i;
	le32(d, (u32)addr);
	le32(d + 4, (u32)(addr >> 32));
	le32(d + 8, len);
	le16(d + 12, flags);
	le16(d + 14, next);
}

static void clear_rings(void)
{
	for (u32 a = RING; a < RING + 0x3000; a += 4)
		st32(a, 0);
}

/* reset, ACKNOWLEDGE, DRIVER, VERSION_1, FEATURES_OK */
static void negotiate(void)
{
	wr(0x70, 0);
	wr(0x70, 1);
	wr(0x70, 3);
	wr(0x24, 1);
	wr(0x20, 1);
	wr(0x24, 0);
	wr(0x20, 0);
	wr(0x70, 0xb);
}

static void queue(u32 size, u64 desc)
{
	wr(0x30, 0);
	wr(0x38, size);
	wr(0x80, (u32)desc);
	wr(0x84, (u32)(desc >> 32));
	wr(0x90, RING + 0x1000);
	wr(0x94, 0);
	wr(0xa0, RING + 0x2000);
	wr(0xa4, 0);
	wr(0x44, 1);
	wr(0x70, rd(0x70) | 4);
}

static void offer(u32 head)
{
	u32 idx = rle16(RING + 0x1002);
	le16(RING + 0x1004 + 2 * (idx % 8), head);
	le16(RING + 0x1002, idx + 1);
	wr(0x50, 0);
}

static void state(const char *what)
{
	puts(what);
	puts(": needs-reset ");
	putc((rd(0x70) & NEEDS_RESET) ? '1' : '0');
	puts(" used ");
	putdec(rle16(RING + 0x2002));
	putc('\n');
}

int main(void)
{
	puts("hostile_virtio\n");
	/* TLB1[6]: EA 0xd0000000 -> PA 0xf_0000_0000, 4 KiB, I|G */
	mtspr(624, 0x10060000u);
	mtspr(625, 0xc0000100u);
	mtspr(626, VIRTIO | 0xa);
	mtspr(627, 0x00000005u);
	mtspr(944, 0xf);
	__asm__ volatile("isync; tlbwe; isync" ::: "memory");

	puts("magic ");
	puthex(rd(0x0));
	puts(" version ");
	putdec(rd(0x4));
	puts(" device ");
	putdec(rd(0x8));
	putc('\n');

	negotiate();
	wr(0x30, 0);
	puts("queue max ");
	putdec(rd(0x34));
	putc('\n');

	clear_rings();
	negotiate();
	queue(0x8000, RING);
	state("size beyond max");

	clear_rings();
	negotiate();
	queue(3, RING);
	state("size not a power of two");

	clear_rings();
	negotiate();
	queue(8, 0xfffffffffffff000ull);
	state("ring outside RAM");

	clear_rings();
	negotiate();
	queue(8, RING);
	descriptor(0, BUF, 16, NEXT | WRITE, 1);
	descriptor(1, BUF + 16, 16, NEXT | WRITE, 0);
	offer(0);
	state("descriptor loop");

	clear_rings();
	negotiate();
	queue(8, RING);
	descriptor(0, 0xfffffff00000ull, 64, WRITE, 0);
	offer(0);
	state("buffer outside RAM");

	clear_rings();
	negotiate();
	queue(8, RING);
	descriptor(0, BUF, 0xffffffffu, WRITE, 0);
	offer(0);
	state("buffer of 4 GiB");

	clear_rings();
	negotiate();
	queue(8, RING);
	descriptor(0, BUF, 16, WRITE, 0);
	offer(0);
	state("well-formed");
	puts("length ");
	putdec(rle32(RING + 0x2008));
	putc('\n');
	wr(0x70, 0);
	return 0;
}
