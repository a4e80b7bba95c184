// The ePAPR spin table for secondary CPUs, as an MMIO block outside RAM
// (QEMU's "e500 spin pv device" does the same). Entry n, entry_size bytes,
// big-endian:
//   +0x00 addr (64-bit: addr_hi, addr_lo)   +0x08 r3 (64-bit)
//   +0x10 reserved                          +0x14 pir
// At reset every entry reads addr = 1 (not released), r3 = n, pir = n. The
// boot CPU releases CPU n by writing an address with bit 0 clear (Linux
// writes r3 and pir first, addr_lo last); the table then asks the engine to
// start CPU n. Writing an odd address again re-arms the entry.
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
    uint64_t size() const { return bytes_.size(); }
    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    // The size of the initial mapping a released CPU gets.
    static constexpr uint64_t kMapSize = 64ull << 20;

    // The state a released CPU starts in, as QEMU's spin device sets it:
    // TLB1[0] maps EA 0 .. 64 MiB to the 64 MiB-aligned physical block
    // holding the entry point, pc = the entry's offset in that block,
    // r3 from the table, r7 = 64 MiB, every other GPR 0, MSR 0.
    static CpuBootState release_state(unsigned cpu, uint64_t entry, uint64_t r3);

private:
    uint64_t field(unsigned cpu, unsigned offset, unsigned width) const;
    void set_field(unsigned cpu, unsigned offset, unsigned width, uint64_t value);

    uint32_t entry_size_;
    unsigned entries_;
    std::vector<uint8_t> bytes_;
    std::vector<bool> released_;
    Vm& vm_;
};

} // namespace vmc::vmm
