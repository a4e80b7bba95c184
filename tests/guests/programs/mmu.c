/*
 * Book E MMU as the e500mc has it: TLB1 and TLB0 writes, translation to
 * other physical pages, tlbsx hits and misses (MAS registers loaded from
 * MAS4's defaults), tlbre, PID matching, address spaces (MSR[DS]),
 * tlbivax and tlbilx invalidation, execute and write permission faults,
 * and instruction TLB misses.
 */
#include "rt.h"

#define SPR_PID 48
#define SPR_MAS0 624
#define SPR_MAS1 625
#define SPR_MAS2 626
#define SPR_MAS3 627
#define SPR_MAS4 628
#define SPR_MAS6 630
#define SPR_MAS7 944
#define SPR_ESR 62

#define MAS0_TLB1 0x10000000u
#define MAS1_V 0x80000000u
#define MAS1_TS 0x00001000u
#define TSIZE(n) ((u32)(n) << 8) /* 4^n KiB */
#define TID(n) ((u32)(n) << 16)
#define SX 0x10u
#define SW 0x04u
#define SR 0x01u
#define MSR_DS 0x00000010u

extern char f_exec[], f_exec_back[], f_itlb[], f_itlb_back[];

static void arm(u32 resume)
{
	mtspr(SPR_ESR, 0);
	exc_log.resume = resume;
	exc_log.resume_msr = mfmsr();
	exc_log.vector = 0xff;
}

static void tlb_write(u32 mas0, u32 mas1, u32 mas2, u32 mas3)
{
	mtspr(SPR_MAS0, mas0);
	mtspr(SPR_MAS1, mas1);
	mtspr(SPR_MAS2, mas2);
	mtspr(SPR_MAS3, mas3);
	mtspr(SPR_MAS7, 0);
	__asm__ volatile("isync; tlbwe; isync" ::: "memory");
}

/* MAS0[NV] (next victim) is implementation-specific and never shown. What
 * a miss leaves in MAS0[ESEL] when MAS4 selects TLB1, and in MAS2[EPN]
 * after a tlbsx miss, differs between Book E implementations; those lines
 * mask them. */
static void show_mas_masked(const char *what, u32 mas0_shown, u32 mas2_shown)
{
	puts(what);
	puts(" mas0=");
	puthex(mfspr(SPR_MAS0) & mas0_shown);
	puts(" mas1=");
	puthex(mfspr(SPR_MAS1));
	puts(" mas2=");
	puthex(mfspr(SPR_MAS2) & mas2_shown);
	puts(" mas3=");
	puthex(mfspr(SPR_MAS3));
	putc('\n');
}

static void show_mas(const char *what) { show_mas_masked(what, 0xffff0000u, 0xffffffffu); }

static void tlbsx(u32 ea, u32 pid, u32 as)
{
	mtspr(SPR_MAS6, (pid << 16) | as);
	__asm__ volatile("tlbsx 0,%0; isync" : : "r"(ea) : "memory");
}

static void show_fault(const char *what)
{
	puts(what);
	puts(" v=");
	putdec(exc_log.vector);
	puts(" esr=");
	puthex(exc_log.esr);
	puts(" dear=");
	puthex(exc_log.dear);
	putc('\n');
}

/* A load that may fault: the value read, or 0xdeadbeef when it faulted. */
static u32 probe_load(u32 ea)
{
	u32 v = 0xdeadbeefu;
	arm(0);
	__asm__ volatile("lwz %0,0(%1)" : "+r"(v) : "b"(ea) : "memory");
	return exc_log.vector == 0xff ? v : 0xdeadbeefu;
}

