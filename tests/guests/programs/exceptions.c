/*
 * Exception entry state for synchronous interrupts: vector, SRR0 (relative
 * to the faulting instruction's label), SRR1, ESR and DEAR.
 */
#include "rt.h"

/* SRR1 is printed through this mask (PR, EE, FP, ME, IS, DS): QEMU 7.2's
 * e500mc also shows bits in SRR1 that the e500mc MSR does not have
 * (0x00080000), and sets CE after the first rfi; neither is architected. */
#define SRR1_SHOWN 0x0000f030u

#define MSR_PR 0x00004000u
#define MSR_FP 0x00002000u
#define MSR_ME 0x00001000u

extern char f_illegal[], f_popcntb[], f_trap[], f_dtlb_load[], f_dtlb_store[], f_fpu[],
    f_align[], f_dsi[], f_user_priv[], f_user_sc[], f_back[], f_back2[];

volatile struct exc_log sc_copy;

static void arm(u32 resume, u32 msr)
{
	/* ESR starts clear for every case: interrupts that do not write it
	 * (FP unavailable) then show 0, and QEMU 7.2, which does not write ESR
	 * for alignment interrupts, agrees with the ISA's cleared ESR. */
	mtspr(62, 0);
	exc_log.resume = resume;
	exc_log.resume_msr = msr;
	exc_log.vector = 0xff;
}

static void tlb1_write(u32 esel, u32 mas1, u32 mas2, u32 mas3, u32 mas7)
{
	mtspr(624, 0x10000000u | (esel << 16));
	mtspr(625, mas1);
	mtspr(626, mas2);
	mtspr(627, mas3);
	mtspr(944, mas7);
	__asm__ volatile("isync; tlbwe; isync" ::: "memory");
}

int main(void)
{
	u32 v;
	puts("exceptions\n");

	arm(0, 0);
	__asm__ volatile("f_illegal: .long 0");
	print_exc("illegal", (u32)f_illegal);

	arm(0, 0);
	__asm__ volatile("f_popcntb: .long 0x7c6300f4"); /* popcntb r3,r3: not on e500mc */
	print_exc("popcntb", (u32)f_popcntb);

	arm(0, 0);
	__asm__ volatile("f_trap: tweq 0,0");
	print_exc("trap", (u32)f_trap);

	arm(0, 0);
	__asm__ volatile("lis 9,0x4000\nf_dtlb_load: lwz 9,0(9)" ::: "r9");
	print_exc("dtlb-load", (u32)f_dtlb_load);

	arm(0, 0);
	__asm__ volatile("lis 9,0x4000\nori 9,9,0x1234\nf_dtlb_store: stw 9,0(9)" ::: "r9", "memory");
	print_exc("dtlb-store", (u32)f_dtlb_store);

	/* floating point with MSR[FP] = 0 */
	mtmsr(mfmsr() & ~MSR_FP);
	arm(0, 0);
	__asm__ volatile("f_fpu: .long 0xfc00102a"); /* fadd f0,f0,f2 */
	print_exc("fp-unavailable", (u32)f_fpu);

	/* lwarx needs a word-aligned address */
	arm(0, 0);
	__asm__ volatile("lis 9,exc_log@ha\naddi 9,9,exc_log@l+2\nf_align: lwarx 10,0,9"
			 ::: "r9", "r10");
	print_exc("lwarx-misaligned", (u32)f_align);

	/* a supervisor-read-only page: EA 0x30000000 -> PA 0x00100000, 4 KiB, SR only */
	tlb1_write(5, 0x80000100u, 0x30000000u, 0x00100001u, 0);
	v = ld32(0x30000000u);
	puts("ro-page-read ok\n");
	arm(0, 0);
	__asm__ volatile("lis 9,0x3000\nf_dsi: stw 9,8(9)" ::: "r9", "memory");
	print_exc("dsi-store", (u32)f_dsi);
	/* the same page through a 16 KiB mapping with 36-bit RPN bits clear reads the same data */
	tlb1_write(5, 0x80000200u, 0x30000000u, 0x00100005u, 0);
	puts("alias-equal ");
	putc(ld32(0x30000000u) == v ? 'y' : 'n');
	putc('\n');
	tlb1_write(5, 0, 0, 0, 0);

	/* user mode: a privileged instruction, then sc */
	arm((u32)f_back, mfmsr());
	__asm__ volatile("lis 9,f_user_priv@ha\naddi 9,9,f_user_priv@l\nmtsrr0 9\n"
			 "mfmsr 9\nori 9,9,0x4000\nmtsrr1 9\nrfi\n"
			 "f_user_priv: mfmsr 9\n"
			 "f_back: nop" ::: "r9");
	print_exc("user-mfmsr", (u32)f_user_priv);

	/* sc from user mode; user code then copies the log (RAM is user-writable
	 * in the initial mapping) and returns to supervisor through a privileged
	 * instruction. */
	arm((u32)f_back2, mfmsr());
	__asm__ volatile("lis 9,f_user_sc@ha\naddi 9,9,f_user_sc@l\nmtsrr0 9\n"
			 "mfmsr 9\nori 9,9,0x4000\nmtsrr1 9\nrfi\n"
			 "f_user_sc: sc\n"
			 "lis 9,exc_log@ha\naddi 9,9,exc_log@l\n"
			 "lis 10,sc_copy@ha\naddi 10,10,sc_copy@l\n"
			 "lwz 11,0(9)\nstw 11,0(10)\nlwz 11,4(9)\nstw 11,4(10)\n"
			 "lwz 11,8(9)\nstw 11,8(10)\nlwz 11,12(9)\nstw 11,12(10)\n"
			 "mfmsr 9\n"
			 "f_back2: nop" ::: "r9", "r10", "r11", "memory");
	puts("user-sc v=");
	putdec(sc_copy.vector);
	puts(" srr0=+");
	puthex(sc_copy.srr0 - (u32)f_user_sc);
	puts(" srr1=");
	puthex(sc_copy.srr1 & SRR1_SHOWN);
	putc('\n');
	puts("msr ");
	puthex(mfmsr() & (MSR_PR | MSR_ME));
	putc('\n');
	return 0;
}
