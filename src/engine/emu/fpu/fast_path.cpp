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

// Operands and results are kept inside [2^-900, 2^900] (biased exponents
// 123..1923): every rounding error below is then a normal double, so each
// transformation is exact, and no result can overflow or be tiny.
constexpr int kLow = 1023 - 900, kHigh = 1023 + 900;
bool comfortable(uint64_t v) {
    const int e = biased_exponent(v);
    return e >= kLow && e <= kHigh;
}

double as_double(uint64_t v) {
    return std::bit_cast<double>(v);
}

// The flags of a rounded result r whose exact value is r + residual, where
// `residual` has the sign of the (exact) error.
ArithResult finish(double r, double residual) {
    ArithResult out;
    out.value = std::bit_cast<uint64_t>(r);
    if (residual != 0) {
        out.inexact = true;
        out.raised = fpscr::XX;
        // FR: the magnitude was rounded up, i.e. the exact value is nearer zero.
        out.fraction_rounded_up = std::signbit(residual) != std::signbit(r);
    }
    return out;
}

// Knuth's TwoSum: s + e == x + y exactly.
void two_sum(double x, double y, double& s, double& e) {
    s = x + y;
    const double yy = s - x;
    e = (x - (s - yy)) + (y - yy);
}

// x * y + z: r is the rounded result and r + r2 + r3 the exact one
// (Boldo and Muller's ErrFma; exact without underflow or overflow).
double fma_with_error(double x, double y, double z, double& r2, double& r3) {
    const double r1 = std::fma(x, y, z);
    const double u1 = x * y;
    const double u2 = std::fma(x, y, -u1);
    double a1, z1, b1, b2;
    two_sum(z, u2, a1, z1);
    two_sum(u1, a1, b1, b2);
    const double g = (b1 - r1) + b2;
    r2 = g + z1; // FastTwoSum(g, z1): |g| >= |z1| or g == 0
    r3 = z1 - (r2 - g);
    return r1;
}

} // namespace

bool fast_arithmetic(ArithOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpscr_value,
                     bool single, ArithResult& out) {
    if (!kHostDoubles || single || (fpscr_value & fpscr::RN) != 0) return false;
    const double x = as_double(a), y = as_double(b), z = as_double(c);
    double r = 0, residual = 0;
    switch (op) {
    case ArithOp::Add:
    case ArithOp::Sub: {
        if (!comfortable(a) || !comfortable(b)) return false;
        two_sum(x, op == ArithOp::Sub ? -y : y, r, residual);
        break;
    }
    case ArithOp::Mul:
        if (!comfortable(a) || !comfortable(c)) return false;
        r = x * z;
        residual = std::fma(x, z, -r);
        break;
    case ArithOp::Div:
        if (!comfortable(a) || !comfortable(b)) return false;
        r = x / y;
        // a - r*b is exact; the quotient's error has its sign times b's.
        residual = std::fma(-r, y, x);
        if (std::signbit(y)) residual = -residual;
        break;
    case ArithOp::MulAdd:
    case ArithOp::MulSub:
    case ArithOp::NegMulAdd:
    case ArithOp::NegMulSub: {
        if (!comfortable(a) || !comfortable(b) || !comfortable(c)) return false;
        const int product = biased_exponent(a) + biased_exponent(c) - 1023;
        if (product < kLow || product > kHigh) return false;
        const bool subtract = op == ArithOp::MulSub || op == ArithOp::NegMulSub;
        double r2, r3;
        r = fma_with_error(x, z, subtract ? -y : y, r2, r3);
        residual = r2 != 0 ? r2 : r3;
        if (!comfortable(std::bit_cast<uint64_t>(r))) return false;
        out = finish(r, residual);
        // Negated after rounding (FR is about the magnitude: unchanged).
        if (op == ArithOp::NegMulAdd || op == ArithOp::NegMulSub) out.value ^= values::SIGN;
        return true;
    }
    }
    if (!comfortable(std::bit_cast<uint64_t>(r))) return false;
    out = finish(r, residual);
    return true;
}

} // namespace vmc::emu::fpu
