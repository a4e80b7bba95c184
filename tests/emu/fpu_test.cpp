// ISA-derived tests for the parts of the FPU the QEMU vectors cannot pin:
// FPSCR[FR], fused and single-precision rounding, enabled exceptions, the
// FPSCR moves, and the places where QEMU 7.2 departs from Power ISA 2.06.
#include <catch2/catch.hpp>

#include "engine/emu/fpu/fpscr.hpp"
#include "engine/emu/fpu/fpu.hpp"

#include <bit>

namespace {

using namespace vmc::emu::fpu;
namespace F = vmc::emu::fpu::fpscr;

constexpr uint64_t SENTINEL = 0x123456789ABCDEF0ull;

uint64_t bits(double d) {
    return std::bit_cast<uint64_t>(d);
}

uint32_t a_form(unsigned primary, unsigned xo, unsigned frt, unsigned fra, unsigned frb,
                unsigned frc, bool rc = false) {
    return (primary << 26) | (frt << 21) | (fra << 16) | (frb << 11) | (frc << 6) | (xo << 1) |
           (rc ? 1u : 0u);
}
uint32_t x_form(unsigned xo, unsigned frt, unsigned fra, unsigned frb, bool rc = false) {
    return (63u << 26) | (frt << 21) | (fra << 16) | (frb << 11) | (xo << 1) | (rc ? 1u : 0u);
}

// Opcode helpers: target f4, operands f1 (A), f2 (B), f3 (C).
uint32_t fadd(bool rc = false) {
    return a_form(63, 21, 4, 1, 2, 0, rc);
}
uint32_t fmul() {
    return a_form(63, 25, 4, 1, 0, 3);
}
uint32_t fmuls() {
    return a_form(59, 25, 4, 1, 0, 3);
}
uint32_t fdiv() {
    return a_form(63, 18, 4, 1, 2, 0);
}
uint32_t fmadds() {
    return a_form(59, 29, 4, 1, 2, 3);
}
uint32_t fmadd() {
    return a_form(63, 29, 4, 1, 2, 3);
}
uint32_t fnmadd() {
    return a_form(63, 31, 4, 1, 2, 3);
}
uint32_t fres() {
    return a_form(59, 24, 4, 0, 2, 0);
}
uint32_t fsel() {
    return a_form(63, 23, 4, 1, 2, 3);
}
uint32_t fctiw() {
    return x_form(14, 4, 0, 2);
}
uint32_t fcmpu(unsigned bf) {
    return x_form(0, bf << 2, 1, 2);
}
uint32_t fcmpo(unsigned bf) {
    return x_form(32, bf << 2, 1, 2);
}
uint32_t mtfsf(unsigned flm, bool rc = false) {
    return (63u << 26) | (flm << 17) | (2u << 11) | (711u << 1) | (rc ? 1u : 0u);
}
uint32_t mcrfs(unsigned bf, unsigned bfa) {
    return x_form(64, bf << 2, bfa << 2, 0);
}
uint32_t mtfsb1(unsigned bit) {
    return x_form(38, bit, 0, 0);
}

struct Fixture {
    FpState state;
    uint32_t cr = 0;
    Fixture(uint64_t a, uint64_t b, uint64_t c = 0, uint32_t fpscr = 0) {
        state.fpr[1] = a;
        state.fpr[2] = b;
        state.fpr[3] = c;
        state.fpr[4] = SENTINEL;
        state.fpscr = fpscr;
    }
    Outcome run(uint32_t insn) { return execute(insn, state, cr); }
    uint64_t t() const { return state.fpr[4]; }
    bool has(uint32_t mask) const { return (state.fpscr & mask) == mask; }
    uint32_t fprf() const { return (state.fpscr & F::FPRF) >> F::FPRF_SHIFT; }
};

} // namespace

