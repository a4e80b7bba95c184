#include "fp_oracle/cases.hpp"

#include <array>
#include <bit>
#include <cmath>

namespace vmc::fp_oracle {
namespace {

constexpr uint32_t a_form(unsigned primary, unsigned xo, bool a, bool b, bool c) {
    return (primary << 26) | (kT << 21) | ((a ? kA : 0) << 16) | ((b ? kB : 0) << 11) |
           ((c ? kC : 0) << 6) | (xo << 1);
}
constexpr uint32_t x_form(unsigned xo, unsigned t, unsigned a, unsigned b) {
    return (63u << 26) | (t << 21) | (a << 16) | (b << 11) | (xo << 1);
}

constexpr std::array kInstructions{
    Instruction{"fdivs", a_form(59, 18, true, true, false), true, false},
    Instruction{"fsubs", a_form(59, 20, true, true, false), true, false},
    Instruction{"fadds", a_form(59, 21, true, true, false), true, false},
    Instruction{"fres", a_form(59, 24, false, true, false), true, false},
    Instruction{"fmuls", a_form(59, 25, true, false, true), true, false},
    Instruction{"fmsubs", a_form(59, 28, true, true, true), true, false},
    Instruction{"fmadds", a_form(59, 29, true, true, true), true, false},
    Instruction{"fnmsubs", a_form(59, 30, true, true, true), true, false},
    Instruction{"fnmadds", a_form(59, 31, true, true, true), true, false},
    Instruction{"fdiv", a_form(63, 18, true, true, false), false, false},
    Instruction{"fsub", a_form(63, 20, true, true, false), false, false},
    Instruction{"fadd", a_form(63, 21, true, true, false), false, false},
    Instruction{"fsel", a_form(63, 23, true, true, true), false, false},
    Instruction{"fmul", a_form(63, 25, true, false, true), false, false},
    Instruction{"frsqrte", a_form(63, 26, false, true, false), false, false},
    Instruction{"fmsub", a_form(63, 28, true, true, true), false, false},
    Instruction{"fmadd", a_form(63, 29, true, true, true), false, false},
    Instruction{"fnmsub", a_form(63, 30, true, true, true), false, false},
    Instruction{"fnmadd", a_form(63, 31, true, true, true), false, false},
    Instruction{"fcmpu", x_form(0, 0, kA, kB), false, false},
    Instruction{"fcmpo", x_form(32, 0, kA, kB), false, false},
    Instruction{"frsp", x_form(12, kT, 0, kB), true, false},
    Instruction{"fctiw", x_form(14, kT, 0, kB), false, false},
    Instruction{"fctiwz", x_form(15, kT, 0, kB), false, false},
    Instruction{"fneg", x_form(40, kT, 0, kB), false, false},
    Instruction{"fmr", x_form(72, kT, 0, kB), false, false},
    Instruction{"fnabs", x_form(136, kT, 0, kB), false, false},
    Instruction{"fabs", x_form(264, kT, 0, kB), false, false},
    Instruction{"mtfsb1", x_form(38, 0, 0, 0), false, true},
    Instruction{"mtfsb0", x_form(70, 0, 0, 0), false, true},
    Instruction{"mcrfs", x_form(64, 0, 0, 0), false, true},
    Instruction{"mtfsfi", x_form(134, 0, 0, 0), false, true},
    Instruction{"mffs", x_form(583, kT, 0, 0), false, true},
    Instruction{"mtfsf", x_form(711, 0, 0, kB), false, true},
};

constexpr std::array<uint64_t, 34> kEdges{
    0x0000000000000000ull, // +0
    0x8000000000000000ull, // -0
    0x0000000000000001ull, // least denormal
    0x800FFFFFFFFFFFFFull, // largest negative denormal
    0x0008000000000000ull, // a denormal
    0x0010000000000000ull, // least normal
    0x001FFFFFFFFFFFFFull,
    0x3FF0000000000000ull, // 1
    0xBFF0000000000000ull, // -1
    0x3FF8000000000000ull, // 1.5
    0x3FF0000000000001ull, // 1 + ulp
    0x3FEFFFFFFFFFFFFFull, // 1 - ulp/2
    0x4000000000000000ull, // 2
    0x7FEFFFFFFFFFFFFFull, // largest double
    0xFFEFFFFFFFFFFFFFull,
    0x7FF0000000000000ull, // +Inf
    0xFFF0000000000000ull, // -Inf
    0x7FF8000000000000ull, // default QNaN
    0xFFF8000012345678ull, // QNaN with payload
    0x7FF4000012345678ull, // SNaN
    0xFFF0000000000001ull, // SNaN, least payload
    0x47EFFFFFE0000000ull, // largest single
    0x47EFFFFFF0000000ull, // largest single + half ulp: overflows in single
    0x47F0000000000000ull, // 2^128
    0x3810000000000000ull, // least single normal 2^-126
    0x380FFFFFF0000000ull, // just below it
    0x36A0000000000000ull, // least single denormal 2^-149
    0x3690000000000000ull, // 2^-150: half of it
    0x3690000000000001ull,
    0x41DFFFFFFFC00000ull, // 2^31 - 1
    0xC1E0000000000000ull, // -2^31
    0x41E0000000000000ull, // 2^31
    0x41DFFFFFFFE00000ull, // 2^31 - 0.5
    0x4330000000000001ull, // 2^52 + 1
};

} // namespace

std::span<const Instruction> instructions() {
    return kInstructions;
}

uint64_t CaseGenerator::edge() {
    return kEdges[rng_() % kEdges.size()];
}

// A random double with a binary exponent in [min_exp, max_exp] and a random
// sign and fraction, sometimes with few significant bits (ties, exact results).
uint64_t CaseGenerator::random_double(int min_exp, int max_exp) {
    const int e = min_exp + static_cast<int>(rng_() % static_cast<uint64_t>(max_exp - min_exp + 1));
    uint64_t fraction = rng_() & ((1ull << 52) - 1);
    if (rng_() % 4 == 0) fraction &= ~((1ull << (rng_() % 52)) - 1); // trailing zeros
    const uint64_t sign = (rng_() & 1) ? 1ull << 63 : 0;
    if (e < -1022) return sign | (fraction >> (-1022 - e < 52 ? -1022 - e : 52)) | 1;
    return sign | (static_cast<uint64_t>(e + 1023) << 52) | fraction;
}

uint64_t CaseGenerator::operand(bool single) {
    uint64_t v;
    switch (rng_() % 8) {
    case 0:
    case 1:
        v = edge();
        break;
    case 2:
        v = rng_(); // any bit pattern
        break;
    case 3:
        v = random_double(-1074, 1023); // any finite magnitude
        break;
    case 4:
        v = single ? random_double(-155, 130) : random_double(-1080, -1000); // near underflow
        break;
    case 5:
        v = single ? random_double(60, 130) : random_double(500, 1023); // near overflow
        break;
    default:
        v = random_double(-8, 8);
        break;
    }
    if (single && rng_() % 2 == 0) {
        // Most single-precision operands are singles already.
        const float f = static_cast<float>(std::bit_cast<double>(v));
        if (!std::isnan(f)) v = std::bit_cast<uint64_t>(static_cast<double>(f));
    }
    return v;
}

uint32_t CaseGenerator::fpscr() {
    // Round to nearest half the time: the FPU's host fast path covers it.
    uint32_t f = rng_() % 2 ? 0 : static_cast<uint32_t>(rng_() % 4);
    f |= static_cast<uint32_t>(rng_()) & 0x000000F8u; // VE OE UE ZE XE
    if (rng_() % 4 == 0) {
        // Sticky bits already set (FX among them, or not): FX must only
        // follow 0 -> 1 changes.
        f |= static_cast<uint32_t>(rng_()) & 0xFFFFF000u;
    }
    return f;
}

Case CaseGenerator::next(const Instruction& insn) {
    Case c;
    for (auto& r : c.before.fpr)
        r = operand(insn.single);
    c.before.fpr[kT] = 0x7FF0DEAD5EED0001ull; // an SNaN: a suppressed write keeps it
    c.before.fpscr = fpscr();
    c.before.cr = static_cast<uint32_t>(rng_());
    c.insn = insn.encoding | static_cast<uint32_t>(rng_() & 1); // Rc
    const std::string_view name = insn.name;
    if (rng_() % 4 == 0) {
        // Near-cancellation: frB a few ulps from the value that cancels
        // frA (fadd, fsub) or frA * frC (the fused forms) exactly.
        const double a = std::bit_cast<double>(c.before.fpr[kA]);
        const double product = a * std::bit_cast<double>(c.before.fpr[kC]);
        const bool subtracts = name.find("sub") != std::string_view::npos;
        const bool fused = name.find("fm") == 0 || name.find("fnm") == 0;
        const double cancel = fused ? product : a;
        if (std::isfinite(cancel)) {
            const uint64_t bits = std::bit_cast<uint64_t>(subtracts ? cancel : -cancel);
            c.before.fpr[kB] = bits + rng_() % 5 - 2;
        }
    }
    if (name == "fcmpu" || name == "fcmpo" || name == "mcrfs") {
        c.insn |= static_cast<uint32_t>(rng_() % 8) << 23; // BF
        c.insn &= ~1u;                                     // no Rc form
    }
    if (name == "mcrfs") c.insn |= static_cast<uint32_t>(rng_() % 8) << 18; // BFA
    if (name == "mtfsb0" || name == "mtfsb1") c.insn |= static_cast<uint32_t>(rng_() % 32) << 21;
    if (name == "mtfsfi") {
        c.insn |= static_cast<uint32_t>(rng_() % 8) << 23;
        c.insn |= static_cast<uint32_t>(rng_() % 16) << 12;
    }
    if (name == "mtfsf") {
        c.insn |= static_cast<uint32_t>(rng_() % 256) << 17;
        c.before.fpr[kB] = rng_() & ~0x00000800ull; // reserved bit 20 clear
    }
    if (insn.fpscr_move) {
        c.before.fpscr = static_cast<uint32_t>(rng_()) & ~0x00000800u & ~0x00000004u; // NI clear
    }
    c.before.fpscr = consistent_fpscr(c.before.fpscr);
    return c;
}

} // namespace vmc::fp_oracle
