/*
 * Records FPU test vectors from a PowerPC e500mc implementation (QEMU user
 * mode, `qemu-ppc -cpu e500mc`). Built with powerpc-linux-gnu-gcc by
 * scripts/gen-fpu-vectors. Each line is
 *   name insn fpscr_in a b c t_in : t_out fpscr_out cr outcome
 * in hex, where a, b, c are f1, f2, f3, the target (when there is one) is f4,
 * compares and mcrfs target CR field 5, and outcome is ok, trap (SIGFPE: an
 * enabled FP exception) or ill (SIGILL).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

struct io {
    uint64_t a, b, c, t, fpscr_in, fpscr_out; /* offsets 0, 8, 16, 24, 32, 40 */
    uint32_t cr;                              /* 48 */
};

typedef void (*runner)(struct io *);
struct op {
    const char *name;
    runner run;
    const uint32_t *insn;
};

#define OP(id, text)                                                                    \
    extern const uint32_t insn_##id[];                                                  \
    static void run_##id(struct io *p)                                                  \
    {                                                                                   \
        __asm__ volatile("lfd 0, 32(%0)\n\tmtfsf 0xff, 0\n\t"                           \
                         "lfd 1, 0(%0)\n\tlfd 2, 8(%0)\n\tlfd 3, 16(%0)\n\tlfd 4, 24(%0)\n\t" \
                         "li 9, 0\n\tmtcr 9\n\t"                                        \
                         ".globl insn_" #id "\n" "insn_" #id ":\n\t" text "\n\t"        \
                         "mfcr 9\n\tstw 9, 48(%0)\n\tmffs 0\n\tstfd 0, 40(%0)\n\t"      \
                         "stfd 4, 24(%0)\n\t"                                           \
                         :                                                              \
                         : "b"(p)                                                       \
                         : "r9", "fr0", "fr1", "fr2", "fr3", "fr4", "cr0", "cr1", "cr2", \
                           "cr3", "cr4", "cr5", "cr6", "cr7", "memory");                 \
    }

/* Arithmetic, both record forms. */
OP(fadd, "fadd 4,1,2") OP(fadd_, "fadd. 4,1,2")
OP(fadds, "fadds 4,1,2") OP(fadds_, "fadds. 4,1,2")
OP(fsub, "fsub 4,1,2") OP(fsub_, "fsub. 4,1,2")
OP(fsubs, "fsubs 4,1,2") OP(fsubs_, "fsubs. 4,1,2")
OP(fmul, "fmul 4,1,3") OP(fmul_, "fmul. 4,1,3")
OP(fmuls, "fmuls 4,1,3") OP(fmuls_, "fmuls. 4,1,3")
OP(fdiv, "fdiv 4,1,2") OP(fdiv_, "fdiv. 4,1,2")
OP(fdivs, "fdivs 4,1,2") OP(fdivs_, "fdivs. 4,1,2")
OP(fmadd_, "fmadd. 4,1,3,2") OP(fmadds_, "fmadds. 4,1,3,2")
OP(fmsub_, "fmsub. 4,1,3,2") OP(fmsubs_, "fmsubs. 4,1,3,2")
OP(fnmadd_, "fnmadd. 4,1,3,2") OP(fnmadds_, "fnmadds. 4,1,3,2")
OP(fnmsub_, "fnmsub. 4,1,3,2") OP(fnmsubs_, "fnmsubs. 4,1,3,2")
/* One-operand. */
OP(frsp_, "frsp. 4,2") OP(fres_, "fres. 4,2") OP(frsqrte_, "frsqrte. 4,2")
OP(fctiw_, "fctiw. 4,2") OP(fctiwz_, "fctiwz. 4,2")
OP(fmr_, "fmr. 4,2") OP(fneg_, "fneg. 4,2") OP(fabs_, "fabs. 4,2") OP(fnabs_, "fnabs. 4,2")
OP(fsel_, "fsel. 4,1,3,2")
/* Compares. */
OP(fcmpu, "fcmpu 5,1,2") OP(fcmpo, "fcmpo 5,1,2")
/* FPSCR moves. */
OP(mffs_, "mffs. 4")
OP(mtfsf_ff, "mtfsf 0xff,2") OP(mtfsf_81_, "mtfsf. 0x81,2") OP(mtfsf_3c, "mtfsf 0x3c,2")
OP(mtfsf_01, "mtfsf 0x01,2") OP(mtfsf_80, "mtfsf 0x80,2") OP(mtfsf_42, "mtfsf 0x42,2")
OP(mtfsfi_0_, "mtfsfi. 0,9") OP(mtfsfi_1, "mtfsfi 1,6") OP(mtfsfi_3, "mtfsfi 3,15")
OP(mtfsfi_6, "mtfsfi 6,8") OP(mtfsfi_7, "mtfsfi 7,3") OP(mtfsfi_4, "mtfsfi 4,0")
#define BITS(X) X(0) X(3) X(4) X(5) X(6) X(7) X(8) X(12) X(13) X(14) X(15) X(19) X(21) \
    X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) X(1) X(2)
