/*
 * Classic FPU: arithmetic, fused multiply-add, single precision, rounding
 * modes, conversions, compares, selects and estimates over edge values
 * (signed zeros, infinities, quiet and signalling NaNs, denormals, the
 * largest finite value). Each line shows the result's bits and FPSCR, which
 * is cleared (keeping the rounding mode) before every instruction.
 *
 * QEMU 7.2 never sets FPSCR[FR] (fraction rounded); the ISA and vmcompose
 * do. FR is masked out of the printed FPSCR so the lines compare with the
 * recording; the emulator's unit tests check FR itself.
 */
#include "rt.h"

#define MSR_FP 0x00002000u
#define FPSCR_FR 0x00040000u

typedef union {
	u64 u;
	double d;
} f64;

static const u64 POS_ZERO = 0x0000000000000000ull, NEG_ZERO = 0x8000000000000000ull;
static const u64 ONE = 0x3ff0000000000000ull, THREE = 0x4008000000000000ull;
static const u64 NEG_TWO = 0xc000000000000000ull, HALF = 0x3fe0000000000000ull;
static const u64 POS_INF = 0x7ff0000000000000ull, NEG_INF = 0xfff0000000000000ull;
static const u64 QNAN = 0x7ff8000000000123ull, SNAN = 0x7ff0000000000456ull;
static const u64 DENORM = 0x0000000000000001ull, MIN_NORMAL = 0x0010000000000000ull;
static const u64 MAX = 0x7fefffffffffffffull, BIG_INT = 0x41f0000000000000ull; /* 2^32 */
static const u64 PI = 0x400921fb54442d18ull, TINY_SINGLE = 0x36a0000000000000ull; /* 2^-149 */

static u64 in_a, in_b, in_c, out_t;
static f64 fpscr_bits;

/* Clears FPSCR except the rounding mode (RN, the low two bits). */
static void clear_fpscr(u32 rn)
{
	fpscr_bits.u = rn;
	__asm__ volatile("lfd 4,0(%0); mtfsf 0xff,4" : : "b"(&fpscr_bits) : "memory");
}

static u32 read_fpscr(void)
{
	__asm__ volatile("mffs 4; stfd 4,0(%0)" : : "b"(&fpscr_bits) : "memory");
	return (u32)fpscr_bits.u;
}

/* Loads a, b, c into f1, f2, f3, runs INSN (result in f0), stores f0. */
#define RUN(INSN)                                                                     \
	__asm__ volatile("lfd 1,0(%1); lfd 2,0(%2); lfd 3,0(%3); fmr 0,1;" INSN "; stfd 0,0(%0)" \
			 : : "b"(&out_t), "b"(&in_a), "b"(&in_b), "b"(&in_c) : "memory")

static void show(const char *name, u32 cr)
{
	u32 fpscr = read_fpscr() & ~FPSCR_FR;
	puts(name);
	puts(" -> ");
	puthex64(out_t);
	puts(" fpscr=");
	puthex(fpscr);
	if (cr != 0xffffffffu) {
		puts(" cr1=");
		puthex(cr);
	}
	putc('\n');
}

static u32 mfcr(void)
{
	u32 v;
	__asm__ volatile("mfcr %0" : "=r"(v));
	return v;
}

#define OP3(NAME, INSN, A, B, C, RN)                                                     \
	do {                                                                             \
		in_a = (A);                                                              \
		in_b = (B);                                                              \
		in_c = (C);                                                              \
		clear_fpscr(RN);                                                         \
		RUN(INSN);                                                               \
		show(NAME, 0xffffffffu);                                                 \
	} while (0)

/* Record form: also shows CR1 (FX FEX VX OX copied from FPSCR). */
#define OP3_DOT(NAME, INSN, A, B, C)                                                     \
	do {                                                                             \
		in_a = (A);                                                              \
		in_b = (B);                                                              \
		in_c = (C);                                                              \
		clear_fpscr(0);                                                          \
		__asm__ volatile("mtcrf 0x40,%0" : : "r"(0));                            \
		RUN(INSN);                                                               \
		show(NAME, (mfcr() >> 24) & 0xf);                                        \
	} while (0)

