// The portable 128-bit integer: identities that hold on every host, and, where
// the compiler has unsigned __int128, agreement with it on random operands.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "engine/emu/uint128.hpp"

using vmc::emu::U128;

namespace {

// Operands biased towards the edge cases of carries and normalization: all
// ones, single bits, small values and random ones.
uint64_t interesting(std::mt19937_64& rng) {
    switch (rng() % 6) {
    case 0:
        return ~uint64_t(0) >> (rng() % 64);
    case 1:
        return uint64_t(1) << (rng() % 64);
    case 2:
        return rng() % 1000;
    default:
        return rng();
    }
}

U128 random_u128(std::mt19937_64& rng) {
    return rng() % 3 == 0 ? U128(interesting(rng))
                          : U128::from_halves(interesting(rng), interesting(rng));
}

} // namespace

TEST_CASE("U128 products of 64-bit values are exact", "[uint128]") {
    const uint64_t max = ~uint64_t(0);
    const U128 square = U128::product(max, max); // 2^128 - 2^65 + 1
    CHECK(square.high() == max - 1);
    CHECK(square.low() == 1);
    CHECK(U128::product(uint64_t(1) << 63, 2) == U128::from_halves(1, 0));
    CHECK(U128::product(0x123456789ABCDEFull, 0) == U128(0));
    CHECK(U128::product(1'000'000'000u, 3'333'333'333ull) == U128(3'333'333'333'000'000'000ull));
}

TEST_CASE("U128 addition and subtraction carry between the halves", "[uint128]") {
    const U128 low_full(~uint64_t(0));
    CHECK(low_full + 1 == U128::from_halves(1, 0));
    CHECK(U128::from_halves(1, 0) - 1 == low_full);
    CHECK(U128() - 1 ==
          U128::from_halves(~uint64_t(0), ~uint64_t(0))); // wraps like the built-in type
    CHECK(U128::from_halves(~uint64_t(0), ~uint64_t(0)) + 1 == U128());
}

TEST_CASE("U128 shifts cross the half boundary", "[uint128]") {
    const U128 one(1);
    CHECK((one << 64) == U128::from_halves(1, 0));
    CHECK((one << 127) == U128::from_halves(uint64_t(1) << 63, 0));
    CHECK((U128::from_halves(1, 0) >> 1) == U128(uint64_t(1) << 63));
    CHECK((U128::from_halves(0xF0, 0x0F) >> 4) == U128::from_halves(0xF, 0));
    CHECK((U128::from_halves(0xAB, 0xCD) >> 0) == U128::from_halves(0xAB, 0xCD));
    CHECK((one << 127).leading_zeros() == 0);
    CHECK(one.leading_zeros() == 127);
}

TEST_CASE("U128 division satisfies q * d + r == n with r < d", "[uint128]") {
    std::mt19937_64 rng(0x128);
    for (int i = 0; i < 20000; ++i) {
        const U128 n = random_u128(rng);
        U128 d = random_u128(rng);
        if (!d) d = 1;
        const auto [q, r] = U128::divide(n, d);
        INFO("n=" << n.high() << ":" << n.low() << " d=" << d.high() << ":" << d.low());
        REQUIRE(r < d);
        REQUIRE(q * d + r == n);
        REQUIRE(n / d == q);
        REQUIRE(n % d == r);
    }
    // A divisor whose normalized top digit forces the quotient-digit correction.
    const auto [q, r] = U128::divide(U128::from_halves(0x7FFFFFFFFFFFFFFFull, ~uint64_t(0)),
                                     U128(0x8000000000000001ull));
    CHECK(q * U128(0x8000000000000001ull) + r ==
          U128::from_halves(0x7FFFFFFFFFFFFFFFull, ~uint64_t(0)));
    CHECK(r < U128(0x8000000000000001ull));
}

#ifdef __SIZEOF_INT128__
TEST_CASE("U128 agrees with unsigned __int128", "[uint128]") {
    using native = unsigned __int128;
    auto to_native = [](U128 v) { return (native(v.high()) << 64) | v.low(); };
    auto same = [](U128 v, native n) {
        return v.high() == uint64_t(n >> 64) && v.low() == uint64_t(n);
    };
    std::mt19937_64 rng(0xE500);
    for (int i = 0; i < 20000; ++i) {
        const U128 a = random_u128(rng);
        const U128 b = random_u128(rng);
        const native na = to_native(a), nb = to_native(b);
        const int count = static_cast<int>(rng() % 128);
        REQUIRE(same(a + b, na + nb));
        REQUIRE(same(a - b, na - nb));
        REQUIRE(same(a * b, na * nb));
        REQUIRE(same(a << count, na << count));
        REQUIRE(same(a >> count, na >> count));
        REQUIRE(same(a & b, na & nb));
        REQUIRE(same(a | b, na | nb));
        REQUIRE((a < b) == (na < nb));
        REQUIRE((a == b) == (na == nb));
        if (b) {
            REQUIRE(same(a / b, na / nb));
            REQUIRE(same(a % b, na % nb));
        }
        REQUIRE(same(U128::product(a.low(), b.low()), native(a.low()) * b.low()));
    }
}
#endif
