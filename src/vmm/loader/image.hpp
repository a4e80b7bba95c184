// A kernel image decoded into what goes where in guest memory: plain data,
// independent of any Vm, so the boot plan can be made (and the DTB compiled)
// before guest RAM exists.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace vmc::vmm::loader {

enum class KernelFormat { Elf, UImage, Raw };

const char* format_name(KernelFormat format);

// `data` goes to [address, address + data.size()); the bytes up to
// address + mem_size are zero (an ELF segment's .bss).
struct LoadSegment {
    uint64_t address = 0;
    std::span<const uint8_t> data; // into the owning KernelImage's storage
    uint64_t mem_size = 0;
    uint64_t end() const { return address + mem_size; }
};

struct KernelImage {
    std::string path;
    KernelFormat format = KernelFormat::Raw;
    std::vector<LoadSegment> segments; // sorted by address, never overlapping
    uint64_t entry = 0;                // physical address of the first instruction
    // Owns the bytes the segments point into (the mapped file, or a
    // decompressed payload); copies of the image share it.
    std::shared_ptr<const void> storage;
    // What QEMU's ppce500 derives its placement rules from: the lowest load
    // address and the loaded size (the sum of the segments' sizes).
    uint64_t load_address = 0;
    uint64_t payload_size = 0;

    uint64_t start() const { return segments.empty() ? load_address : segments.front().address; }
    uint64_t end() const; // highest address any segment reaches
};

} // namespace vmc::vmm::loader