#define MTFSB(n) OP(mtfsb0_##n, "mtfsb0 " #n) OP(mtfsb1_##n, "mtfsb1. " #n)
BITS(MTFSB)
#define MCRFS(n) OP(mcrfs_##n, "mcrfs 5," #n)
MCRFS(0) MCRFS(1) MCRFS(2) MCRFS(3) MCRFS(4) MCRFS(5) MCRFS(6) MCRFS(7)
/* Not implemented by the e500mc: encoded by hand (the assembler refuses them). */
OP(fsqrt, ".long 0xfc80102c") OP(fsqrts, ".long 0xec80102c") OP(fre, ".long 0xfc801030")
OP(frsqrtes, ".long 0xec801034") OP(fcfid, ".long 0xfc80169c") OP(fctid, ".long 0xfc80165c")
OP(frin, ".long 0xfc801310") OP(fcpsgn, ".long 0xfc811010")

#define ENTRY(id) {#id, run_##id, insn_##id},

/* Leaves the FPSCR all zero: a set FEX would make QEMU trap again on the
 * generator's own FP code (its user mode runs with MSR[FE0|FE1] set). */
static void clear_fpscr(void)
{
    static const double zero = 0.0;
    __asm__ volatile("lfd 0, 0(%0)\n\tmtfsf 0xff, 0" : : "b"(&zero) : "fr0");
}

static sigjmp_buf recover;
static volatile struct io *current;
static volatile int signal_seen;

