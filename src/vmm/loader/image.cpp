#include "vmm/loader/image.hpp"

#include <algorithm>

namespace vmc::vmm::loader {

const char* format_name(KernelFormat format) {
    switch (format) {
    case KernelFormat::Elf:
        return "ELF";
    case KernelFormat::UImage:
        return "uImage";
    case KernelFormat::Raw:
        return "raw binary";
    }
    return "?";
}

uint64_t KernelImage::end() const {
    uint64_t e = load_address;
    for (const auto& s : segments)
        e = std::max(e, s.end());
    return e;
}

} // namespace vmc::vmm::loader
