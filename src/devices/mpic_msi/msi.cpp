#include "devices/mpic_msi/msi.hpp"

namespace vmc::devices::mpic_msi {

Msi::Msi(std::string name, std::vector<vmm::IrqLine> sources)
    : vmm::Device(std::move(name)), sources_(std::move(sources)) {
    sources_.resize(kRegisters);
}

void Msi::reset() {
    msir_.fill(0);
    for (auto& line : sources_)
        line.set(false);
}

uint64_t Msi::mmio_read(uint64_t offset, unsigned size) {
    // 32-bit registers; other widths and unaligned reads see nothing (and clear nothing).
    if (size != 4 || (offset & 3)) return 0;
    if (offset == kMsisr) {
        uint32_t summary = 0;
        for (unsigned n = 0; n < kRegisters; ++n)
            if (msir_[n]) summary |= 1u << n;
        return summary;
    }
    if (offset % 0x10 == 0 && offset / 0x10 < kRegisters) {
        unsigned n = static_cast<unsigned>(offset / 0x10);
        uint32_t bits = msir_[n];
        msir_[n] = 0;
        sources_[n].set(false);
        return bits;
    }
    return 0;
}

void Msi::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (offset != kMsiir || size != 4) return;
    unsigned n = static_cast<unsigned>(value >> 29) & 7;
    msir_[n] |= 1u << ((value >> 24) & 0x1f);
    sources_[n].set(true);
}

} // namespace vmc::devices::mpic_msi