int main(void)
{
	puts("mmu\n");
	/* Physical scratch pages in low RAM, reachable 1:1 through the boot mapping. */
	st32(0x01000000u, 0x11111111u);
	st32(0x01100000u, 0x22222222u);
	st32(0x01100004u, 0x33333333u);

	/* TLB1[2]: EA 0x40000000 -> PA 0x01000000, 1 MiB, supervisor read/write. */
	tlb_write(MAS0_TLB1 | (2u << 16), MAS1_V | TSIZE(5), 0x40000000u, 0x01000000u | SR | SW);
	puts("tlb1 read ");
	puthex(ld32(0x40000000u));
	putc('\n');
	st32(0x40000010u, 0xabcdef01u);
	puts("tlb1 write seen at PA ");
	puthex(ld32(0x01000010u));
	putc('\n');

	tlbsx(0x40012345u, 0, 0);
	show_mas("tlbsx hit");
	mtspr(SPR_MAS4, 0x10000000u | TSIZE(1) | 0x0au); /* TLBSELD=1, TSIZED=16K, I|G */
	tlbsx(0x48000000u, 7, 1);
	show_mas_masked("tlbsx miss", 0xffff0000u, 0x1fu);
	mtspr(SPR_MAS0, MAS0_TLB1 | (2u << 16));
	__asm__ volatile("tlbre; isync");
	show_mas("tlbre tlb1[2]");

	/* Write protection: the same page read-only; a store is a DSI with ESR[ST]. */
	tlb_write(MAS0_TLB1 | (2u << 16), MAS1_V | TSIZE(5), 0x40000000u, 0x01000000u | SR);
	arm(0);
	__asm__ volatile("lis 9,0x4000\nstw 9,0x20(9)" ::: "r9", "memory");
	show_fault("store to read-only");
	/* No execute permission: an instruction storage interrupt at the target. */
	st32(0x01000100u, 0x4e800020u); /* blr */
	__asm__ volatile("dcbf 0,%0; sync; icbi 0,%0; isync" : : "r"(0x01000100u) : "memory");
	arm((u32)f_exec_back);
	__asm__ volatile("lis 9,0x4000\nori 9,9,0x100\nmtctr 9\n"
			 "f_exec: bctrl\n"
			 "f_exec_back: nop" ::: "r9", "lr", "ctr", "memory");
	show_fault("execute without SX");
	puts("isi srr0=");
	puthex(exc_log.srr0);
	putc('\n');
	/* With SX the same call returns. */
	tlb_write(MAS0_TLB1 | (2u << 16), MAS1_V | TSIZE(5), 0x40000000u, 0x01000000u | SR | SX);
	arm(0);
	((void (*)(void))0x40000100u)();
	puts("execute with SX: vector ");
	puthex(exc_log.vector);
	putc('\n');

	/* TLB0: EA 0x50000000 -> PA 0x01100000, 4 KiB, TID 5, way chosen by ESEL. */
	tlb_write(1u << 16, MAS1_V | TID(5) | TSIZE(1), 0x50000000u, 0x01100000u | SR | SW);
	puts("tlb0 pid0 ");
	puthex(probe_load(0x50000000u));
	puts(" dear=");
	puthex(exc_log.dear);
	putc('\n');
	mtspr(SPR_PID, 5);
	__asm__ volatile("isync");
	puts("tlb0 pid5 ");
	puthex(probe_load(0x50000004u));
	putc('\n');
	tlbsx(0x50000ffcu, 5, 0);
	show_mas("tlbsx tlb0");

	/* Address space 1: the TLB0 entry is in AS 0, so with MSR[DS] a load misses. */
	tlb_write(MAS0_TLB1 | (3u << 16), MAS1_V | MAS1_TS | TSIZE(8), 0x00000000u, SR | SW);
	/* Nothing may print while MSR[DS] is set: the UART is mapped in AS 0 only. */
	mtmsr(mfmsr() | MSR_DS);
	u32 as1_tlb0 = probe_load(0x50000000u);
	u32 as1_vector = exc_log.vector;
	u32 as1_low = probe_load(0x01100004u);
	mtmsr(mfmsr() & ~MSR_DS);
	puts("as1 ");
	puthex(as1_tlb0);
	puts(" v=");
	putdec(as1_vector);
	puts(" as1 low ram ");
	puthex(as1_low);
	putc('\n');
	tlb_write(MAS0_TLB1 | (3u << 16), 0, 0, 0);

	/* tlbivax invalidates the entry (TLB0 here, by EA) */
	__asm__ volatile("tlbivax 0,%0; tlbsync; isync" : : "r"(0x50000000u) : "memory");
	puts("after tlbivax ");
	puthex(probe_load(0x50000000u));
	putc('\n');
	show_fault("tlb0 miss");
	show_mas_masked("miss loads mas", 0xf0000000u, 0xffffffffu);

	/* tlbilx by address (T=3) removes the TLB1 entry for PID 0 */
	mtspr(SPR_PID, 0);
	tlb_write(MAS0_TLB1 | (2u << 16), MAS1_V | TSIZE(5), 0x40000000u, 0x01000000u | SR | SW);
	mtspr(SPR_MAS6, 0);
	__asm__ volatile("isync; tlbilx 3,0,%0; isync" : : "r"(0x40000000u) : "memory");
	puts("after tlbilx ");
	puthex(probe_load(0x40000000u));
	putc('\n');
	show_fault("tlb1 miss");

	/* Instruction TLB miss: a branch to unmapped EA 0x60000000. */
	arm((u32)f_itlb_back);
	__asm__ volatile("lis 9,0x6000\nmtctr 9\n"
			 "f_itlb: bctrl\n"
			 "f_itlb_back: nop" ::: "r9", "lr", "ctr", "memory");
	show_fault("itlb miss");
	puts("itlb srr0=");
	puthex(exc_log.srr0);
	putc('\n');
	return 0;
}
