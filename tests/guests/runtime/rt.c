/* Runtime for the guest test programs: ns16550 output and GPIO power-off. */
#include "rt.h"

#define UART (CCSR + 0x4500)
#define GPIO (CCSR + 0xff000)

volatile struct exc_log exc_log;

void putc(char c)
{
	volatile u8 *uart = (volatile u8 *)UART;
	if (c == '\n')
		putc('\r');
	while (!(uart[5] & 0x20))
		;
	uart[0] = (u8)c;
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

void puthex(u32 v)
{
	for (int i = 28; i >= 0; i -= 4)
		putc("0123456789abcdef"[(v >> i) & 0xf]);
}

void puthex64(u64 v)
{
	puthex((u32)(v >> 32));
	puthex((u32)v);
}

void putdec(u32 v)
{
	char buf[11];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc(buf[--n]);
}

void print_exc(const char *what, u32 base)
{
	puts(what);
	puts(" v=");
	putdec(exc_log.vector);
	puts(" srr0=+");
	puthex(exc_log.srr0 - base);
	puts(" srr1=");
	puthex(exc_log.srr1 & 0x0000f030u); /* PR EE FP ME IS DS: see exceptions.c */
	puts(" esr=");
	puthex(exc_log.esr);
	puts(" dear=");
	puthex(exc_log.dear);
	putc('\n');
}

void rt_poweroff(void)
{
	volatile u8 *uart = (volatile u8 *)UART;
	puts("END\n");
	while (!(uart[5] & 0x40))
		;
	st32(GPIO + 0x00, 0x80000000u);
	st32(GPIO + 0x08, 0x80000000u);
	for (;;)
		;
}
