/* Integer mix: table-driven CRC-32 (IEEE 802.3, reflected) over a 64 KiB
 * buffer, many passes. Byte loads, table lookups, shifts and xors. */
#include "bench.h"

#define BUF_BYTES (64u * 1024u)
#define PASSES 96u

static u8 buf[BUF_BYTES];
static u32 table[256];

static void make_table(void)
{
	for (u32 n = 0; n < 256; n++) {
		u32 c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[n] = c;
	}
}

static u32 crc32(u32 crc, const u8 *p, u32 len)
{
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int main(void)
{
	u32 seed = 0x12345678u;
	make_table();
	for (u32 n = 0; n < BUF_BYTES; n++)
		buf[n] = (u8)bench_next(&seed);
	u32 crc = 0;
	for (u32 pass = 0; pass < PASSES; pass++) {
		crc = crc32(crc, buf, BUF_BYTES);
		buf[pass] ^= (u8)crc; /* every pass sees different data */
	}
	bench_result("crc32", crc);
	return 0;
}
