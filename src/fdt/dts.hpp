// Device-tree source text from a blob, in the form dtc accepts.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace vmc::fdt {

// Throws std::runtime_error when the blob is not a valid device tree.
std::string to_dts(std::span<const uint8_t> blob);

} // namespace vmc::fdt
