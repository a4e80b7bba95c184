/*
 * Guest reset through the GUTS reset control register (RSTCR), as Linux's
 * fsl_rstcr_restart does it. RAM survives a reset, so a marker left beyond
 * the program tells the second boot from the first: the first boot counts
 * to 2 and resets, the second prints what it found and powers off.
 * (With `on-reset: exit` the VMM ends after the first boot with status 3.)
 */
#include "rt.h"

#define GUTS_RSTCR (CCSR + 0xe00b0)
#define RSTCR_HRESET_REQ 0x2u
#define MARKER_ADDR 0x00800000u /* 8 MiB: beyond the program and its stack */
#define MARKER 0x7e5e7001u

int main(void)
{
	u32 boots = ld32(MARKER_ADDR) == MARKER ? ld32(MARKER_ADDR + 4) + 1 : 1;
	st32(MARKER_ADDR, MARKER);
	st32(MARKER_ADDR + 4, boots);
	puts("reset_restart: boot ");
	putdec(boots);
	putc('\n');
	if (boots == 1) {
		puts("requesting a reset through RSTCR\n");
		st32(GUTS_RSTCR, RSTCR_HRESET_REQ);
		for (;;)
			__asm__ volatile("wait");
	}
	st32(MARKER_ADDR, 0); /* a later run of the program starts afresh */
	puts("second boot: the reset kept RAM and restarted at the entry point\n");
	rt_poweroff();
	return 0;
}
