#include "engine/emu/fpu/fpscr_ops.hpp"

#include "engine/emu/fpu/fpscr.hpp"
#include "engine/emu/fpu/values.hpp"

namespace vmc::emu::fpu {
namespace {

constexpr unsigned field_shift(unsigned field) {
    return 28 - 4 * field;
}

// FEX and VX are summaries: mtfsb0/mtfsb1 cannot change them explicitly.
constexpr bool is_summary_bit(unsigned isa_bit) {
    return isa_bit == 1 || isa_bit == 2;
}

// After a move to the FPSCR, a set FEX is an enabled exception the core must
// deliver (when MSR[FE0|FE1] allow it).
Outcome outcome_of_move(const FpState& state) {
    return (state.fpscr & fpscr::FEX) ? Outcome::EnabledException : Outcome::Ok;
}

constexpr uint32_t RESERVED = fpscr::bit(20);

Outcome finish_move(FpState& state, uint32_t& cr, uint32_t value, bool rc) {
    state.fpscr = fpscr::with_summaries(value & ~RESERVED);
    if (rc) {
        set_cr1(state, cr);
    }
    return outcome_of_move(state);
}

} // namespace

Outcome compare(FpState& state, uint32_t& cr, unsigned bf, uint64_t a, uint64_t b, bool ordered) {
    using namespace values;
    uint32_t code = 0;
    uint32_t raised = 0;
    if (is_nan(a) || is_nan(b)) {
        code = 0x1; // FU
        const bool snan = is_snan(a) || is_snan(b);
        if (snan) {
            raised |= fpscr::VXSNAN;
        }
        // fcmpo: a QNaN operand, or an SNaN with invalid-operation traps
        // disabled, is also an invalid compare.
        if (ordered && (!snan || !(state.fpscr & fpscr::VE))) {
            raised |= fpscr::VXVC;
        }
    } else {
        // Sign-magnitude keys order the values; both zeros map to 0.
        const auto key = [](uint64_t v) {
            const auto magnitude = static_cast<int64_t>(v & ~SIGN);
            return sign(v) ? -magnitude : magnitude;
        };
        const int64_t ka = key(a);
        const int64_t kb = key(b);
        code = ka < kb ? 0x8 : ka > kb ? 0x4 : 0x2;
    }
    const unsigned shift = field_shift(bf);
    cr = (cr & ~(0xFu << shift)) | (code << shift);
    uint32_t f = (state.fpscr & ~fpscr::FPCC) | (code << fpscr::FPRF_SHIFT);
    if (raised & ~state.fpscr & fpscr::EXCEPTION_BITS) {
        f |= fpscr::FX;
    }
    f |= raised;
    state.fpscr = fpscr::with_summaries(f);
    const bool enabled = (raised & fpscr::VX_CAUSES) && (state.fpscr & fpscr::VE);
    return enabled ? Outcome::EnabledException : Outcome::Ok;
}

Outcome set_bit(FpState& state, uint32_t& cr, unsigned isa_bit, bool rc) {
    uint32_t f = state.fpscr;
    // Only IEEE mode is implemented: like QEMU, mtfsb1 does not turn NI on.
    if (!is_summary_bit(isa_bit) && isa_bit != 29) {
        const uint32_t mask = fpscr::bit(isa_bit);
        // Setting an exception bit from 0 implicitly sets FX, as for any
        // instruction other than mtfsf/mtfsfi.
        if (mask & ~f & fpscr::EXCEPTION_BITS) {
            f |= fpscr::FX;
        }
        f |= mask;
    }
    return finish_move(state, cr, f, rc);
}

Outcome clear_bit(FpState& state, uint32_t& cr, unsigned isa_bit, bool rc) {
    uint32_t f = state.fpscr;
    if (!is_summary_bit(isa_bit)) {
        f &= ~fpscr::bit(isa_bit);
    }
    finish_move(state, cr, f, rc);
    return Outcome::Ok; // only clears: never raises a new exception
}

Outcome move_to_cr(FpState& state, uint32_t& cr, unsigned bf, unsigned bfa) {
    const unsigned source = field_shift(bfa);
    const uint32_t field = (state.fpscr >> source) & 0xF;
    const unsigned target = field_shift(bf);
    cr = (cr & ~(0xFu << target)) | (field << target);
    // The copied exception bits (and FX) are cleared; FEX/VX are recomputed.
    const uint32_t cleared = (0xFu << source) & (fpscr::EXCEPTION_BITS | fpscr::FX);
    state.fpscr = fpscr::with_summaries(state.fpscr & ~cleared);
    return Outcome::Ok;
}

Outcome set_field_immediate(FpState& state, uint32_t& cr, unsigned bf, unsigned u, bool rc) {
    const unsigned shift = field_shift(bf);
    const uint32_t f = (state.fpscr & ~(0xFu << shift)) | ((u & 0xF) << shift);
    return finish_move(state, cr, f, rc);
}

Outcome set_fields(FpState& state, uint32_t& cr, unsigned flm, uint64_t frb, bool rc) {
    const auto source = static_cast<uint32_t>(frb);
    uint32_t mask = 0;
    for (unsigned field = 0; field < 8; ++field) {
        if (flm & (0x80u >> field)) {
            mask |= 0xFu << field_shift(field);
        }
    }
    const uint32_t f = (state.fpscr & ~mask) | (source & mask);
    return finish_move(state, cr, f, rc);
}

} // namespace vmc::emu::fpu
