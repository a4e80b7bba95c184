// gzip decompression (zlib) with an output limit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vmc::vmm::loader {

// Throws LoadError naming `path` when the stream is corrupt, truncated, or
// would decompress to more than `limit` bytes.
std::vector<uint8_t> gunzip(const std::string& path, std::span<const uint8_t> compressed,
                            uint64_t limit);

} // namespace vmc::vmm::loader
