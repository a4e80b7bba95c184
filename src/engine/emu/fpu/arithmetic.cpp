#include "engine/emu/fpu/arithmetic.hpp"

#include "engine/emu/fpu/fpscr.hpp"
#include "engine/emu/fpu/softfloat.hpp"
#include "engine/emu/fpu/values.hpp"

namespace vmc::emu::fpu {
namespace {

using namespace values;
using soft::Exact;

soft::Rounding rounding_of(uint32_t fpscr_value) {
    return static_cast<soft::Rounding>(fpscr_value & fpscr::RN);
}

soft::RoundControl control_of(uint32_t fpscr_value, bool single) {
    soft::RoundControl ctl;
    ctl.mode = rounding_of(fpscr_value);
    ctl.precision = single ? soft::Precision::Single : soft::Precision::Double;
    ctl.overflow_enabled = (fpscr_value & fpscr::OE) != 0;
    ctl.underflow_enabled = (fpscr_value & fpscr::UE) != 0;
    return ctl;
}

ArithResult rounded(const Exact& value, uint32_t fpscr_value, bool single) {
    soft::RoundFlags flags;
    ArithResult r;
    r.value = soft::round_pack(value, control_of(fpscr_value, single), flags);
    r.inexact = flags.inexact;
    r.fraction_rounded_up = flags.incremented;
    if (flags.overflow) {
        r.raised |= fpscr::OX;
    }
    if (flags.underflow) {
        r.raised |= fpscr::UX;
    }
    if (flags.inexact) {
        r.raised |= fpscr::XX;
    }
    return r;
}

ArithResult exact_value(uint64_t value) {
    ArithResult r;
    r.value = value;
    return r;
}

ArithResult invalid(uint32_t cause) {
    ArithResult r;
    r.value = DEFAULT_QNAN;
    r.raised = cause;
    return r;
}

// The sign of an exact zero sum of operands with opposite signs (IEEE 754 6.3).
bool zero_sum_sign(bool a, bool b, uint32_t fpscr_value) {
    if (a == b) {
        return a;
    }
    return rounding_of(fpscr_value) == soft::Rounding::TowardMinusInf;
}

// x + y for finite values (either may be zero), rounded.
ArithResult finite_sum(uint64_t x, uint64_t y, uint32_t fpscr_value, bool single) {
    if (is_zero(x) && is_zero(y)) {
        return exact_value(zero(zero_sum_sign(sign(x), sign(y), fpscr_value)));
    }
    if (is_zero(x)) {
        return rounded(soft::to_exact(y), fpscr_value, single);
    }
    if (is_zero(y)) {
        return rounded(soft::to_exact(x), fpscr_value, single);
    }
    bool exact_zero = false;
    const Exact sum = soft::add(soft::to_exact(x), soft::to_exact(y), exact_zero);
    if (exact_zero) {
        return exact_value(zero(rounding_of(fpscr_value) == soft::Rounding::TowardMinusInf));
    }
    return rounded(sum, fpscr_value, single);
}

// The NaN an operation with a NaN operand returns: the first of frA, frB,
// frC (in that order) that is a NaN, quieted; SNaNs signal VXSNAN.
bool propagate_nan(const uint64_t* operands, int count, ArithResult& r) {
    const uint64_t* first = nullptr;
    for (int i = 0; i < count; ++i) {
        if (is_snan(operands[i])) {
            r.raised |= fpscr::VXSNAN;
        }
        if (first == nullptr && is_nan(operands[i])) {
            first = &operands[i];
        }
    }
    if (first == nullptr) {
        return false;
    }
    r.value = quiet(*first);
    return true;
}

ArithResult add_sub(uint64_t a, uint64_t b, bool subtract, uint32_t fpscr_value, bool single) {
    if (subtract) {
        b ^= SIGN;
    }
    if (is_inf(a) || is_inf(b)) {
        if (is_inf(a) && is_inf(b) && sign(a) != sign(b)) {
            return invalid(fpscr::VXISI);
        }
        return exact_value(is_inf(a) ? a : b);
    }
    return finite_sum(a, b, fpscr_value, single);
}

ArithResult mul(uint64_t a, uint64_t c, uint32_t fpscr_value, bool single) {
    const bool negative = sign(a) != sign(c);
    if (is_inf(a) || is_inf(c)) {
        if (is_zero(a) || is_zero(c)) {
            return invalid(fpscr::VXIMZ);
        }
        return exact_value(infinity(negative));
    }
    if (is_zero(a) || is_zero(c)) {
        return exact_value(zero(negative));
    }
    return rounded(soft::multiply(soft::to_exact(a), soft::to_exact(c)), fpscr_value, single);
}

ArithResult div(uint64_t a, uint64_t b, uint32_t fpscr_value, bool single) {
    const bool negative = sign(a) != sign(b);
    if (is_inf(a)) {
        return is_inf(b) ? invalid(fpscr::VXIDI) : exact_value(infinity(negative));
    }
    if (is_inf(b)) {
        return exact_value(zero(negative));
    }
    if (is_zero(b)) {
        if (is_zero(a)) {
            return invalid(fpscr::VXZDZ);
        }
        ArithResult r = exact_value(infinity(negative));
        r.raised = fpscr::ZX;
        return r;
    }
    if (is_zero(a)) {
        return exact_value(zero(negative));
    }
    return rounded(soft::divide(soft::to_exact(a), soft::to_exact(b)), fpscr_value, single);
}

// a * c + b, rounded once.
ArithResult fused(uint64_t a, uint64_t c, uint64_t b, uint32_t fpscr_value, bool single) {
    const bool product_negative = sign(a) != sign(c);
    if (is_inf(a) || is_inf(c)) {
        if (is_zero(a) || is_zero(c)) {
            return invalid(fpscr::VXIMZ);
        }
        if (is_inf(b) && sign(b) != product_negative) {
            return invalid(fpscr::VXISI);
        }
        return exact_value(infinity(product_negative));
    }
    if (is_inf(b)) {
        return exact_value(b);
    }
    if (is_zero(a) || is_zero(c)) {
        return finite_sum(zero(product_negative), b, fpscr_value, single);
    }
    const Exact product = soft::multiply(soft::to_exact(a), soft::to_exact(c));
    if (is_zero(b)) {
        return rounded(product, fpscr_value, single);
    }
    bool exact_zero = false;
    const Exact sum = soft::add(product, soft::to_exact(b), exact_zero);
    if (exact_zero) {
        return exact_value(zero(rounding_of(fpscr_value) == soft::Rounding::TowardMinusInf));
    }
    return rounded(sum, fpscr_value, single);
}

// An fma's invalid causes when frB is a NaN: 0 * Inf still signals VXIMZ.
uint32_t fused_nan_extra_causes(uint64_t a, uint64_t c) {
    const bool imz = (is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c));
    return imz ? fpscr::VXIMZ : 0;
}

ArithResult single_nan(ArithResult r, bool single) {
    if (single) {
        r.value &= SINGLE_NAN_MASK;
    }
    return r;
}

} // namespace

