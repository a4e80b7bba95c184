// fsl-mpic-msi: the MPIC's shared message-signalled interrupt block
// (`fsl,mpic-msi`), as QEMU's OpenPIC models it and Linux's fsl_msi drives it.
// A PCI function's MSI is a 32-bit write to MSIIR (+0x140): bits 31-29 pick
// one of 8 shared registers MSIR0-7, bits 28-24 the bit in it. A register
// with any bit set asserts its MPIC source (one per register); reading it
// (+0x10*n) returns and clears the bits and drops the source. MSISR (+0x120)
// says which registers have bits set.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "vmm/device.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::mpic_msi {

class Msi final : public vmm::Device {
public:
    static constexpr unsigned kRegisters = 8;
    static constexpr uint64_t kMsisr = 0x120, kMsiir = 0x140, kBlockSize = 0x200;

    // `sources`: the IrqLine of each MSIR (at most kRegisters; absent ones
    // are never raised).
    Msi(std::string name, std::vector<vmm::IrqLine> sources);

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

private:
    std::vector<vmm::IrqLine> sources_;
    std::array<uint32_t, kRegisters> msir_{};
};

} // namespace vmc::devices::mpic_msi