TEST_CASE("FR is set when rounding increments the fraction, FI whenever inexact", "[fpu]") {
    Fixture up(bits(1.0), bits(0x1.8p-53)); // 1 + 0.75 ulp rounds up
    up.run(fadd());
    CHECK(up.t() == bits(1.0 + 0x1p-52));
    CHECK(up.has(F::FR | F::FI | F::XX | F::FX));

    Fixture down(bits(1.0), bits(0x1p-54)); // 1 + 0.25 ulp rounds down
    down.run(fadd());
    CHECK(down.t() == bits(1.0));
    CHECK((down.state.fpscr & F::FR) == 0);
    CHECK(down.has(F::FI | F::XX));

    Fixture exact(bits(1.0), bits(2.0));
    exact.state.fpscr = F::FR | F::FI; // stale values are replaced
    exact.run(fadd());
    CHECK((exact.state.fpscr & (F::FR | F::FI)) == 0);
}

TEST_CASE("Rounding follows FPSCR[RN] in all four modes", "[fpu]") {
    const uint64_t expected[4] = {bits(-1.0), bits(-1.0), bits(-1.0), bits(-(1.0 + 0x1p-52))};
    for (uint32_t rn = 0; rn < 4; ++rn) {
        Fixture f(bits(-1.0), bits(-0x1p-60), 0, rn);
        f.run(fadd());
        CHECK(f.t() == expected[rn]);
        CHECK(((f.state.fpscr & F::FR) != 0) == (rn == 3));
    }
}

TEST_CASE("fmadd rounds once: the tiny residue of a cancelling product survives", "[fpu]") {
    // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly; a separate multiply would give 0.
    Fixture f(bits(1.0 + 0x1p-52), bits(-1.0), bits(1.0 - 0x1p-52));
    f.run(fmadd());
    CHECK(f.t() == bits(-0x1p-104));
    CHECK((f.state.fpscr & (F::FI | F::XX)) == 0);
    CHECK(f.fprf() == F::FPRF_NEG_NORMAL);
}

TEST_CASE("Single-precision results are rounded once from the exact value", "[fpu]") {
    // 2^-40 * 2^-40 + (1 + 2^-24) lies just above the single tie 1 + 2^-24;
    // rounding to double first would land on the tie and then round to 1.0.
    Fixture f(bits(0x1p-40), bits(1.0 + 0x1p-24), bits(0x1p-40));
    f.run(fmadds());
    CHECK(f.t() == bits(1.0 + 0x1p-23));
    CHECK(f.has(F::FR | F::FI | F::XX));
}

TEST_CASE("A single denormal result is classified as denormal in FPRF", "[fpu]") {
    Fixture f(bits(0x1p-140), 0, bits(0.5));
    f.run(fmuls());
    CHECK(f.t() == bits(0x1p-141));
    CHECK(f.fprf() == F::FPRF_POS_DENORMAL);
}

TEST_CASE("Enabled invalid operation leaves the target and FPRF alone", "[fpu]") {
    const double inf = __builtin_inf();
    Fixture f(bits(inf), bits(-inf), 0, F::VE | (F::FPRF_POS_ZERO << F::FPRF_SHIFT) | F::FI);
    CHECK(f.run(fadd(true)) == Outcome::EnabledException);
    CHECK(f.t() == SENTINEL);
    CHECK(f.fprf() == F::FPRF_POS_ZERO);
    CHECK(f.has(F::VXISI | F::VX | F::FEX | F::FX));
    CHECK((f.state.fpscr & (F::FR | F::FI)) == 0);
    // CR1 is updated from the FPSCR before the interrupt (QEMU skips this).
    CHECK(f.cr == 0x0E000000u);
}

TEST_CASE("Disabled invalid operation writes the default QNaN", "[fpu]") {
    Fixture f(bits(0.0), bits(0.0));
    CHECK(f.run(fdiv()) == Outcome::Ok);
    CHECK(f.t() == 0x7FF8000000000000ull);
    CHECK(f.has(F::VXZDZ | F::VX | F::FX));
    CHECK((f.state.fpscr & F::FEX) == 0);
    CHECK(f.fprf() == F::FPRF_QNAN);
}