ArithResult arithmetic(ArithOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpscr_value,
                       bool single) {
    ArithResult nan_result;
    switch (op) {
    case ArithOp::Add:
    case ArithOp::Sub: {
        const uint64_t operands[] = {a, b};
        if (propagate_nan(operands, 2, nan_result)) {
            return single_nan(nan_result, single);
        }
        return add_sub(a, b, op == ArithOp::Sub, fpscr_value, single);
    }
    case ArithOp::Mul: {
        const uint64_t operands[] = {a, c};
        if (propagate_nan(operands, 2, nan_result)) {
            return single_nan(nan_result, single);
        }
        return mul(a, c, fpscr_value, single);
    }
    case ArithOp::Div: {
        const uint64_t operands[] = {a, b};
        if (propagate_nan(operands, 2, nan_result)) {
            return single_nan(nan_result, single);
        }
        return div(a, b, fpscr_value, single);
    }
    case ArithOp::MulAdd:
    case ArithOp::MulSub:
    case ArithOp::NegMulAdd:
    case ArithOp::NegMulSub: {
        const uint64_t operands[] = {a, b, c};
        if (propagate_nan(operands, 3, nan_result)) {
            nan_result.raised |= fused_nan_extra_causes(a, c);
            return single_nan(nan_result, single);
        }
        const bool subtract = op == ArithOp::MulSub || op == ArithOp::NegMulSub;
        ArithResult r = fused(a, c, subtract ? b ^ SIGN : b, fpscr_value, single);
        const bool negate = op == ArithOp::NegMulAdd || op == ArithOp::NegMulSub;
        // The negation applies to the rounded result, zeros included, but
        // not to the QNaN an invalid operation produces.
        if (negate && !(r.raised & fpscr::VX_CAUSES)) {
            r.value ^= SIGN;
        }
        return r;
    }
    }
    return invalid(fpscr::VXSOFT);
}

