/* Shared helpers of the guest benchmark programs: a deterministic
 * pseudo-random source and the one-line result every program prints. The
 * line is compared with the one QEMU prints for the same program, so it
 * holds nothing that depends on timing. */
#ifndef BENCH_H
#define BENCH_H

#include "../../tests/guests/runtime/rt.h"

/* xorshift32: the same sequence on every emulator. */
static inline u32 bench_next(u32 *state)
{
	u32 x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static inline void bench_result(const char *name, u32 checksum)
{
	puts(name);
	puts(": checksum=");
	puthex(checksum);
	putc('\n');
}

#endif
