// ELF kernels (vmlinux): 32- or 64-bit big-endian PowerPC executables.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "vmm/loader/image.hpp"

namespace vmc::vmm::loader {

bool looks_like_elf(std::span<const uint8_t> bytes);

// PT_LOAD segments go to their physical addresses (p_paddr); the entry is
// e_entry moved from the virtual to the physical address of the executable
// segment that holds it, so a vmlinux linked at 0xc0000000 starts at 0.
// The segments point into `bytes`: the caller keeps them alive (storage).
KernelImage parse_elf(const std::string& path, std::span<const uint8_t> bytes);

} // namespace vmc::vmm::loader
