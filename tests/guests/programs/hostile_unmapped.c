/*
 * Hostile guest: loads, stores and instruction fetches at guest-physical
 * addresses where nothing is mapped (beyond RAM, holes in CCSR, the far end
 * of the 36-bit space). With MSR[ME] set each one is a machine check the
 * guest survives; the last one, with MSR[ME] clear, is a checkstop: the VM
 * stops with a register dump and vmcompose exits with status 4.
 */
#include "rt.h"

#define MSR_ME 0x00001000u
#define EA_WINDOW 0xc0000000u

extern char f_fetch[], f_back[];

static void map(u32 esel, u32 ea, u64 pa)
{
	mtspr(624, 0x10000000u | (esel << 16));        /* MAS0: TLB1[esel] */
	mtspr(625, 0xc0000000u | (1u << 8));            /* MAS1: V IPROT 4 KiB */
	mtspr(626, ea | 0x0000000au);                   /* MAS2: I G */
	mtspr(627, (u32)pa | 0x3fu);                    /* MAS3: RPN, all permissions */
	mtspr(944, (u32)(pa >> 32));                    /* MAS7 */
	__asm__ volatile("isync; tlbwe; isync" ::: "memory");
}

static void report(const char *what, u32 count_before)
{
	puts(what);
	puts(": ");
	if (exc_log.count == count_before) {
		puts("no exception\n");
		return;
	}
	puts("vector ");
	putdec(exc_log.vector);
	puts(" class ");
	putdec(exc_log.klass);
	putc('\n');
}

static void poke(const char *what, u64 pa, int store)
{
	u32 c = exc_log.count;
	map(6, EA_WINDOW, pa);
	if (store)
		st32(EA_WINDOW, 0x5a5a5a5a);
	else
		(void)ld32(EA_WINDOW);
	report(what, c);
}

int main(void)
{
	u32 c;
	puts("hostile_unmapped\n");
	mtmsr(mfmsr() | MSR_ME);

	poke("load beyond RAM", 0x20000000ull, 0);
	poke("store beyond RAM", 0x20000000ull, 1);
	poke("load CCSR hole", 0xfe0030000ull, 0);
	poke("store CCSR hole", 0xfe0030000ull, 1);
	poke("load top of 36-bit space", 0xffffff000ull, 0);
	poke("store top of 36-bit space", 0xffffff000ull, 1);

	/* instruction fetch from nothing: resume at f_back */
	c = exc_log.count;
	map(6, EA_WINDOW, 0x40000000ull);
	exc_log.resume = (u32)f_back;
	__asm__ volatile("lis 9,0xc000\nmtctr 9\nf_fetch: bctrl\nf_back:" ::: "r9", "lr", "ctr");
	report("fetch beyond RAM", c);

	/* RAM is untouched by all of the above */
	puts("ram ok ");
	putc(ld32(0x3000000) == 0 ? '1' : '0');
	putc('\n');

	/* without MSR[ME] the same access is a checkstop: the VM stops here */
	puts("checkstop next\n");
	while (!(((volatile u8 *)(CCSR + 0x4500))[5] & 0x40))
		;
	mtmsr(mfmsr() & ~MSR_ME);
	map(6, EA_WINDOW, 0x20000000ull);
	(void)ld32(EA_WINDOW);
	puts("still running\n");
	return 0;
}