TEST_CASE("Enabled zero divide leaves the target alone", "[fpu]") {
    Fixture f(bits(3.0), bits(-0.0), 0, F::ZE);
    CHECK(f.run(fdiv()) == Outcome::EnabledException);
    CHECK(f.t() == SENTINEL);
    CHECK(f.has(F::ZX | F::FEX | F::FX));
}

TEST_CASE("Enabled overflow and underflow deliver the exponent-adjusted result", "[fpu]") {
    Fixture over(bits(0x1p1000), 0, bits(0x1p1000), F::OE);
    CHECK(over.run(fmul()) == Outcome::EnabledException);
    CHECK(over.t() == bits(0x1p464)); // 2^2000 * 2^-1536
    CHECK(over.has(F::OX | F::FEX));
    CHECK(over.fprf() == F::FPRF_POS_NORMAL);

    // Exact but tiny: with UE=1 the underflow is signalled anyway.
    Fixture under(bits(0x1p-1000), 0, bits(0x1p-100), F::UE);
    CHECK(under.run(fmul()) == Outcome::EnabledException);
    CHECK(under.t() == bits(0x1p436)); // 2^-1100 * 2^1536
    CHECK(under.has(F::UX | F::FEX));
    CHECK((under.state.fpscr & F::XX) == 0);
}

TEST_CASE("Disabled overflow gives infinity or the largest number per rounding mode", "[fpu]") {
    Fixture nearest(bits(0x1p1000), 0, bits(0x1p1000));
    nearest.run(fmul());
    CHECK(nearest.t() == bits(__builtin_inf()));
    CHECK(nearest.has(F::OX | F::XX | F::FI));
    Fixture toward_zero(bits(0x1p1000), 0, bits(0x1p1000), 1);
    toward_zero.run(fmul());
    CHECK(toward_zero.t() == 0x7FEFFFFFFFFFFFFFull);
}

TEST_CASE("Underflow tininess is detected before rounding", "[fpu]") {
    // (1 - 2^-53) * 2^-1022 is tiny; denormalized it rounds up to 2^-1022.
    Fixture f(0x3FEFFFFFFFFFFFFFull, 0, 0x0010000000000000ull);
    f.run(fmul());
    CHECK(f.t() == 0x0010000000000000ull);
    CHECK(f.has(F::UX | F::XX));

    Fixture exact(bits(0x1p-1000), 0, bits(0x1p-40)); // exact denormal: no UX when UE=0
    exact.run(fmul());
    CHECK(exact.t() == bits(0x1p-1040));
    CHECK((exact.state.fpscr & F::UX) == 0);
    CHECK(exact.fprf() == F::FPRF_POS_DENORMAL);
}

TEST_CASE("FX is set only when an exception bit changes from 0 to 1", "[fpu]") {
    Fixture f(bits(1.0), bits(0x1p-60), 0, F::XX);
    f.run(fadd());
    CHECK(f.has(F::XX));
    CHECK((f.state.fpscr & F::FX) == 0);
}

TEST_CASE("fnmadd rounds, then negates (QEMU negates before rounding)", "[fpu]") {
    for (uint32_t rn = 0; rn < 4; ++rn) {
        Fixture plain(bits(1.0 + 0x1p-30), bits(0x1p-70), bits(1.0 + 0x1p-29), rn);
        plain.run(fmadd());
        Fixture negated(bits(1.0 + 0x1p-30), bits(0x1p-70), bits(1.0 + 0x1p-29), rn);
        negated.run(fnmadd());
        CHECK(negated.t() == (plain.t() ^ (uint64_t(1) << 63)));
    }
}

TEST_CASE("NaN operands propagate with frA first, quieted, and SNaN signals", "[fpu]") {
    const uint64_t snan_a = 0x7FF4000000000001ull;
    const uint64_t qnan_b = 0xFFF8000000000002ull;
    Fixture f(snan_a, qnan_b, bits(1.0));
    f.run(fmadd());
    CHECK(f.t() == 0x7FFC000000000001ull);
    CHECK(f.has(F::VXSNAN | F::VX | F::FX));
    Fixture g(bits(1.0), qnan_b, 0x7FF8000000000003ull);
    g.run(fmadd());
    CHECK(g.t() == qnan_b);
    CHECK((g.state.fpscr & F::VX) == 0);
}

