// Decoding of primary opcodes 59 and 63 and the commit of results to the FPR
// file, FPSCR and CR (Power ISA 2.06 Book I chapter 4, as the e500mc
// implements it: no fsqrt[s], fre, frsqrtes, fcfid/fctid, fri*, fcpsgn,
// ftdiv/ftsqrt, nor the L/W fields of mtfsf/mtfsfi).
#include "engine/emu/fpu/fpu.hpp"

#include "engine/emu/fpu/arithmetic.hpp"
#include "engine/emu/fpu/fast_path.hpp"
#include "engine/emu/fpu/fpscr.hpp"
#include "engine/emu/fpu/fpscr_ops.hpp"
#include "engine/emu/fpu/values.hpp"

namespace vmc::emu::fpu {
namespace {

// Instruction fields (ISA bit numbers in comments, bit 0 = MSB).
struct Fields {
    uint32_t raw;
    unsigned primary() const { return raw >> 26; }       // 0:5
    unsigned frt() const { return (raw >> 21) & 31; }    // 6:10
    unsigned fra() const { return (raw >> 16) & 31; }    // 11:15
    unsigned frb() const { return (raw >> 11) & 31; }    // 16:20
    unsigned frc() const { return (raw >> 6) & 31; }     // 21:25
    unsigned xo_a() const { return (raw >> 1) & 31; }    // 26:30 (A-form)
    unsigned xo_x() const { return (raw >> 1) & 0x3FF; } // 21:30 (X-form)
    bool rc() const { return (raw & 1) != 0; }           // 31
};

uint32_t fprf_of(uint64_t v, bool single) {
    using namespace values;
    const bool negative = sign(v);
    if (is_nan(v)) {
        return fpscr::FPRF_QNAN;
    }
    if (is_inf(v)) {
        return negative ? fpscr::FPRF_NEG_INF : fpscr::FPRF_POS_INF;
    }
    if (is_zero(v)) {
        return negative ? fpscr::FPRF_NEG_ZERO : fpscr::FPRF_POS_ZERO;
    }
    const auto biased = static_cast<int>((v >> 52) & 0x7FF);
    // A single result below 2^-126 is a single-format denormal even though
    // its double encoding is normal.
    const bool denormal = single ? biased < 1023 - 126 : biased == 0;
    if (denormal) {
        return negative ? fpscr::FPRF_NEG_DENORMAL : fpscr::FPRF_POS_DENORMAL;
    }
    return negative ? fpscr::FPRF_NEG_NORMAL : fpscr::FPRF_POS_NORMAL;
}

uint32_t enabled_exceptions(uint32_t raised, uint32_t f) {
    uint32_t enabled = 0;
    if ((raised & fpscr::VX_CAUSES) && (f & fpscr::VE)) {
        enabled |= raised & fpscr::VX_CAUSES;
    }
    if ((raised & fpscr::OX) && (f & fpscr::OE)) {
        enabled |= fpscr::OX;
    }
    if ((raised & fpscr::UX) && (f & fpscr::UE)) {
        enabled |= fpscr::UX;
    }
    if ((raised & fpscr::ZX) && (f & fpscr::ZE)) {
        enabled |= fpscr::ZX;
    }
    if ((raised & fpscr::XX) && (f & fpscr::XE)) {
        enabled |= fpscr::XX;
    }
    return enabled;
}

// How an instruction sets FPRF. Conversions to integer leave it undefined:
// it is left alone, except that an invalid conversion reports a QNaN, as the
// reference implementation (QEMU) does.
enum class Fprf : uint8_t { Set, ConversionToInteger };

// Writes an arithmetic result per Book I 4.4: an enabled invalid-operation or
// zero-divide exception suppresses the target and FPRF; FR and FI are cleared
// then; every raised bit that changes 0->1 sets FX; VX and FEX follow.
Outcome commit(FpState& state, uint32_t& cr, Fields in, const ArithResult& r, bool single,
               Fprf fprf) {
    uint32_t f = state.fpscr;
    const uint32_t before = f;
    const bool suppressed = ((r.raised & fpscr::VX_CAUSES) && (f & fpscr::VE)) ||
                            ((r.raised & fpscr::ZX) && (f & fpscr::ZE));
    f &= ~(fpscr::FR | fpscr::FI);
    if (!suppressed) {
        state.fpr[in.frt()] = r.value;
        if (r.fraction_rounded_up) {
            f |= fpscr::FR;
        }
        if (r.inexact) {
            f |= fpscr::FI;
        }
        if (fprf == Fprf::Set) {
            f = (f & ~fpscr::FPRF) | (fprf_of(r.value, single) << fpscr::FPRF_SHIFT);
        } else if (r.raised & fpscr::VXCVI) {
            f = (f & ~fpscr::FPRF) | (fpscr::FPRF_QNAN << fpscr::FPRF_SHIFT);
        }
    }
    f |= r.raised;
    if (r.raised & ~before & fpscr::EXCEPTION_BITS) {
        f |= fpscr::FX;
    }
    state.fpscr = fpscr::with_summaries(f);
    if (in.rc()) {
        set_cr1(state, cr);
    }
    return enabled_exceptions(r.raised, f) ? Outcome::EnabledException : Outcome::Ok;
}

// fmr, fneg, fabs, fnabs, fsel: no FPSCR change at all.
Outcome move(FpState& state, uint32_t& cr, Fields in, uint64_t value) {
    state.fpr[in.frt()] = value;
    if (in.rc()) {
        set_cr1(state, cr);
    }
    return Outcome::Ok;
}

// commit() for a fast-path result, which is a normal number whose only
// possible exception is XX: the same FPSCR and CR1 effects, without the
// general case's work.
Outcome commit_normal(FpState& state, uint32_t& cr, Fields in, const ArithResult& r) {
    uint32_t f = state.fpscr & ~(fpscr::FR | fpscr::FI | fpscr::FPRF);
    state.fpr[in.frt()] = r.value;
    const uint32_t fprf = values::sign(r.value) ? fpscr::FPRF_NEG_NORMAL : fpscr::FPRF_POS_NORMAL;
    f |= fprf << fpscr::FPRF_SHIFT;
    Outcome outcome = Outcome::Ok;
    if (r.inexact) {
        f |= fpscr::FI | (r.fraction_rounded_up ? fpscr::FR : 0);
        if (!(f & fpscr::XX)) {
            f |= fpscr::XX | fpscr::FX;
        }
        if (f & fpscr::XE) {
            f |= fpscr::FEX;
            outcome = Outcome::EnabledException;
        }
    }
    state.fpscr = f;
    if (in.rc()) {
        set_cr1(state, cr);
    }
    return outcome;
}

Outcome arith(FpState& state, uint32_t& cr, Fields in, ArithOp op, bool single) {
    const uint64_t a = state.fpr[in.fra()], b = state.fpr[in.frb()], c = state.fpr[in.frc()];
    ArithResult r;
    if (fast_arithmetic(op, a, b, c, state.fpscr, single, r)) {
        return commit_normal(state, cr, in, r);
    }
    r = arithmetic(op, a, b, c, state.fpscr, single);
    return commit(state, cr, in, r, single, Fprf::Set);
}

uint64_t select(uint64_t a, uint64_t b, uint64_t c) {
    // frA >= 0 (either zero counts) and not a NaN selects frC.
    const bool ge_zero = !values::is_nan(a) && (!values::sign(a) || values::is_zero(a));
    return ge_zero ? c : b;
}

Outcome execute_59(Fields in, FpState& state, uint32_t& cr) {
    switch (in.xo_a()) {
    case 18:
        return arith(state, cr, in, ArithOp::Div, true); // fdivs
    case 20:
        return arith(state, cr, in, ArithOp::Sub, true); // fsubs
    case 21:
        return arith(state, cr, in, ArithOp::Add, true); // fadds
    case 24:                                             // fres
        return commit(state, cr, in, reciprocal_estimate(state.fpr[in.frb()], state.fpscr), true,
                      Fprf::Set);
    case 25:
        return arith(state, cr, in, ArithOp::Mul, true); // fmuls
    case 28:
        return arith(state, cr, in, ArithOp::MulSub, true); // fmsubs
    case 29:
        return arith(state, cr, in, ArithOp::MulAdd, true); // fmadds
    case 30:
        return arith(state, cr, in, ArithOp::NegMulSub, true); // fnmsubs
    case 31:
        return arith(state, cr, in, ArithOp::NegMulAdd, true); // fnmadds
    default:
        return Outcome::Illegal; // fsqrts, frsqrtes, fcfid*s
    }
}

Outcome execute_63_a_form(Fields in, FpState& state, uint32_t& cr) {
    auto& fpr = state.fpr;
    switch (in.xo_a()) {
    case 18:
        return arith(state, cr, in, ArithOp::Div, false); // fdiv
    case 20:
        return arith(state, cr, in, ArithOp::Sub, false); // fsub
    case 21:
        return arith(state, cr, in, ArithOp::Add, false); // fadd
    case 23:
        return move(state, cr, in, select(fpr[in.fra()], fpr[in.frb()], fpr[in.frc()]));
    case 25:
        return arith(state, cr, in, ArithOp::Mul, false); // fmul
    case 26:                                              // frsqrte
        return commit(state, cr, in, rsqrt_estimate(fpr[in.frb()], state.fpscr), false, Fprf::Set);
    case 28:
        return arith(state, cr, in, ArithOp::MulSub, false); // fmsub
    case 29:
        return arith(state, cr, in, ArithOp::MulAdd, false); // fmadd
    case 30:
        return arith(state, cr, in, ArithOp::NegMulSub, false); // fnmsub
    case 31:
        return arith(state, cr, in, ArithOp::NegMulAdd, false); // fnmadd
    default:
        return Outcome::Illegal; // fsqrt, fre
    }
}

Outcome execute_63_x_form(Fields in, FpState& state, uint32_t& cr) {
    using values::SIGN;
    auto& fpr = state.fpr;
    const unsigned bf = in.frt() >> 2;
    switch (in.xo_x()) {
    case 0:
        return compare(state, cr, bf, fpr[in.fra()], fpr[in.frb()], false); // fcmpu
    case 32:
        return compare(state, cr, bf, fpr[in.fra()], fpr[in.frb()], true); // fcmpo
    case 12:                                                               // frsp
        return commit(state, cr, in, round_to_single(fpr[in.frb()], state.fpscr), true, Fprf::Set);
    case 14: // fctiw
    case 15: // fctiwz
        return commit(state, cr, in, convert_to_int32(fpr[in.frb()], state.fpscr, in.xo_x() == 15),
                      false, Fprf::ConversionToInteger);
    case 40:
        return move(state, cr, in, fpr[in.frb()] ^ SIGN); // fneg
    case 72:
        return move(state, cr, in, fpr[in.frb()]); // fmr
    case 136:
        return move(state, cr, in, fpr[in.frb()] | SIGN); // fnabs
    case 264:
        return move(state, cr, in, fpr[in.frb()] & ~SIGN); // fabs
    case 38:
        return set_bit(state, cr, in.frt(), in.rc()); // mtfsb1
    case 70:
        return clear_bit(state, cr, in.frt(), in.rc()); // mtfsb0
    case 64:
        return move_to_cr(state, cr, bf, in.fra() >> 2); // mcrfs
    case 134:                                            // mtfsfi
        if (in.raw & (1u << 16)) {
            return Outcome::Illegal; // W field: Power ISA 2.05 and later only
        }
        return set_field_immediate(state, cr, bf, (in.raw >> 12) & 0xF, in.rc());
    case 583: // mffs
        fpr[in.frt()] = state.fpscr;
        if (in.rc()) {
            set_cr1(state, cr);
        }
        return Outcome::Ok;
    case 711: // mtfsf
        if (in.raw & ((1u << 25) | (1u << 16))) {
            return Outcome::Illegal; // L and W fields: Power ISA 2.05 and later only
        }
        return set_fields(state, cr, (in.raw >> 17) & 0xFF, fpr[in.frb()], in.rc());
    default:
        return Outcome::Illegal;
    }
}

} // namespace

void set_cr1(const FpState& state, uint32_t& cr) {
    // CR1 is CR bits 4:7; it receives FPSCR bits 0:3 (FX FEX VX OX).
    cr = (cr & ~0x0F000000u) | ((state.fpscr >> 4) & 0x0F000000u);
}

Outcome execute(uint32_t insn, FpState& state, uint32_t& cr) {
    const Fields in{insn};
    if (in.primary() == 59) {
        return execute_59(in, state, cr);
    }
    if (in.primary() != 63) {
        return Outcome::Illegal;
    }
    // Opcode 63's A-form instructions have XO >= 16 in bits 26:30; no X-form
    // extended opcode the e500mc implements has those bits >= 16.
    if (in.xo_a() >= 16) {
        return execute_63_a_form(in, state, cr);
    }
    return execute_63_x_form(in, state, cr);
}

} // namespace vmc::emu::fpu