static void arithmetic(void)
{
	OP3("fadd 1+3", "fadd 0,1,2", ONE, THREE, 0, 0);
	OP3("fadd inf+-inf", "fadd 0,1,2", POS_INF, NEG_INF, 0, 0);
	OP3("fadd -0+-0", "fadd 0,1,2", NEG_ZERO, NEG_ZERO, 0, 0);
	OP3("fadd -0+0 RM", "fadd 0,1,2", NEG_ZERO, POS_ZERO, 0, 3);
	OP3("fadd qnan+1", "fadd 0,1,2", QNAN, ONE, 0, 0);
	OP3("fadd snan+1", "fadd 0,1,2", SNAN, ONE, 0, 0);
	OP3("fadd max+max", "fadd 0,1,2", MAX, MAX, 0, 0);
	OP3("fadd max+max RZ", "fadd 0,1,2", MAX, MAX, 0, 1);
	OP3("fsub 1-1", "fsub 0,1,2", ONE, ONE, 0, 0);
	OP3("fsub 1-1 RM", "fsub 0,1,2", ONE, ONE, 0, 3);
	OP3("fsub denorm-min", "fsub 0,1,2", DENORM, MIN_NORMAL, 0, 0);
	OP3("fmul denorm*half", "fmul 0,1,3", DENORM, 0, HALF, 0);
	OP3("fmul min*half", "fmul 0,1,3", MIN_NORMAL, 0, HALF, 0);
	OP3("fmul 0*inf", "fmul 0,1,3", POS_ZERO, 0, POS_INF, 0);
	OP3("fmul max*3", "fmul 0,1,3", MAX, 0, THREE, 0);
	OP3("fdiv 1/3 RN", "fdiv 0,1,2", ONE, THREE, 0, 0);
	OP3("fdiv 1/3 RZ", "fdiv 0,1,2", ONE, THREE, 0, 1);
	OP3("fdiv 1/3 RP", "fdiv 0,1,2", ONE, THREE, 0, 2);
	OP3("fdiv 1/3 RM", "fdiv 0,1,2", ONE, THREE, 0, 3);
	OP3("fdiv 1/0", "fdiv 0,1,2", ONE, POS_ZERO, 0, 0);
	OP3("fdiv -1/0", "fdiv 0,1,2", ONE, NEG_ZERO, 0, 0);
	OP3("fdiv 0/0", "fdiv 0,1,2", POS_ZERO, POS_ZERO, 0, 0);
	OP3("fdiv inf/inf", "fdiv 0,1,2", POS_INF, POS_INF, 0, 0);
	OP3("fdiv min/3", "fdiv 0,1,2", MIN_NORMAL, THREE, 0, 0);
	OP3_DOT("fdiv. 1/0", "fdiv. 0,1,2", ONE, POS_ZERO, 0);
	OP3_DOT("fadd. snan", "fadd. 0,1,2", SNAN, ONE, 0);
}

static void fused(void)
{
	OP3("fmadd pi*3+1", "fmadd 0,1,3,2", PI, ONE, THREE, 0);
	OP3("fmsub pi*3-1", "fmsub 0,1,3,2", PI, ONE, THREE, 0);
	OP3("fnmadd pi*3+1", "fnmadd 0,1,3,2", PI, ONE, THREE, 0);
	OP3("fnmsub pi*3-1", "fnmsub 0,1,3,2", PI, ONE, THREE, 0);
	OP3("fmadd 0*inf+1", "fmadd 0,1,3,2", POS_ZERO, ONE, POS_INF, 0);
	OP3("fmadd 1*inf+-inf", "fmadd 0,1,3,2", ONE, NEG_INF, POS_INF, 0);
	OP3("fmadd qnan*1+snan", "fmadd 0,1,3,2", QNAN, SNAN, ONE, 0);
	OP3("fmadds pi*3+1", "fmadds 0,1,3,2", PI, ONE, THREE, 0);
	OP3("fnmsub 1*1-1", "fnmsub 0,1,3,2", ONE, ONE, ONE, 0);
}

