/*
 * Loads and stores: every width, update and indexed forms, sign extension,
 * byte-reversed forms, lmw/stmw, misaligned accesses, dcbz on the 64-byte
 * line, lwarx/stwcx. reservations.
 */
#include "rt.h"

static u8 buf[256] __attribute__((aligned(64)));

static void line(const char *name, u32 a, u32 b)
{
	puts(name);
	puts(" -> ");
	puthex(a);
	putc(' ');
	puthex(b);
	putc('\n');
}

static void fill(void)
{
	for (u32 i = 0; i < sizeof buf; i++)
		buf[i] = (u8)(i * 7 + 0x81);
}

static void dump(const char *name, u32 off, u32 n)
{
	puts(name);
	puts(" ->");
	for (u32 i = 0; i < n; i++) {
		putc(' ');
		puthex(buf[off + i]);
	}
	putc('\n');
}

int main(void)
{
	u32 base = (u32)buf, v, ea;
	puts("loadstore\n");
	fill();
	for (u32 off = 0; off < 8; off++) {
		u32 p = base + 16 + off;
		__asm__ volatile("lbz %0,0(%1)" : "=r"(v) : "b"(p)); line("lbz", off, v);
		__asm__ volatile("lhz %0,0(%1)" : "=r"(v) : "b"(p)); line("lhz", off, v);
		__asm__ volatile("lha %0,0(%1)" : "=r"(v) : "b"(p)); line("lha", off, v);
		__asm__ volatile("lwz %0,0(%1)" : "=r"(v) : "b"(p)); line("lwz", off, v);
		__asm__ volatile("lhbrx %0,0,%1" : "=r"(v) : "r"(p)); line("lhbrx", off, v);
		__asm__ volatile("lwbrx %0,0,%1" : "=r"(v) : "r"(p)); line("lwbrx", off, v);
	}
	/* update forms write the EA back into rA */
	ea = base + 8;
	__asm__ volatile("lwzu %0,4(%1)" : "=r"(v), "+b"(ea)); line("lwzu", v, ea - base);
	__asm__ volatile("lbzu %0,-1(%1)" : "=r"(v), "+b"(ea)); line("lbzu", v, ea - base);
	__asm__ volatile("lhau %0,2(%1)" : "=r"(v), "+b"(ea)); line("lhau", v, ea - base);
	__asm__ volatile("lhzu %0,2(%1)" : "=r"(v), "+b"(ea)); line("lhzu", v, ea - base);
	{
		u32 idx = 5;
		__asm__ volatile("lwzux %0,%1,%2" : "=r"(v), "+b"(ea) : "r"(idx)); line("lwzux", v, ea - base);
		__asm__ volatile("lbzux %0,%1,%2" : "=r"(v), "+b"(ea) : "r"(idx)); line("lbzux", v, ea - base);
		__asm__ volatile("lhaux %0,%1,%2" : "=r"(v), "+b"(ea) : "r"(idx)); line("lhaux", v, ea - base);
		__asm__ volatile("lhzux %0,%1,%2" : "=r"(v), "+b"(ea) : "r"(idx)); line("lhzux", v, ea - base);
		__asm__ volatile("lwzx %0,%1,%2" : "=r"(v) : "b"(base), "r"(idx)); line("lwzx", v, 0);
		__asm__ volatile("lhax %0,%1,%2" : "=r"(v) : "b"(base), "r"(idx)); line("lhax", v, 0);
	}
	/* stores */
	fill();
	ea = base + 32;
	__asm__ volatile("stb %1,0(%0)" : : "b"(ea), "r"(0x11223344u) : "memory");
	__asm__ volatile("sth %1,2(%0)" : : "b"(ea), "r"(0x55667788u) : "memory");
	__asm__ volatile("stw %1,5(%0)" : : "b"(ea), "r"(0x99aabbccu) : "memory");
	__asm__ volatile("sthbrx %1,0,%0" : : "r"(ea + 10), "r"(0x1234u) : "memory");
	__asm__ volatile("stwbrx %1,0,%0" : : "r"(ea + 13), "r"(0x89abcdefu) : "memory");
	__asm__ volatile("stwu %1,20(%0)" : "+b"(ea) : "r"(0xfeedf00du) : "memory");
	line("stwu-ea", ea - base, 0);
	__asm__ volatile("sthu %1,2(%0)" : "+b"(ea) : "r"(0xcafeu) : "memory");
	__asm__ volatile("stbu %1,3(%0)" : "+b"(ea) : "r"(0x5au) : "memory");
	{
		u32 idx = 1;
		__asm__ volatile("stbux %2,%0,%1" : "+b"(ea) : "r"(idx), "r"(0xa5u) : "memory");
		__asm__ volatile("sthux %2,%0,%1" : "+b"(ea) : "r"(idx), "r"(0x7e7eu) : "memory");
		__asm__ volatile("stwux %2,%0,%1" : "+b"(ea) : "r"(idx), "r"(0x01020304u) : "memory");
		__asm__ volatile("stbx %2,%0,%1" : : "b"(base + 96), "r"(idx), "r"(0xeeu) : "memory");
		__asm__ volatile("sthx %2,%0,%1" : : "b"(base + 96), "r"(idx + 2), "r"(0xdddd) : "memory");
		__asm__ volatile("stwx %2,%0,%1" : : "b"(base + 96), "r"(idx + 5), "r"(0xc0ffee00u) : "memory");
	}
	line("st-ea", ea - base, 0);
	dump("stores", 32, 40);
	dump("indexed", 96, 12);

	/* lmw/stmw move r27..r31 */
	fill();
	{
		u32 out[5];
		__asm__ volatile("lmw 27,0(%0)\n\tstw 27,0(%1)\n\tstw 28,4(%1)\n\tstw 29,8(%1)\n\t"
				 "stw 30,12(%1)\n\tstw 31,16(%1)"
				 :
				 : "b"(base + 40), "b"(out)
				 : "r27", "r28", "r29", "r30", "r31", "memory");
		for (int i = 0; i < 5; i++)
			line("lmw", i, out[i]);
		__asm__ volatile("li 29,0x2929\n\tli 30,0x3030\n\tli 31,0x3131\n\tstmw 29,0(%0)"
				 :
				 : "b"(base + 132) /* word-aligned: a misaligned stmw is an
						      alignment interrupt on the e500mc, while QEMU 7.2
						      performs it (covered by tests/emu instead) */
				 : "r29", "r30", "r31", "memory");
		dump("stmw", 128, 16);
	}

	/* dcbz zeroes the whole 64-byte line containing the EA */
	fill();
	__asm__ volatile("dcbz 0,%0" : : "r"(base + 64 + 37) : "memory");
	dump("dcbz", 60, 72);

	/* reservations: stwcx. succeeds after lwarx, fails without one,
	 * and fails after a store to the reservation granule... by another
	 * processor only; a plain store by this one leaves it held. */
	{
		u32 cr, p = base + 192;
		__asm__ volatile("lwarx %0,0,%2\n\taddi %0,%0,1\n\tstwcx. %0,0,%2\n\tmfcr %1"
				 : "=&r"(v), "=&r"(cr)
				 : "r"(p)
				 : "cr0", "memory");
		line("stwcx-ok", v, cr & 0xf0000000);
		__asm__ volatile("stwcx. %2,0,%1\n\tmfcr %0" : "=&r"(cr) : "r"(p), "r"(0x77u) : "cr0", "memory");
		line("stwcx-none", ld32(p), cr & 0xf0000000);
		__asm__ volatile("lwarx %0,0,%2\n\tsc\n\tstwcx. %0,0,%2\n\tmfcr %1"
				 : "=&r"(v), "=&r"(cr)
				 : "r"(p)
				 : "cr0", "memory");
		line("stwcx-after-sc", v, cr & 0xf0000000);
	}
	return 0;
}
