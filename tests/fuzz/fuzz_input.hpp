// Reading a fuzz input as a sequence of little fields. Past the end every
// read returns zero, so a target never needs to check lengths and short
// inputs stay meaningful.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace vmc::fuzz {

class Input {
public:
    Input(const uint8_t* data, size_t size) : bytes_(data, size) {}

    bool empty() const { return pos_ >= bytes_.size(); }
    size_t remaining() const { return empty() ? 0 : bytes_.size() - pos_; }

    uint8_t u8() { return empty() ? 0 : bytes_[pos_++]; }
    uint16_t u16() { return static_cast<uint16_t>(u8() | u8() << 8); }
    uint32_t u32() { return u16() | uint32_t{u16()} << 16; }
    uint64_t u64() { return u32() | uint64_t{u32()} << 32; }

    // Up to `n` bytes (fewer at the end of the input).
    std::span<const uint8_t> bytes(size_t n) {
        n = std::min(n, remaining());
        auto out = bytes_.subspan(pos_, n);
        pos_ += n;
        return out;
    }
    std::span<const uint8_t> rest() { return bytes(remaining()); }

private:
    std::span<const uint8_t> bytes_;
    size_t pos_ = 0;
};

// The access widths the MMIO interface takes.
inline unsigned access_width(uint8_t selector) {
    return 1u << (selector & 3);
}

} // namespace vmc::fuzz