ArithResult round_to_single(uint64_t b, uint32_t fpscr_value) {
    ArithResult r;
    if (propagate_nan(&b, 1, r)) {
        return single_nan(r, true);
    }
    if (is_inf(b) || is_zero(b)) {
        return exact_value(b);
    }
    return rounded(soft::to_exact(b), fpscr_value, true);
}

ArithResult reciprocal_estimate(uint64_t b, uint32_t fpscr_value) {
    ArithResult r;
    if (propagate_nan(&b, 1, r)) {
        return single_nan(r, true);
    }
    if (is_zero(b)) {
        r = exact_value(infinity(sign(b)));
        r.raised = fpscr::ZX;
        return r;
    }
    if (is_inf(b)) {
        return exact_value(zero(sign(b)));
    }
    // The exact reciprocal rounded once to single: a valid estimate (the ISA
    // only bounds the error) and what the reference implementation computes.
    const Exact one = soft::to_exact(0x3FF0000000000000ull);
    r = rounded(soft::divide(one, soft::to_exact(b)), fpscr_value, true);
    r.raised &= ~fpscr::XX; // fres does not alter XX (Book I 4.6.6.? fres)
    return r;
}

ArithResult rsqrt_estimate(uint64_t b, uint32_t fpscr_value) {
    ArithResult r;
    if (propagate_nan(&b, 1, r)) {
        return r;
    }
    if (is_zero(b)) {
        r = exact_value(infinity(sign(b)));
        r.raised = fpscr::ZX;
        return r;
    }
    if (sign(b)) {
        return invalid(fpscr::VXSQRT);
    }
    if (is_inf(b)) {
        return exact_value(zero(false));
    }
    // Square root rounded to double, then its reciprocal rounded to double.
    const ArithResult root = rounded(soft::square_root(soft::to_exact(b)), fpscr_value, false);
    const Exact one = soft::to_exact(0x3FF0000000000000ull);
    r = rounded(soft::divide(one, soft::to_exact(root.value)), fpscr_value, false);
    r.inexact = r.inexact || root.inexact;
    r.raised &= ~fpscr::XX; // frsqrte does not alter XX
    return r;
}

// FRT[0:31] are undefined after fctiw[z]: they hold the sign extension of
// the 32-bit result, except for a NaN operand, as in the reference
// implementation (QEMU).
ArithResult convert_to_int32(uint64_t b, uint32_t fpscr_value, bool toward_zero) {
    constexpr uint64_t MOST_NEGATIVE = 0xFFFFFFFF80000000ull;
    constexpr uint64_t MOST_POSITIVE = 0x7FFFFFFFull;
    ArithResult r;
    if (is_nan(b)) {
        r.raised = fpscr::VXCVI | (is_snan(b) ? fpscr::VXSNAN : 0);
        r.value = 0x80000000ull;
        return r;
    }
    if (is_inf(b)) {
        r.raised = fpscr::VXCVI;
        r.value = sign(b) ? MOST_NEGATIVE : MOST_POSITIVE;
        return r;
    }
    if (is_zero(b)) {
        return exact_value(0);
    }
    const soft::Rounding mode = toward_zero ? soft::Rounding::TowardZero : rounding_of(fpscr_value);
    const soft::IntegerRounding i = soft::round_to_integer(soft::to_exact(b), mode);
    const soft::u128 limit = sign(b) ? soft::u128(0x80000000u) : soft::u128(MOST_POSITIVE);
    if (i.too_large || i.magnitude > limit) {
        r.raised = fpscr::VXCVI;
        r.value = sign(b) ? MOST_NEGATIVE : MOST_POSITIVE;
        return r;
    }
    const auto magnitude = static_cast<uint32_t>(i.magnitude);
    const auto value = static_cast<int32_t>(sign(b) ? uint32_t(0u - magnitude) : magnitude);
    r.value = static_cast<uint64_t>(int64_t(value));
    r.inexact = i.inexact;
    r.fraction_rounded_up = i.incremented;
    if (i.inexact) {
        r.raised = fpscr::XX;
    }
    return r;
}

} // namespace vmc::emu::fpu
