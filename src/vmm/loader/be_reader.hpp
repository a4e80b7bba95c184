// Bounds-checked big-endian field reads from an image held in memory. A read
// past the end throws, so a truncated header can never be misread.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "vmm/loader/load_error.hpp"

namespace vmc::vmm::loader {

class BeReader {
public:
    BeReader(const std::string& path, std::span<const uint8_t> bytes)
        : path_(path), bytes_(bytes) {}

    bool has(uint64_t offset, uint64_t len) const {
        return len <= bytes_.size() && offset <= bytes_.size() - len;
    }
    // `what` names the structure being read, for the error message.
    uint64_t read(uint64_t offset, unsigned width, const char* what) const {
        if (!has(offset, width)) throw LoadError(path_, std::string("truncated ") + what);
        uint64_t v = 0;
        for (unsigned i = 0; i < width; ++i)
            v = (v << 8) | bytes_[offset + i];
        return v;
    }
    uint32_t u32(uint64_t offset, const char* what) const {
        return static_cast<uint32_t>(read(offset, 4, what));
    }
    uint16_t u16(uint64_t offset, const char* what) const {
        return static_cast<uint16_t>(read(offset, 2, what));
    }
    std::span<const uint8_t> bytes() const { return bytes_; }
    const std::string& path() const { return path_; }

private:
    const std::string& path_;
    std::span<const uint8_t> bytes_;
};

} // namespace vmc::vmm::loader
