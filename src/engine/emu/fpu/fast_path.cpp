// Built with -ffp-contract=off (src/CMakeLists.txt): the error-free
// transformations below need every product and sum rounded on its own.
#include "engine/emu/fpu/fast_path.hpp"

#include <bit>
#include <cfloat>
#include <cmath>

#include "engine/emu/fpu/fpscr.hpp"
#include "engine/emu/fpu/values.hpp"

namespace vmc::emu::fpu {
namespace {

// The host must evaluate doubles in double precision (not x87's extended
// registers) in round-to-nearest, which vmcompose never changes.
constexpr bool kHostDoubles = FLT_EVAL_METHOD == 0;

int biased_exponent(uint64_t v) {
    return static_cast<int>((v >> 52) & 0x7FF);
}

// Operands and results are kept well inside the format's normal range
// (double: [2^-900, 2^900]; single: [2^-40, 2^40]), as biased double
// exponents: every rounding error below is then a normal number of the
// format, so each transformation is exact, and no result can overflow or
// be tiny.
struct Range {
    int low, high;
};

// The fraction bits a double holds beyond a single's 23.
constexpr uint64_t kSingleDropped = (uint64_t(1) << 29) - 1;

double as_double(uint64_t v) {
    return std::bit_cast<double>(v);
}
constexpr Range kDouble{1023 - 900, 1023 + 900};
constexpr Range kSingle{1023 - 40, 1023 + 40};

bool comfortable(uint64_t v, Range range) {
    const int e = biased_exponent(v);
    return e >= range.low && e <= range.high;
}

// The flags of a rounded result r whose exact value is r + residual, where
// `residual` has the sign of the (exact) error.
template <typename T> ArithResult finish(T r, T residual) {
    ArithResult out;
    out.value = std::bit_cast<uint64_t>(static_cast<double>(r)); // exact for floats
    if (residual != 0) {
        out.inexact = true;
        out.raised = fpscr::XX;
        // FR: the magnitude was rounded up, i.e. the exact value is nearer zero.
        out.fraction_rounded_up = std::signbit(residual) != std::signbit(r);
    }
    return out;
}

// Knuth's TwoSum: s + e == x + y exactly.
template <typename T> void two_sum(T x, T y, T& s, T& e) {
    s = x + y;
    const T yy = s - x;
    e = (x - (s - yy)) + (y - yy);
}

// x * y + z: returns the rounded result r1; r1 + r2 + r3 is the exact one
// (Boldo and Muller's ErrFma; exact without underflow or overflow).
template <typename T> T fma_with_error(T x, T y, T z, T& r2, T& r3) {
    const T r1 = std::fma(x, y, z);
    const T u1 = x * y;
    const T u2 = std::fma(x, y, -u1);
    T a1, z1, b1, b2;
    two_sum(z, u2, a1, z1);
    two_sum(u1, a1, b1, b2);
    const T g = (b1 - r1) + b2;
    r2 = g + z1; // FastTwoSum(g, z1): |g| >= |z1| or g == 0
    r3 = z1 - (r2 - g);
    return r1;
}

// The operation in T (double, or float for the single-precision forms,
// whose operands are then singles): true with `out` set, or false when the
// result leaves the comfortable range.
template <typename T> bool compute(ArithOp op, T x, T y, T z, Range range, ArithResult& out) {
    T r = 0, residual = 0;
    switch (op) {
    case ArithOp::Add:
    case ArithOp::Sub:
        two_sum(x, op == ArithOp::Sub ? -y : y, r, residual);
        break;
    case ArithOp::Mul:
        r = x * z;
        residual = std::fma(x, z, -r);
        break;
    case ArithOp::Div:
        r = x / y;
        // a - r*b is exact; the quotient's error has its sign times b's.
        residual = std::fma(-r, y, x);
        if (std::signbit(y)) residual = -residual;
        break;
    case ArithOp::MulAdd:
    case ArithOp::MulSub:
    case ArithOp::NegMulAdd:
    case ArithOp::NegMulSub: {
        const bool subtract = op == ArithOp::MulSub || op == ArithOp::NegMulSub;
        T r2, r3;
        r = fma_with_error(x, z, subtract ? -y : y, r2, r3);
        residual = r2 != 0 ? r2 : r3;
        break;
    }
    }
    if (!comfortable(std::bit_cast<uint64_t>(static_cast<double>(r)), range)) return false;
    out = finish(r, residual);
    // fnmadd/fnmsub: negated after rounding (FR is about the magnitude).
    if (op == ArithOp::NegMulAdd || op == ArithOp::NegMulSub) out.value ^= values::SIGN;
    return true;
}

// Whether the operands `op` reads are comfortable (and, for the single
// forms, singles), and the product of the fused forms too.
bool operands_fit(ArithOp op, uint64_t a, uint64_t b, uint64_t c, Range range, bool single) {
    const bool reads_b = op != ArithOp::Mul;
    const bool reads_c = op == ArithOp::Mul || op >= ArithOp::MulAdd;
    auto fits = [&](uint64_t v) {
        return comfortable(v, range) && (!single || (v & kSingleDropped) == 0);
    };
    if (!fits(a) || (reads_b && !fits(b)) || (reads_c && !fits(c))) return false;
    if (op < ArithOp::MulAdd) return true;
    const int product = biased_exponent(a) + biased_exponent(c) - 1023;
    return product >= range.low && product <= range.high;
}

} // namespace

bool fast_arithmetic(ArithOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpscr_value,
                     bool single, ArithResult& out) {
    if (!kHostDoubles || (fpscr_value & fpscr::RN) != 0) return false;
    const Range range = single ? kSingle : kDouble;
    if (!operands_fit(op, a, b, c, range, single)) return false;
    const double x = as_double(a), y = as_double(b), z = as_double(c);
    if (single) {
        // Single operands: float arithmetic rounds the exact result once,
        // straight to single.
        return compute<float>(op, static_cast<float>(x), static_cast<float>(y),
                              static_cast<float>(z), range, out);
    }
    return compute<double>(op, x, y, z, range, out);
}

} // namespace vmc::emu::fpu
