// An unsigned 128-bit integer built from two 64-bit halves, with the
// arithmetic the soft-float and the timers need (wrap-around +, -, *, exact
// / and %, shifts, bit operations, comparisons). 32-bit hosts such as a
// powerpc QorIQ core have no `unsigned __int128`; this type behaves like it
// for every operation defined here, on every host, so the emulator's
// results do not depend on the host.
//
// Preconditions are those of the built-in type: shift counts in [0, 127],
// nonzero divisors.
#pragma once

#include <bit>
#include <compare>
#include <cstdint>

namespace vmc::emu {

class U128 {
public:
    constexpr U128() = default;
    // Implicit, like an integer promotion, so that `sig + 1` and `v != 0` read naturally.
    constexpr U128(uint64_t value) : lo_(value) {}
    static constexpr U128 from_halves(uint64_t high, uint64_t low) {
        U128 v;
        v.hi_ = high;
        v.lo_ = low;
        return v;
    }

    constexpr uint64_t high() const { return hi_; }
    constexpr uint64_t low() const { return lo_; }
    // Truncating conversions, as static_cast on the built-in type.
    constexpr explicit operator uint64_t() const { return lo_; }
    constexpr explicit operator uint32_t() const { return static_cast<uint32_t>(lo_); }
    constexpr explicit operator bool() const { return (hi_ | lo_) != 0; }

    // The full 128-bit product of two 64-bit values.
    static constexpr U128 product(uint64_t a, uint64_t b) {
        constexpr uint64_t mask = 0xFFFFFFFFu;
        const uint64_t a0 = a & mask, a1 = a >> 32, b0 = b & mask, b1 = b >> 32;
        const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
        // Bits 32..95 collected without overflow: each term is below 2^32.
        const uint64_t middle = (p00 >> 32) + (p01 & mask) + (p10 & mask);
        return from_halves(p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32),
                           (middle << 32) | (p00 & mask));
    }

    // Quotient and remainder; `divisor` nonzero.
    struct DivMod;
    static constexpr DivMod divide(U128 dividend, U128 divisor);

    constexpr int leading_zeros() const {
        return hi_ != 0 ? std::countl_zero(hi_) : 64 + std::countl_zero(lo_);
    }

    friend constexpr U128 operator+(U128 a, U128 b) {
        const uint64_t low = a.lo_ + b.lo_;
        return from_halves(a.hi_ + b.hi_ + (low < a.lo_ ? 1 : 0), low);
    }
    friend constexpr U128 operator-(U128 a, U128 b) {
        return from_halves(a.hi_ - b.hi_ - (a.lo_ < b.lo_ ? 1 : 0), a.lo_ - b.lo_);
    }
    friend constexpr U128 operator*(U128 a, U128 b) {
        U128 r = product(a.lo_, b.lo_);
        r.hi_ += a.lo_ * b.hi_ + a.hi_ * b.lo_; // the rest lies at or above 2^128
        return r;
    }
    friend constexpr U128 operator/(U128 a, U128 b);
    friend constexpr U128 operator%(U128 a, U128 b);

    friend constexpr U128 operator<<(U128 v, int64_t count) {
        if (count == 0) return v;
        if (count >= 64) return from_halves(v.lo_ << (count - 64), 0);
        return from_halves((v.hi_ << count) | (v.lo_ >> (64 - count)), v.lo_ << count);
    }
    friend constexpr U128 operator>>(U128 v, int64_t count) {
        if (count == 0) return v;
        if (count >= 64) return from_halves(0, v.hi_ >> (count - 64));
        return from_halves(v.hi_ >> count, (v.lo_ >> count) | (v.hi_ << (64 - count)));
    }
    friend constexpr U128 operator&(U128 a, U128 b) {
        return from_halves(a.hi_ & b.hi_, a.lo_ & b.lo_);
    }
    friend constexpr U128 operator|(U128 a, U128 b) {
        return from_halves(a.hi_ | b.hi_, a.lo_ | b.lo_);
    }
    friend constexpr U128 operator^(U128 a, U128 b) {
        return from_halves(a.hi_ ^ b.hi_, a.lo_ ^ b.lo_);
    }

