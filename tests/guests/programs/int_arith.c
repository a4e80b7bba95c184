/*
 * Integer arithmetic: every record (.) and overflow (o) form, with XER[CA]
 * in and out, over operands at the sign and carry boundaries. Each line:
 *   <insn> <a> <b> <ca_in> -> <rD> cr=<CR> xer=<XER>
 */
#include "rt.h"

static const u32 vals[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe,
			   0xffffffff, 0x0000ffff, 0x12345678, 0xdeadbeef, 0x00010000};
#define NV (sizeof vals / sizeof vals[0])

static void report(const char *name, u32 a, u32 b, u32 ca, u32 d, u32 cr, u32 xer)
{
	puts(name);
	putc(' ');
	puthex(a);
	putc(' ');
	puthex(b);
	putc(' ');
	putc(ca ? '1' : '0');
	puts(" -> ");
	puthex(d);
	puts(" cr=");
	puthex(cr);
	puts(" xer=");
	puthex(xer);
	putc('\n');
}

/* Runs `insn rD,rA,rB` (or `insn rD,rA`) with XER = SO:0 OV:0 CA:ca and CR = 0. */
#define OP3R(insn, id)                                                             \
	static void t3_##id(u32 a, u32 b, u32 ca)                                  \
	{                                                                          \
		u32 d, cr, xer, xin = ca ? 0x20000000u : 0;                        \
		__asm__ volatile("mtxer %5\n\tli %1,0\n\tmtcr %1\n\t" insn        \
				 " %0,%3,%4\n\tmfcr %1\n\tmfxer %2"                \
				 : "=&r"(d), "=&r"(cr), "=&r"(xer)                 \
				 : "r"(a), "r"(b), "r"(xin)                        \
				 : "cr0", "xer");                                  \
		report(insn, a, b, ca, d, cr, xer);                                \
	}
#define OP2R(insn, id)                                                             \
	static void t2_##id(u32 a, u32 ca)                                         \
	{                                                                          \
		u32 d, cr, xer, xin = ca ? 0x20000000u : 0;                        \
		__asm__ volatile("mtxer %4\n\tli %1,0\n\tmtcr %1\n\t" insn        \
				 " %0,%3\n\tmfcr %1\n\tmfxer %2"                   \
				 : "=&r"(d), "=&r"(cr), "=&r"(xer)                 \
				 : "r"(a), "r"(xin)                                \
				 : "cr0", "xer");                                  \
		report(insn, a, 0, ca, d, cr, xer);                                \
	}
#define FORMS3(x)                                                                  \
	OP3R(#x, x) OP3R(#x ".", x##_rc) OP3R(#x "o", x##o) OP3R(#x "o.", x##o_rc)
#define FORMS2(x)                                                                  \
	OP2R(#x, x) OP2R(#x ".", x##_rc) OP2R(#x "o", x##o) OP2R(#x "o.", x##o_rc)
#define RUN3(x)                                                                    \
	t3_##x(a, b, ca);                                                          \
	t3_##x##_rc(a, b, ca);                                                     \
	t3_##x##o(a, b, ca);                                                       \
	t3_##x##o_rc(a, b, ca)
#define RUN2(x)                                                                    \
	t2_##x(a, ca);                                                             \
	t2_##x##_rc(a, ca);                                                        \
	t2_##x##o(a, ca);                                                          \
	t2_##x##o_rc(a, ca)

FORMS3(add)
FORMS3(addc)
FORMS3(adde)
FORMS3(subf)
FORMS3(subfc)
FORMS3(subfe)
FORMS3(mullw)
FORMS3(divw)
FORMS3(divwu)
FORMS2(addme)
FORMS2(addze)
FORMS2(subfme)
FORMS2(subfze)
FORMS2(neg)
OP3R("mulhw", mulhw)
OP3R("mulhw.", mulhw_rc)
OP3R("mulhwu", mulhwu)
OP3R("mulhwu.", mulhwu_rc)

/* Immediate forms with a fixed set of immediates. */
#define IMM(insn, id, imm)                                                         \
	static void ti_##id(u32 a, u32 ca)                                         \
	{                                                                          \
		u32 d, cr, xer, xin = ca ? 0x20000000u : 0;                        \
		__asm__ volatile("mtxer %4\n\tli %1,0\n\tmtcr %1\n\t" insn        \
				 " %0,%3," #imm "\n\tmfcr %1\n\tmfxer %2"          \
				 : "=&r"(d), "=&r"(cr), "=&r"(xer)                 \
				 : "b"(a), "r"(xin)                                \
				 : "cr0", "xer");                                  \
		report(insn " " #imm, a, 0, ca, d, cr, xer);                       \
	}
IMM("addi", addi_m1, -1)
IMM("addi", addi_7fff, 0x7fff)
IMM("addis", addis_8000, -0x8000)
IMM("addic", addic_1, 1)
IMM("addic", addic_m1, -1)
IMM("addic.", addic_rc_m1, -1)
IMM("addic.", addic_rc_1, 1)
IMM("subfic", subfic_0, 0)
IMM("subfic", subfic_m1, -1)
IMM("subfic", subfic_7fff, 0x7fff)
IMM("mulli", mulli_m3, -3)
IMM("mulli", mulli_7fff, 0x7fff)

int main(void)
{
	puts("int_arith\n");
	for (u32 i = 0; i < NV; i++) {
		for (u32 j = 0; j < NV; j++) {
			u32 a = vals[i], b = vals[j];
			for (u32 ca = 0; ca < 2; ca++) {
				RUN3(adde);
				RUN3(subfe);
				if (ca)
					continue;
				RUN3(add);
				RUN3(addc);
				RUN3(subf);
				RUN3(subfc);
				RUN3(mullw);
				RUN3(divw);
				RUN3(divwu);
				t3_mulhw(a, b, 0);
				t3_mulhw_rc(a, b, 0);
				t3_mulhwu(a, b, 0);
				t3_mulhwu_rc(a, b, 0);
			}
		}
	}
	for (u32 i = 0; i < NV; i++) {
		u32 a = vals[i];
		for (u32 ca = 0; ca < 2; ca++) {
			RUN2(addme);
			RUN2(addze);
			RUN2(subfme);
			RUN2(subfze);
			RUN2(neg);
			ti_addi_m1(a, ca);
			ti_addi_7fff(a, ca);
			ti_addis_8000(a, ca);
			ti_addic_1(a, ca);
			ti_addic_m1(a, ca);
			ti_addic_rc_m1(a, ca);
			ti_addic_rc_1(a, ca);
			ti_subfic_0(a, ca);
			ti_subfic_m1(a, ca);
			ti_subfic_7fff(a, ca);
			ti_mulli_m3(a, ca);
			ti_mulli_7fff(a, ca);
		}
	}
	/* XER[SO] is sticky: it survives a non-overflowing o-form and is copied to CR0. */
	{
		u32 d, cr, xer;
		__asm__ volatile("lis %1,0x8000\n\tmtxer %1\n\tli %1,0\n\tmtcr %1\n\t"
				 "li %0,1\n\taddo. %0,%0,%0\n\tmfcr %1\n\tmfxer %2"
				 : "=&r"(d), "=&r"(cr), "=&r"(xer)
				 :
				 : "cr0", "xer");
		report("addo.+so", 1, 1, 0, d, cr, xer);
	}
	return 0;
}
