// Load/store format conversions (Book I 4.6.2 and 4.6.3): bit moves that
// never round and never touch the FPSCR.
#include "engine/emu/fpu/fpu.hpp"

#include <bit>

namespace vmc::emu::fpu {

uint64_t single_to_double(uint32_t single) {
    const uint32_t magnitude = single & 0x7FFFFFFFu;
    const uint64_t sign = uint64_t(single >> 31) << 63;
    const uint32_t exponent = (single >> 23) & 0xFF;
    if (exponent == 0xFF) {
        // Infinity or NaN: the exponent stays all ones, the fraction is kept.
        return sign | (uint64_t(0x7FF) << 52) | (uint64_t(single & 0x7FFFFFu) << 29);
    }
    if (exponent != 0) {
        // Normal: WORD[0:1] || 3 copies of NOT WORD[1] || WORD[2:31] || 29 zeros.
        const uint64_t top2 = uint64_t(single >> 30) << 62;
        const uint64_t fill = ((single >> 30) & 1) ? 0 : (uint64_t(7) << 59);
        return top2 | fill | (uint64_t(single & 0x3FFFFFFFu) << 29);
    }
    if (magnitude == 0) {
        return sign;
    }
    // Denormal single: normalize into the double's wider exponent range.
    const int shift = std::countl_zero(magnitude) - 8; // moves the leading one to bit 23
    const uint64_t fraction = (uint64_t(magnitude) << shift) & 0x7FFFFF;
    const uint64_t biased = uint64_t(1023 - 126 - shift);
    return sign | (biased << 52) | (fraction << 29);
}

uint32_t double_to_single(uint64_t dbl) {
    const auto exponent = static_cast<unsigned>((dbl >> 52) & 0x7FF);
    const uint32_t sign = static_cast<uint32_t>(dbl >> 63) << 31;
    if (exponent > 896 || (dbl & ~(uint64_t(1) << 63)) == 0) {
        // No denormalization: FRS[0:1] || FRS[5:34] (includes zero, Inf, NaN).
        return static_cast<uint32_t>((dbl >> 62) << 30) |
               static_cast<uint32_t>((dbl >> 29) & 0x3FFFFFFF);
    }
    if (exponent >= 874) {
        // Denormalize: the implicit one and fraction shift right, truncated.
        const uint64_t significand = (uint64_t(1) << 52) | (dbl & ((uint64_t(1) << 52) - 1));
        return sign | static_cast<uint32_t>(significand >> (896 + 30 - exponent));
    }
    // Too small for a single denormal: the ISA leaves the result undefined;
    // store the signed zero, as the reference implementation (QEMU) does.
    return sign;
}

} // namespace vmc::emu::fpu
