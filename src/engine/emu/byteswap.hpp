// Byte reversal for the guest's big-endian view (std::byteswap is C++23).
#pragma once

#include <bit>
#include <cstdint>

namespace vmc::emu {

constexpr uint8_t bswap(uint8_t v) {
    return v;
}
constexpr uint16_t bswap(uint16_t v) {
    return __builtin_bswap16(v);
}
constexpr uint32_t bswap(uint32_t v) {
    return __builtin_bswap32(v);
}
constexpr uint64_t bswap(uint64_t v) {
    return __builtin_bswap64(v);
}

// Host value <-> guest (big-endian) byte order.
template <typename T> constexpr T from_be(T v) {
    if constexpr (std::endian::native == std::endian::little) return bswap(v);
    return v;
}

} // namespace vmc::emu
