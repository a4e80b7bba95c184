/*
 * Writes of the time base: the decrementer is an independent counter that
 * a time-base write does not move, while the fixed-interval timer and the
 * watchdog are defined on time-base bit transitions, so a write that turns
 * their bit from 0 to 1 is an event (Book E; the PPC440 and A2 manuals say
 * so explicitly). Prints states, not times.
 */
#include "rt.h"

#define MSR_EE 0x00008000u
#define SPR_DEC 22
#define SPR_TBL_W 284
#define SPR_TBU_W 285
#define SPR_TCR 340
#define SPR_TSR 336
#define TCR_DIE 0x04000000u
#define TSR_ENW 0x80000000u
#define TSR_WIS 0x40000000u
#define TSR_DIS 0x08000000u
#define TSR_FIS 0x04000000u
/* 10 ms at the 400 MHz time base: far longer than the checks take */
#define DEC_TICKS 4000000u

static void show(const char *what, u32 tsr_bit, int dec_left)
{
	puts(what);
	puts(": tsr-bit=");
	putc((mfspr(SPR_TSR) & tsr_bit) ? '1' : '0');
	if (dec_left) {
		/* DEC still near its armed value: the write did not move it */
		puts(" dec-kept=");
		putc(mfspr(SPR_DEC) > DEC_TICKS / 2 ? '1' : '0');
	}
	putc('\n');
}

static void set_tb(u32 hi, u32 lo)
{
	mtspr(SPR_TBL_W, 0);
	mtspr(SPR_TBU_W, hi);
	mtspr(SPR_TBL_W, lo);
}

int main(void)
{
	u32 c;
	puts("timebase_write\n");

	/* decrementer armed, then the time base jumps 2^40 forward and 2^41
	 * back: DEC neither fires at once nor waits for the time base to
	 * come back (that would take 45 minutes) */
	mtspr(SPR_TCR, 0);
	set_tb(0x200, 0);
	mtspr(SPR_TSR, 0xffffffffu);
	mtspr(SPR_DEC, DEC_TICKS);
	mtspr(SPR_TCR, TCR_DIE);
	show("dec armed", TSR_DIS, 1);
	set_tb(0x300, 0);
	show("dec after tb forward", TSR_DIS, 1);
	set_tb(0x100, 0);
	show("dec after tb back", TSR_DIS, 1);
	c = exc_log.count;
	mtmsr(mfmsr() | MSR_EE);
	while (exc_log.count == c)
		__asm__ volatile("wait");
	mtmsr(mfmsr() & ~MSR_EE);
	puts("dec fired v=");
	putdec(exc_log.vector);
	putc('\n');
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, 0xffffffffu);

	/* FIT on TB bit 27 (TBU 0x10, period 2^36 ticks = 170 s): interrupt
	 * disabled, so only TSR[FIS] shows the event */
	mtspr(SPR_TCR, (6u << 13) | (3u << 24)); /* FPEXT:FP = 27 */
	set_tb(0, 0);
	mtspr(SPR_TSR, 0xffffffffu);
	set_tb(0x10, 0);
	show("fit bit 0->1 by write", TSR_FIS, 0);
	mtspr(SPR_TSR, 0xffffffffu);
	set_tb(0, 0);
	show("fit bit 1->0 by write", TSR_FIS, 0);

	/* watchdog on the same bit, no interrupt, no reset: ENW then WIS */
	mtspr(SPR_TCR, (6u << 17) | (3u << 30)); /* WPEXT:WP = 27 */
	mtspr(SPR_TSR, 0xffffffffu);
	set_tb(0x10, 0);
	show("watchdog first time-out (ENW)", TSR_ENW, 0);
	set_tb(0, 0);
	set_tb(0x10, 0);
	show("watchdog second time-out (WIS)", TSR_WIS, 0);
	mtspr(SPR_TCR, 0);
	mtspr(SPR_TSR, 0xffffffffu);
	return 0;
}