TEST_CASE("fres of zero is an infinity with ZX (QEMU returns 0.5)", "[fpu]") {
    Fixture f(0, bits(-0.0));
    f.run(fres());
    CHECK(f.t() == bits(-__builtin_inf()));
    CHECK(f.has(F::ZX | F::FX));
    CHECK((f.state.fpscr & F::XX) == 0);
}

TEST_CASE("fcmpo signals VXVC for QNaNs, and for SNaNs only when VE=0", "[fpu]") {
    const uint64_t qnan = 0x7FF8000000000000ull;
    const uint64_t snan = 0x7FF0000000000001ull;
    Fixture quiet(bits(1.0), qnan);
    CHECK(quiet.run(fcmpo(6)) == Outcome::Ok);
    CHECK(quiet.cr == 0x1u << 4); // CR6 = FU
    CHECK(quiet.has(F::VXVC | F::VX | F::FX));
    CHECK(quiet.fprf() == 0x01);

    Fixture signalling(snan, bits(1.0));
    signalling.run(fcmpo(0));
    CHECK(signalling.has(F::VXSNAN | F::VXVC));

    Fixture trapping(snan, bits(1.0), 0, F::VE);
    CHECK(trapping.run(fcmpo(0)) == Outcome::EnabledException);
    CHECK(trapping.has(F::VXSNAN | F::FEX));
    CHECK((trapping.state.fpscr & F::VXVC) == 0);
    CHECK(trapping.cr == 0x10000000u); // compares still write their CR field

    Fixture unordered(bits(1.0), qnan);
    unordered.run(fcmpu(1));
    CHECK(unordered.cr == 0x01000000u);
    CHECK((unordered.state.fpscr & F::VX) == 0);
}

TEST_CASE("fcmpu orders values and treats both zeros as equal", "[fpu]") {
    Fixture zeros(bits(-0.0), bits(0.0));
    zeros.run(fcmpu(7));
    CHECK(zeros.cr == 0x2u);
    Fixture less(bits(-__builtin_inf()), bits(-1e300));
    less.run(fcmpu(7));
    CHECK(less.cr == 0x8u);
    CHECK(less.fprf() == 0x08);
}

TEST_CASE("mtfsf writes only the selected fields and never FEX or VX directly", "[fpu]") {
    Fixture f(0, 0x00000000FFFFFFFFull, 0, 0x0000F000u);
    f.run(mtfsf(0x01)); // field 7: XE, NI, RN
    CHECK(f.state.fpscr == 0x0000F00Fu);

    Fixture summaries(0, 0x60000000ull);
    summaries.run(mtfsf(0xFF, true));
    CHECK(summaries.state.fpscr == 0);
    CHECK(summaries.cr == 0);

    Fixture causes(0, uint64_t(F::VXIDI | F::VE));
    CHECK(causes.run(mtfsf(0xFF)) == Outcome::EnabledException);
    CHECK(causes.state.fpscr == (F::VXIDI | F::VE | F::VX | F::FEX));
}

TEST_CASE("mcrfs copies a field and clears its exception bits", "[fpu]") {
    Fixture f(0, 0, 0, F::FX | F::OX | F::VXSNAN | F::VE);
    f.state.fpscr = F::with_summaries(f.state.fpscr);
    f.run(mcrfs(2, 0));
    CHECK(f.cr == ((F::FX | F::FEX | F::VX | F::OX) >> 28) << 20);
    CHECK((f.state.fpscr & (F::FX | F::OX)) == 0);
    CHECK(f.has(F::VXSNAN | F::VX | F::FEX)); // VXSNAN lives in field 1

    f.run(mcrfs(3, 1));
    CHECK(((f.cr >> 16) & 0xF) == 0x1); // VXSNAN
    CHECK((f.state.fpscr & (F::VXSNAN | F::VX | F::FEX)) == 0);
}