    friend constexpr bool operator==(U128 a, U128 b) { return a.hi_ == b.hi_ && a.lo_ == b.lo_; }
    friend constexpr std::strong_ordering operator<=>(U128 a, U128 b) {
        return a.hi_ != b.hi_ ? a.hi_ <=> b.hi_ : a.lo_ <=> b.lo_;
    }

    constexpr U128& operator+=(U128 b) { return *this = *this + b; }
    constexpr U128& operator-=(U128 b) { return *this = *this - b; }
    constexpr U128& operator<<=(int64_t count) { return *this = *this << count; }
    constexpr U128& operator>>=(int64_t count) { return *this = *this >> count; }

private:
    // (high:low) / divisor where high < divisor, so the quotient fits in 64
    // bits: schoolbook division in 32-bit digits with a normalized divisor
    // (Knuth, TAOCP vol. 2, 4.3.1, algorithm D), estimating each quotient
    // digit from the divisor's top digit and correcting it at most twice.
    static constexpr uint64_t divide_narrow(uint64_t high, uint64_t low, uint64_t divisor,
                                            uint64_t& remainder) {
        constexpr uint64_t base = uint64_t(1) << 32;
        const int shift = std::countl_zero(divisor);
        divisor <<= shift;
        const uint64_t d1 = divisor >> 32, d0 = divisor & (base - 1);
        const uint64_t top = shift == 0 ? high : (high << shift) | (low >> (64 - shift));
        const uint64_t rest = low << shift;
        const uint64_t n1 = rest >> 32, n0 = rest & (base - 1);

        auto digit = [&](uint64_t upper, uint64_t next) {
            uint64_t q = upper / d1;
            uint64_t r = upper - q * d1;
            while (q >= base || q * d0 > ((r << 32) | next)) {
                --q;
                r += d1;
                if (r >= base) break;
            }
            return q;
        };
        const uint64_t q1 = digit(top, n1);
        const uint64_t partial = (top << 32) + n1 - q1 * divisor; // < divisor, fits in 64 bits
        const uint64_t q0 = digit(partial, n0);
        remainder = ((partial << 32) + n0 - q0 * divisor) >> shift;
        return (q1 << 32) | q0;
    }

    uint64_t hi_ = 0;
    uint64_t lo_ = 0;
};

struct U128::DivMod {
    U128 quotient;
    U128 remainder;
};

constexpr U128::DivMod U128::divide(U128 dividend, U128 divisor) {
    if (divisor.hi_ == 0) {
        const uint64_t d = divisor.lo_;
        uint64_t remainder = 0;
        const uint64_t q_high = dividend.hi_ / d;
        const uint64_t q_low = divide_narrow(dividend.hi_ % d, dividend.lo_, d, remainder);
        return {from_halves(q_high, q_low), U128(remainder)};
    }
    // A divisor of 2^64 or more: the quotient fits in 64 bits; plain
    // shift-and-subtract over at most 64 positions.
    const int shift = divisor.leading_zeros() - dividend.leading_zeros();
    if (shift < 0) return {U128(), dividend};
    U128 remainder = dividend;
    U128 d = divisor << shift;
    uint64_t quotient = 0;
    for (int i = 0; i <= shift; ++i) {
        quotient <<= 1;
        if (remainder >= d) {
            remainder -= d;
            quotient |= 1;
        }
        d >>= 1;
    }
    return {U128(quotient), remainder};
}

constexpr U128 operator/(U128 a, U128 b) {
    return U128::divide(a, b).quotient;
}
constexpr U128 operator%(U128 a, U128 b) {
    return U128::divide(a, b).remainder;
}

} // namespace vmc::emu
