/* Memory copy: word copies (unrolled) and byte copies at odd offsets
 * between two 256 KiB buffers; the checksum reads the result back. */
#include "bench.h"

#define BYTES (256u * 1024u)
#define PASSES 24u

static u32 src[BYTES / 4];
static u32 dst[BYTES / 4];

static void copy_words(u32 *d, const u32 *s, u32 words)
{
	for (; words >= 4; words -= 4, d += 4, s += 4) {
		u32 a = s[0], b = s[1], c = s[2], e = s[3];
		d[0] = a;
		d[1] = b;
		d[2] = c;
		d[3] = e;
	}
	while (words--)
		*d++ = *s++;
}

static void copy_bytes(u8 *d, const u8 *s, u32 bytes)
{
	while (bytes--)
		*d++ = *s++;
}

int main(void)
{
	u32 seed = 0x9e3779b9u;
	for (u32 n = 0; n < BYTES / 4; n++)
		src[n] = bench_next(&seed);
	u32 sum = 0;
	for (u32 pass = 0; pass < PASSES; pass++) {
		if (pass & 1)
			copy_bytes((u8 *)dst + (pass & 7), (const u8 *)src + 3, BYTES - 8);
		else
			copy_words(dst, src, BYTES / 4);
		for (u32 n = pass; n < BYTES / 4; n += 61)
			sum = (sum << 1 | sum >> 31) ^ dst[n];
		src[pass] = sum;
	}
	bench_result("memcpy", sum);
	return 0;
}
