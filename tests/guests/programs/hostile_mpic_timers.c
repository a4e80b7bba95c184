/*
 * Hostile guest: misprograms the MPIC (vectors and priorities out of range,
 * destinations naming CPUs that do not exist or none, acknowledge and EOI
 * with nothing pending, reset while a timer runs) and sets absurd timer
 * values (decrementer and MPIC timers at their extremes, time base written
 * near wrap-around, the fastest fixed-interval timer). The VMM keeps
 * running: the guest reads back what the registers hold and powers off.
 */
#include "rt.h"

#define MSR_EE 0x00008000u
#define MPIC (CCSR + 0x40000)
#define GCR (MPIC + 0x1020)
#define SPURIOUS (MPIC + 0x10e0)
#define TIMER0 (MPIC + 0x1100)   /* +0x10 base count, +0x20 vector/priority, +0x30 destination */
#define SRC(n) (MPIC + 0x10000 + (n) * 0x20)
#define CPU0 (MPIC + 0x20000)   /* +0x80 task priority, +0xa0 IACK, +0xb0 EOI */
#define SPR_DEC 22
#define SPR_DECAR 54
#define SPR_TCR 340
#define SPR_TSR 336
#define SPR_TBWL 284
#define SPR_TBWU 285
#define SPR_TBL 268
#define SPR_TBU 269

static void show(const char *what, u32 v)
{
	puts(what);
	putc(' ');
	puthex(v);
	putc('\n');
}

static void spin(u32 n)
{
	for (volatile u32 i = 0; i < n; i++)
		;
}

int main(void)
{
	puts("hostile_mpic_timers\n");

	/* MPIC: reset, then core-interrupt mode as Linux leaves it */
	st32(GCR, 0x80000000u);
	while (ld32(GCR) & 0x80000000u)
		;
	st32(GCR, 0x60000000u);
	st32(SPURIOUS, 0xffffffffu);          /* spurious vector: every bit */
	show("spurious", ld32(SPURIOUS));

	/* a source with every bit set: masked or not, absurd priority and vector */
	st32(SRC(3), 0xffffffffu);
	st32(SRC(3) + 0x10, 0xffffffffu);     /* every CPU, most of which do not exist */
	show("src3 vpr", ld32(SRC(3)));
	show("src3 dest", ld32(SRC(3) + 0x10));
	st32(SRC(4), 0x000f00ffu);            /* unmasked, priority 15 */
	st32(SRC(4) + 0x10, 0);               /* no destination at all */
	show("src4 dest", ld32(SRC(4) + 0x10));
	/* a source number beyond the controller's 256 */
	st32(MPIC + 0x10000 + 300 * 0x20, 0x12345678u);
	show("src beyond", ld32(MPIC + 0x10000 + 300 * 0x20));

	/* acknowledge and EOI with nothing pending */
	st32(CPU0 + 0x80, 0);
	show("iack idle", ld32(CPU0 + 0xa0));
	for (int i = 0; i < 20; i++)
		st32(CPU0 + 0xb0, 0);
	show("task priority", ld32(CPU0 + 0x80));

	/* MPIC timers: the shortest and the longest count, destination none */
	st32(TIMER0 + 0x30, 0);
	st32(TIMER0 + 0x20, (15u << 16) | 0x77);
	st32(TIMER0 + 0x10, 1);
	st32(TIMER0 + 0x40 + 0x30, 1);
	st32(TIMER0 + 0x40 + 0x20, 0x80000000u | (15u << 16) | 0x78);
	st32(TIMER0 + 0x40 + 0x10, 0x7fffffffu);
	spin(20000);
	puts("timers running\n");
	/* reset the controller while they run: everything masked again */
	st32(GCR, 0x80000000u);
	while (ld32(GCR) & 0x80000000u)
		;
	show("timer0 vpr after reset", ld32(TIMER0 + 0x20) & 0x80000000u);

	/* decrementer: one tick with auto-reload of one, interrupts off */
	mtspr(SPR_TSR, 0xffffffffu);
	mtspr(SPR_DECAR, 1);
	mtspr(SPR_DEC, 1);
	mtspr(SPR_TCR, 0x04400000u);          /* DIE | ARE */
	spin(10000);
	show("tsr dis", mfspr(SPR_TSR) & 0x08000000u);
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, 0xffffffffu);
	/* the largest count: never fires during this program */
	mtspr(SPR_DEC, 0xffffffffu);
	mtspr(SPR_TCR, 0x04000000u);
	mtmsr(mfmsr() | MSR_EE);
	spin(10000);
	mtmsr(mfmsr() & ~MSR_EE);
	show("dec still high", mfspr(SPR_DEC) >= 0x80000000u);
	mtspr(SPR_TCR, 0);

	/* time base written just below wrap-around: it wraps and keeps counting */
	mtspr(SPR_TBWL, 0);
	mtspr(SPR_TBWU, 0xffffffffu);
	mtspr(SPR_TBWL, 0xfffff000u);
	spin(10000);
	show("tbu wrapped", mfspr(SPR_TBU) == 0 ? 1 : 0);

	/* fastest fixed-interval timer (FPEXT:FP = 63: every time base tick), interrupts off */
	mtspr(SPR_TSR, 0xffffffffu);
	mtspr(SPR_TCR, 0x0381e000u);          /* FIE, FP 3, FPEXT 15 */
	spin(1000);
	show("tsr fis", mfspr(SPR_TSR) & 0x04000000u);
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, 0xffffffffu);
	return 0;
}
