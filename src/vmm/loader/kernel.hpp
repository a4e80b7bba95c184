// Reads a kernel file in the format the machine names, or the one its magic
// says when the format is "auto".
#pragma once

#include <cstdint>
#include <string>

#include "vmm/loader/image.hpp"

namespace vmc::vmm::loader {

// format: "auto" | "elf" | "uimage" | "raw". Raw images load at
// raw_address and start there. `limit` bounds the decoded size (guest RAM).
KernelImage read_kernel(const std::string& path, std::string format, uint64_t raw_address,
                        uint64_t limit);

} // namespace vmc::vmm::loader
