// The ePAPR spin table for secondary CPUs, as an MMIO block (QEMU's
// ppce500 puts it outside RAM the same way). Entry n (entry_size bytes):
//   +0x00 addr_hi  +0x04 addr_lo  +0x08 r3_hi  +0x0c r3_lo
//   +0x10 reserved +0x14 pir      +0x18 r6_hi  +0x1c r6_lo
// addr reads 1 until the CPU is released; the boot CPU releases CPU n by
// writing addr_lo (Linux writes addr_hi, r3, pir first, then addr_lo).
#pragma once

#include <cstdint>
#include <vector>

#include "model/machine.hpp"
#include "vmm/boot_state.hpp"
#include "vmm/device.hpp"

namespace vmc::vmm {

class Vm;

class SpinTable final : public Device {
public:
    SpinTable(const model::Machine& machine, Vm& vm);
    uint64_t size() const { return entry_size_ * entries_.size(); }
    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    // The state a released CPU starts in: pc = entry address, r3 from the
    // table, PIR, and one TLB1 entry mapping the 64 MiB around the entry 1:1.
    static CpuBootState release_state(unsigned cpu, uint64_t entry, uint64_t r3);

private:
    struct Entry {
        uint32_t words[8] = {};
    };
    uint32_t entry_size_;
    std::vector<Entry> entries_;
    Vm& vm_;
};

} // namespace vmc::vmm
