/*
 * Asynchronous interrupts: decrementer (with auto-reload and wait),
 * processor doorbell, and an MPIC global timer delivered in
 * core-interrupt mode (vector in EPR). Prints counts and entry state, not
 * times, so the output does not depend on host speed.
 */
#include "rt.h"

#define MSR_EE 0x00008000u
#define SPR_DEC 22
#define SPR_DECAR 54
#define SPR_TCR 340
#define SPR_TSR 336
#define TCR_DIE 0x04000000u
#define TCR_ARE 0x00400000u
#define MPIC (CCSR + 0x40000)

static void wait_for(u32 vector, u32 count_before)
{
	/* wait with MSR[EE] set; the interrupt ends the wait */
	while (exc_log.count == count_before)
		__asm__ volatile("wait");
	puts("got v=");
	putdec(exc_log.vector);
	puts(" want=");
	putdec(vector);
	puts(" srr1-ee=");
	putc((exc_log.srr1 & MSR_EE) ? '1' : '0');
	putc('\n');
}

int main(void)
{
	u32 c;
	puts("timers_irq\n");

	/* decrementer, one shot */
	mtspr(SPR_TSR, 0xffffffffu);
	mtspr(SPR_DEC, 20000);
	mtspr(SPR_TCR, TCR_DIE);
	c = exc_log.count;
	mtmsr(mfmsr() | MSR_EE);
	wait_for(10, c);
	mtmsr(mfmsr() & ~MSR_EE);

	/* decrementer with auto-reload: three ticks */
	mtspr(SPR_DECAR, 10000);
	mtspr(SPR_DEC, 10000);
	mtspr(SPR_TCR, TCR_DIE | TCR_ARE);
	c = exc_log.count;
	mtmsr(mfmsr() | MSR_EE);
	for (int i = 0; i < 3; i++) {
		wait_for(10, c);
		c = exc_log.count;
	}
	mtspr(SPR_TCR, 0);
	mtmsr(mfmsr() & ~MSR_EE);
	mtspr(SPR_TSR, 0xffffffffu);

	/* with EE off a pending decrementer waits in TSR[DIS] */
	mtspr(SPR_DEC, 1);
	mtspr(SPR_TCR, TCR_DIE);
	for (volatile int i = 0; i < 100000; i++)
		;
	puts("tsr-dis ");
	putc((mfspr(SPR_TSR) & 0x08000000u) ? '1' : '0');
	putc('\n');
	c = exc_log.count;
	mtmsr(mfmsr() | MSR_EE);
	wait_for(10, c);
	mtmsr(mfmsr() & ~MSR_EE);
	mtspr(SPR_TCR, 0);

	/* processor doorbell to ourselves (msgsnd type 0, broadcast) */
	c = exc_log.count;
	mtmsr(mfmsr() | MSR_EE);
	__asm__ volatile("lis 9,0x0400\nmsgsnd 9" ::: "r9");
	wait_for(36, c);
	mtmsr(mfmsr() & ~MSR_EE);

	/* MPIC identification: Linux keeps core-interrupt delivery only from
	 * block revision 4.0 on (BRR1), and sets up the error interrupt from 4.1. */
	puts("brr1 ");
	puthex(ld32(MPIC + 0x0));
	putc('\n');

	/* MPIC: core-interrupt mode, global timer 0 -> vector 0x77 on CPU 0 */
	st32(MPIC + 0x1020, 0x60000000u);  /* GCR: core-interrupt (external proxy) mode */
	st32(MPIC + 0x20080, 0);           /* CPU 0 task priority 0 */
	st32(MPIC + 0x1130, 1);            /* timer 0 destination: CPU 0 */
	st32(MPIC + 0x1120, (8u << 16) | 0x77); /* timer 0: priority 8, vector 0x77, unmasked */
	st32(MPIC + 0x1110, 5000);         /* base count, counting enabled */
	c = exc_log.count;
	mtmsr(mfmsr() | MSR_EE);
	wait_for(4, c);
	mtmsr(mfmsr() & ~MSR_EE);
	st32(MPIC + 0x1120, 0x80000000u | (8u << 16) | 0x77); /* mask */
	puts("epr ");
	puthex(exc_log.epr);
	putc('\n');
	puts("timer-vpr ");
	puthex(ld32(MPIC + 0x1120) & 0x80ff00ffu);
	putc('\n');
	return 0;
}