TEST_CASE("mtfsb1 of an exception bit sets FX (QEMU 7.2 does not)", "[fpu]") {
    Fixture f(0, 0);
    f.run(mtfsb1(5)); // ZX
    CHECK(f.state.fpscr == (F::ZX | F::FX));
    f.run(mtfsb1(1)); // FEX cannot be set explicitly
    CHECK(f.state.fpscr == (F::ZX | F::FX));
}

TEST_CASE("fctiw rounds per RN and saturates with VXCVI", "[fpu]") {
    Fixture tie(0, bits(2.5));
    tie.run(fctiw());
    CHECK(static_cast<uint32_t>(tie.t()) == 2);
    CHECK(tie.has(F::FI | F::XX));
    CHECK((tie.state.fpscr & F::FR) == 0);
    Fixture up(0, bits(-3.5));
    up.run(fctiw());
    CHECK(static_cast<uint32_t>(up.t()) == uint32_t(-4));
    CHECK(up.has(F::FR | F::FI));
    Fixture big(0, bits(3e9));
    big.run(fctiw());
    CHECK(static_cast<uint32_t>(big.t()) == 0x7FFFFFFFu);
    CHECK(big.has(F::VXCVI | F::VX));
}

TEST_CASE("fsel picks frC for any zero and frB for a NaN", "[fpu]") {
    Fixture neg_zero(bits(-0.0), bits(2.0), bits(3.0));
    neg_zero.run(fsel());
    CHECK(neg_zero.t() == bits(3.0));
    Fixture nan(0x7FF8000000000000ull, bits(2.0), bits(3.0));
    nan.run(fsel());
    CHECK(nan.t() == bits(2.0));
    CHECK(nan.state.fpscr == 0);
}

TEST_CASE("Instructions the e500mc lacks are illegal", "[fpu]") {
    Fixture f(0, 0);
    CHECK(f.run(x_form(22, 4, 0, 2) | (22u << 1)) == Outcome::Illegal); // fsqrt
    CHECK(f.run(a_form(59, 22, 4, 0, 2, 0)) == Outcome::Illegal);       // fsqrts
    CHECK(f.run(a_form(63, 24, 4, 0, 2, 0)) == Outcome::Illegal);       // fre
    CHECK(f.run(x_form(846, 4, 0, 2)) == Outcome::Illegal);             // fcfid
    CHECK(f.run(mtfsf(0xFF) | (1u << 25)) == Outcome::Illegal);         // mtfsf L=1
    CHECK(f.run(0x7C000000u) == Outcome::Illegal);                      // not opcode 59/63
    CHECK(f.state.fpr[4] == SENTINEL);
}

TEST_CASE("Single/double load-store conversions move bits without rounding", "[fpu]") {
    CHECK(single_to_double(0x3F800000u) == bits(1.0));
    CHECK(single_to_double(0x00000001u) == bits(0x1p-149));
    CHECK(single_to_double(0x80400000u) == bits(-0x1p-127));
    CHECK(single_to_double(0x7F800000u) == bits(__builtin_inf()));
    CHECK(single_to_double(0x7F800001u) == 0x7FF0000020000000ull); // SNaN stays signalling
    CHECK(single_to_double(0x80000000u) == bits(-0.0));

    CHECK(double_to_single(bits(1.0 + 0x1p-30)) == 0x3F800000u); // truncated, not rounded
    CHECK(double_to_single(bits(0x1p-149)) == 0x00000001u);
    CHECK(double_to_single(bits(-0x1p-127)) == 0x80400000u);
    CHECK(double_to_single(0x7FF0000020000000ull) == 0x7F800001u);
    CHECK(double_to_single(bits(-0.0)) == 0x80000000u);
    for (uint32_t s : {0x00000001u, 0x007FFFFFu, 0x00800000u, 0x7F7FFFFFu, 0xFFC00001u}) {
        CHECK(double_to_single(single_to_double(s)) == s);
    }
}