static void on_signal(int sig, siginfo_t *info, void *context)
{
    (void)info;
    ucontext_t *uc = context;
    mcontext_t *mc = uc->uc_mcontext.uc_regs;
    uint64_t bits;
    memcpy(&bits, &mc->fpregs.fpregs[4], 8);
    current->t = bits;
    memcpy(&bits, &mc->fpregs.fpscr, 8);
    current->fpscr_out = bits;
    current->cr = (uint32_t)mc->gregs[38]; /* PT_CCR */
    signal_seen = sig;
    clear_fpscr();
    siglongjmp(recover, 1);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const uint64_t edge[] = {
    0x0000000000000000ull, /* +0 */
    0x8000000000000000ull, /* -0 */
    0x3FF0000000000000ull, /* 1 */
    0xBFF8000000000000ull, /* -1.5 */
    0x3FB999999999999Aull, /* 0.1 */
    0x7FEFFFFFFFFFFFFFull, /* max double */
    0x0010000000000000ull, /* min normal double */
    0x800FFFFFFFFFFFFFull, /* largest negative denormal */
    0x0000000000000001ull, /* smallest denormal */
    0x7FF0000000000000ull, /* +Inf */
    0xFFF0000000000000ull, /* -Inf */
    0x7FF8000012345678ull, /* QNaN with low payload */
    0x7FF4000012345678ull, /* SNaN */
    0x47EFFFFFF0000000ull, /* just above the largest single: rounds up past it */
    0x3730000000000000ull, /* 2^-140: single denormal */
    0x3FF0000010000001ull, /* 1 + 2^-24 + tiny: single rounding direction */
    0xFFF80000AAAAAAAAull, /* negative QNaN */
    0x7E37E43C8800759Cull, /* 1e300 */
    0x01A56E1FC2F8F359ull, /* 1e-300 */
    0x0018000000000000ull, /* 1.5 * 2^-1022 */
    0xC01C000000000000ull, /* -7 */
    0x41DFFFFFFFC00000ull, /* 2^31 - 1 */
    0xC1E0000000100000ull, /* -(2^31 + 0.5) */
    0x4004000000000000ull, /* 2.5 */
    0x47EFFFFFE0000000ull, /* largest single */
    0x3810000000000000ull, /* smallest single normal */
};
#define EDGE_COUNT (sizeof edge / sizeof edge[0])
#define PAIR_COUNT 13 /* the first 13 edge values are crossed exhaustively */

static uint64_t random_value(void)
{
    uint64_t r = next_random();
    if (r % 3 == 0) {
        return edge[next_random() % EDGE_COUNT];
    }
    static const int centre[] = {1023, 1023, 5, 2040, 897, 1150, 1023 - 30};
    int e = centre[next_random() % 7] + (int)(next_random() % 13) - 6;
    if (e < 0) e = 0;
    if (e > 2046) e = 2046;
    uint64_t mant = next_random() & 0xFFFFFFFFFFFFFull;
    if (next_random() % 3 == 0) {
        mant &= ~0x1FFFFFFFull; /* a value exactly representable as single */
    }
    return ((next_random() & 1) << 63) | ((uint64_t)e << 52) | mant;
}

/* A random FPSCR: rounding mode, enables, and sticky bits that cannot make
 * FEX set (mtfsf would trap before the instruction under test). */
static uint32_t random_fpscr(void)
{
    uint32_t f = next_random() & 3;
    static const uint32_t enable[] = {0x80, 0x40, 0x20, 0x10, 0x08};     /* VE OE UE ZE XE */
    static const uint32_t sticky[] = {0x0, 0x10000000, 0x08000000, 0x04000000, 0x02000000};
    for (int i = 0; i < 5; ++i) {
        if (next_random() % 4 == 0) {
            f |= enable[i];
        } else if (i > 0 && next_random() % 5 == 0) {
            f |= sticky[i] | 0x80000000u; /* OX/UX/ZX/XX with FX */
        }
    }
    if (next_random() % 6 == 0) {
        f |= 0x6000; /* FR FI */
    }
    if (next_random() % 6 == 0) {
        f |= 0x1F000; /* FPRF */
    }
    return f;
}

static const uint64_t SENTINEL = 0x7FF0DEAD5EED0001ull;

static void record(const struct op *op, uint32_t fpscr, uint64_t a, uint64_t b, uint64_t c)
{
    struct io io = {a, b, c, SENTINEL, fpscr, 0, 0};
    current = &io;
    signal_seen = 0;
    if (sigsetjmp(recover, 1) == 0) {
        op->run(&io);
    }
    clear_fpscr();
    const char *outcome = signal_seen == SIGFPE ? "trap" : signal_seen == SIGILL ? "ill" : "ok";
    printf("%s %08x %08x %016llx %016llx %016llx %016llx : %016llx %08x %08x %s\n", op->name,
           op->insn[0], fpscr, (unsigned long long)a, (unsigned long long)b,
           (unsigned long long)c, (unsigned long long)SENTINEL, (unsigned long long)io.t,
           (uint32_t)io.fpscr_out, io.cr, outcome);
}

static const struct op binary_ops[] = {
    ENTRY(fadd) ENTRY(fadds) ENTRY(fsub) ENTRY(fsubs) ENTRY(fmul) ENTRY(fmuls) ENTRY(fdiv)
    ENTRY(fdivs)};
static const struct op binary_rc_ops[] = {
    ENTRY(fadd_) ENTRY(fadds_) ENTRY(fsub_) ENTRY(fsubs_) ENTRY(fmul_) ENTRY(fmuls_) ENTRY(fdiv_)
    ENTRY(fdivs_)};
static const struct op fused_ops[] = {
    ENTRY(fmadd_) ENTRY(fmadds_) ENTRY(fmsub_) ENTRY(fmsubs_) ENTRY(fnmadd_) ENTRY(fnmadds_)
    ENTRY(fnmsub_) ENTRY(fnmsubs_)};
static const struct op unary_ops[] = {
    ENTRY(frsp_) ENTRY(fres_) ENTRY(frsqrte_) ENTRY(fctiw_) ENTRY(fctiwz_)};
static const struct op move_ops[] = {
    ENTRY(fmr_) ENTRY(fneg_) ENTRY(fabs_) ENTRY(fnabs_) ENTRY(fsel_)};
static const struct op compare_ops[] = {ENTRY(fcmpu) ENTRY(fcmpo)};
static const struct op fpscr_ops[] = {
    ENTRY(mffs_) ENTRY(mtfsf_ff) ENTRY(mtfsf_81_) ENTRY(mtfsf_3c) ENTRY(mtfsf_01) ENTRY(mtfsf_80)
    ENTRY(mtfsf_42) ENTRY(mtfsfi_0_) ENTRY(mtfsfi_1) ENTRY(mtfsfi_3) ENTRY(mtfsfi_6)
    ENTRY(mtfsfi_7) ENTRY(mtfsfi_4)
#define MTFSB_ENTRY(n) ENTRY(mtfsb0_##n) ENTRY(mtfsb1_##n)
    BITS(MTFSB_ENTRY)
#define MCRFS_ENTRY(n) ENTRY(mcrfs_##n)
    MCRFS_ENTRY(0) MCRFS_ENTRY(1) MCRFS_ENTRY(2) MCRFS_ENTRY(3) MCRFS_ENTRY(4) MCRFS_ENTRY(5)
    MCRFS_ENTRY(6) MCRFS_ENTRY(7)};
static const struct op illegal_ops[] = {
    ENTRY(fsqrt) ENTRY(fsqrts) ENTRY(fre) ENTRY(frsqrtes) ENTRY(fcfid) ENTRY(fctid) ENTRY(frin)
    ENTRY(fcpsgn)};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);

    /* Binary operations: edge values crossed, default FPSCR. */
    for (unsigned o = 0; o < COUNT(binary_ops); ++o)
        for (unsigned i = 0; i < PAIR_COUNT; ++i)
            for (unsigned j = 0; j < PAIR_COUNT; ++j)
                record(&binary_ops[o], 0, edge[i], edge[j], edge[j]);
    /* Binary record forms: random values, rounding modes and enables. */
    for (unsigned o = 0; o < COUNT(binary_rc_ops); ++o)
        for (int n = 0; n < 40; ++n) {
            uint64_t a = random_value(), b = random_value();
            record(&binary_rc_ops[o], random_fpscr(), a, b, b);
        }
    /* Fused: random triples, some arranged to cancel. */
    for (unsigned o = 0; o < COUNT(fused_ops); ++o)
        for (int n = 0; n < 60; ++n) {
            uint64_t a = random_value(), b = random_value(), c = random_value();
            if (n % 4 == 0) {
                double x, y, p;
                memcpy(&x, &a, 8);
                memcpy(&y, &c, 8);
                p = x * y;
                memcpy(&b, &p, 8);
                if (n % 8 == 0) b ^= 1ull << 63;
            }
            record(&fused_ops[o], random_fpscr(), a, b, c);
        }
    /* One-operand: every edge value in every rounding mode, then random. */
    for (unsigned o = 0; o < COUNT(unary_ops); ++o) {
        for (unsigned i = 0; i < EDGE_COUNT; ++i)
            record(&unary_ops[o], i & 3, 0, edge[i], 0);
        for (int n = 0; n < 40; ++n)
            record(&unary_ops[o], random_fpscr(), 0, random_value(), 0);
    }
    for (unsigned o = 0; o < COUNT(move_ops); ++o)
        for (unsigned i = 0; i < EDGE_COUNT; ++i)
            record(&move_ops[o], random_fpscr(), edge[i], edge[(i + 3) % EDGE_COUNT],
                   edge[(i + 7) % EDGE_COUNT]);
    for (unsigned o = 0; o < COUNT(compare_ops); ++o) {
        for (unsigned i = 0; i < PAIR_COUNT; ++i)
            for (unsigned j = 0; j < PAIR_COUNT; ++j)
                record(&compare_ops[o], (i + j) % 3 == 0 ? 0x80 : 0, edge[i], edge[j], 0);
    }
    for (unsigned o = 0; o < COUNT(fpscr_ops); ++o)
        for (int n = 0; n < 3; ++n) {
            uint32_t f = random_fpscr();
            uint64_t b = next_random() & 0xFFFFFFFF9FFFFFFFull;
            record(&fpscr_ops[o], f, 0, b, 0);
        }
    for (unsigned o = 0; o < COUNT(illegal_ops); ++o)
        record(&illegal_ops[o], 0, 0, edge[2], 0);
    return 0;
}
