// The FPU's host fast path against its exact soft model: on the cases the
// fast path accepts, value, FI, FR and the raised bits must be identical.
// (tests/fp_oracle checks both against an MPFR reference as well.)
#include <catch2/catch.hpp>

#include "engine/emu/fpu/arithmetic.hpp"
#include "engine/emu/fpu/fast_path.hpp"

#include <bit>
#include <random>

namespace {

using namespace vmc::emu::fpu;

// Doubles (or singles) whose exponents stay close together (so sums
// cancel and products and quotients stay in range), with random signs and
// fractions, some with few significant bits (exact results and ties).
uint64_t operand(std::mt19937_64& rng, bool single) {
    uint64_t fraction = rng() & ((1ull << 52) - 1);
    if (rng() % 3 == 0) fraction &= ~((1ull << (rng() % 52)) - 1);
    if (single) fraction &= ~((1ull << 29) - 1);
    const uint64_t exponent = 1023 - 20 + rng() % 40;
    return (rng() & 1 ? 1ull << 63 : 0) | (exponent << 52) | fraction;
}

constexpr ArithOp kOps[] = {ArithOp::Add,       ArithOp::Sub,      ArithOp::Mul,
                            ArithOp::Div,       ArithOp::MulAdd,   ArithOp::MulSub,
                            ArithOp::NegMulAdd, ArithOp::NegMulSub};

} // namespace

TEST_CASE("the fast path agrees with the soft model wherever it takes a case", "[fpu][fast]") {
    const bool single = GENERATE(false, true);
    INFO((single ? "single" : "double") << " precision");
    std::mt19937_64 rng(20);
    int taken = 0, inexact = 0, rounded_up = 0;
    for (int n = 0; n < 200000; ++n) {
        const ArithOp op = kOps[n % 8];
        const uint64_t a = operand(rng, single), c = operand(rng, single);
        uint64_t b = operand(rng, single);
        if (n % 5 == 0) {
            // frB close to what cancels frA * frC or frA
            const double x = std::bit_cast<double>(a), z = std::bit_cast<double>(c);
            const double cancel = op >= ArithOp::MulAdd ? -(x * z) : -x;
            b = std::bit_cast<uint64_t>(cancel) + (rng() % 3 - 1) * (single ? 1u << 29 : 1u);
            if (single) b = std::bit_cast<uint64_t>(double(float(std::bit_cast<double>(b))));
        }
        ArithResult fast;
        if (!fast_arithmetic(op, a, b, c, 0, single, fast)) continue;
        ++taken;
        const ArithResult soft = arithmetic(op, a, b, c, 0, single);
        INFO("op " << static_cast<int>(op) << " a " << std::hex << a << " b " << b << " c " << c);
        REQUIRE(fast.value == soft.value);
        REQUIRE(fast.inexact == soft.inexact);
        REQUIRE(fast.fraction_rounded_up == soft.fraction_rounded_up);
        REQUIRE(fast.raised == soft.raised);
        inexact += fast.inexact;
        rounded_up += fast.fraction_rounded_up;
    }
    // The comparison means something only if the fast path ran, rounded
    // both ways and was sometimes exact.
    CHECK(taken > 150000);
    CHECK(inexact > taken / 2);
    CHECK(rounded_up > taken / 5);
    CHECK(inexact < taken);
}

TEST_CASE("the fast path declines what only the soft model gets right", "[fpu][fast]") {
    ArithResult r;
    const uint64_t one = std::bit_cast<uint64_t>(1.0), tiny = 0x0010000000000000ull;
    CHECK(!fast_arithmetic(ArithOp::Add, one, one, 0, 1, false, r)); // round toward zero
    const uint64_t tenth = 0x3FB999999999999Aull;                    // not a single
    CHECK(!fast_arithmetic(ArithOp::Add, one, tenth, 0, 0, true, r));
    CHECK(!fast_arithmetic(ArithOp::Mul, tiny, 0, one, 0, false, r)); // near underflow
    CHECK(!fast_arithmetic(ArithOp::Add, 0, one, 0, 0, false, r));    // a zero operand
    CHECK(!fast_arithmetic(ArithOp::Sub, one, one, 0, 0, false, r));  // an exact zero result
    CHECK(!fast_arithmetic(ArithOp::Div, one, 0x7FF8000000000000ull, 0, 0, false, r)); // NaN
    CHECK(fast_arithmetic(ArithOp::Div, one, std::bit_cast<uint64_t>(3.0), 0, 0, false, r));
    CHECK(r.inexact);
}
