// Bit-level classification of IEEE doubles held in FPRs.
#pragma once

#include <cstdint>

namespace vmc::emu::fpu::values {

constexpr uint64_t SIGN = uint64_t(1) << 63;
constexpr uint64_t EXP_MASK = uint64_t(0x7FF) << 52;
constexpr uint64_t FRAC_MASK = (uint64_t(1) << 52) - 1;
constexpr uint64_t QUIET_BIT = uint64_t(1) << 51;
// The QNaN an invalid operation produces when VE=0 (sign 0, Book I 4.3.2).
constexpr uint64_t DEFAULT_QNAN = 0x7FF8000000000000ull;
// Single-precision NaN results keep only the bits a single can hold.
constexpr uint64_t SINGLE_NAN_MASK = ~((uint64_t(1) << 29) - 1);

constexpr bool sign(uint64_t v) {
    return (v & SIGN) != 0;
}
constexpr bool is_nan(uint64_t v) {
    return (v & EXP_MASK) == EXP_MASK && (v & FRAC_MASK) != 0;
}
constexpr bool is_snan(uint64_t v) {
    return is_nan(v) && (v & QUIET_BIT) == 0;
}
constexpr bool is_inf(uint64_t v) {
    return (v & ~SIGN) == EXP_MASK;
}
constexpr bool is_zero(uint64_t v) {
    return (v & ~SIGN) == 0;
}
constexpr uint64_t quiet(uint64_t v) {
    return v | QUIET_BIT;
}
constexpr uint64_t infinity(bool negative) {
    return (negative ? SIGN : 0) | EXP_MASK;
}
constexpr uint64_t zero(bool negative) {
    return negative ? SIGN : 0;
}

} // namespace vmc::emu::fpu::values