static void single(void)
{
	OP3("fadds 1+3", "fadds 0,1,2", ONE, THREE, 0, 0);
	OP3("fdivs 1/3", "fdivs 0,1,2", ONE, THREE, 0, 0);
	OP3("fdivs 1/3 RP", "fdivs 0,1,2", ONE, THREE, 0, 2);
	OP3("fmuls max*1", "fmuls 0,1,3", MAX, 0, ONE, 0);
	OP3("fmuls tiny*half", "fmuls 0,1,3", TINY_SINGLE, 0, HALF, 0);
	OP3("fsubs pi-1", "fsubs 0,1,2", PI, ONE, 0, 0);
	OP3("frsp pi", "frsp 0,1", PI, 0, 0, 0);
	OP3("frsp pi RZ", "frsp 0,1", PI, 0, 0, 1);
	OP3("frsp snan", "frsp 0,1", SNAN, 0, 0, 0);
	OP3("frsp max", "frsp 0,1", MAX, 0, 0, 0);
	OP3("frsp denorm", "frsp 0,1", DENORM, 0, 0, 0);
}

static void conversions(void)
{
	OP3("fctiw pi", "fctiw 0,1", PI, 0, 0, 0);
	OP3("fctiw -2.5 RN", "fctiw 0,1", 0xc004000000000000ull, 0, 0, 0);
	OP3("fctiw -2.5 RP", "fctiw 0,1", 0xc004000000000000ull, 0, 0, 2);
	OP3("fctiwz -2.5", "fctiwz 0,1", 0xc004000000000000ull, 0, 0, 0);
	OP3("fctiw 2^32", "fctiw 0,1", BIG_INT, 0, 0, 0);
	OP3("fctiw -inf", "fctiw 0,1", NEG_INF, 0, 0, 0);
	OP3("fctiw qnan", "fctiw 0,1", QNAN, 0, 0, 0);
	OP3("fctiw snan", "fctiw 0,1", SNAN, 0, 0, 0);
	OP3("fctiwz -0", "fctiwz 0,1", NEG_ZERO, 0, 0, 0);
}

static void moves_and_selects(void)
{
	OP3("fabs -2", "fabs 0,1", NEG_TWO, 0, 0, 0);
	OP3("fnabs 3", "fnabs 0,1", THREE, 0, 0, 0);
	OP3("fneg snan", "fneg 0,1", SNAN, 0, 0, 0);
	OP3("fmr qnan", "fmr 0,1", QNAN, 0, 0, 0);
	OP3("fsel -0 ? 1 : 3", "fsel 0,1,2,3", NEG_ZERO, ONE, THREE, 0);
	OP3("fsel -2 ? 1 : 3", "fsel 0,1,2,3", NEG_TWO, ONE, THREE, 0);
	OP3("fsel nan ? 1 : 3", "fsel 0,1,2,3", QNAN, ONE, THREE, 0);
	OP3("fres 3", "fres 0,1", THREE, 0, 0, 0);
	OP3("fres 0", "fres 0,1", POS_ZERO, 0, 0, 0);
	OP3("frsqrte 3", "frsqrte 0,1", THREE, 0, 0, 0);
	OP3("frsqrte -2", "frsqrte 0,1", NEG_TWO, 0, 0, 0);
}

static void compares(void)
{
	static const struct {
		const char *name;
		u64 a, b;
	} cases[] = {
		{"1 ? 3", ONE, THREE}, {"3 ? 1", THREE, ONE},     {"-0 ? 0", NEG_ZERO, POS_ZERO},
		{"qnan ? 1", QNAN, ONE}, {"snan ? 1", SNAN, ONE}, {"-inf ? max", NEG_INF, MAX},
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
		for (int ordered = 0; ordered < 2; ++ordered) {
			in_a = cases[i].a;
			in_b = cases[i].b;
			out_t = 0;
			clear_fpscr(0);
			if (ordered)
				__asm__ volatile("lfd 1,0(%0); lfd 2,0(%1); fcmpo 1,1,2"
						 : : "b"(&in_a), "b"(&in_b) : "memory");
			else
				__asm__ volatile("lfd 1,0(%0); lfd 2,0(%1); fcmpu 1,1,2"
						 : : "b"(&in_a), "b"(&in_b) : "memory");
			puts(ordered ? "fcmpo " : "fcmpu ");
			show(cases[i].name, (mfcr() >> 24) & 0xf);
		}
	}
}

int main(void)
{
	puts("fp_arith\n");
	mtmsr(mfmsr() | MSR_FP);
	arithmetic();
	fused();
	single();
	conversions();
	moves_and_selects();
	compares();
	puts("fp_arith done\n");
	rt_poweroff();
	return 0;
}
