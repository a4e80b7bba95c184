// Whole-file reads with errors that name the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vmc::vmm::loader {

// Throws LoadError when the file cannot be opened or read, or is larger
// than `limit` bytes (a guest image never needs more than guest RAM).
std::vector<uint8_t> read_file(const std::string& path, uint64_t limit);
// Size in bytes; throws LoadError when the file is missing or not a regular file.
uint64_t file_size(const std::string& path);

} // namespace vmc::vmm::loader
