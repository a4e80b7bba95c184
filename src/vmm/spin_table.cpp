#include "vmm/spin_table.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "vmm/vm.hpp"

namespace vmc::vmm {

namespace {
constexpr unsigned kAddr = 0x00, kR3 = 0x08, kPir = 0x14;
} // namespace

SpinTable::SpinTable(const model::Machine& machine, Vm& vm)
    : Device("spin-table"), entry_size_(machine.spin_table.entry_size),
      entries_(machine.spin_table_entries()), vm_(vm) {
    // The config stage refuses smaller entries; the tree's cpu-release-addr
    // must be where this device keeps each entry.
    if (entry_size_ < model::SpinTable::kMinEntrySize)
        throw std::invalid_argument(
            fmt::format("spin-table entries of {:#x} bytes are too small", entry_size_));
    bytes_.resize(uint64_t{entry_size_} * entries_);
    released_.resize(entries_);
    reset();
}

void SpinTable::reset() {
    std::fill(bytes_.begin(), bytes_.end(), 0);
    for (unsigned n = 0; n < entries_; ++n) {
        set_field(n, kAddr, 8, 1);
        set_field(n, kR3, 8, n);
        set_field(n, kPir, 4, n);
        released_[n] = false;
    }
}

uint64_t SpinTable::field(unsigned cpu, unsigned offset, unsigned width) const {
    uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i)
        v = (v << 8) | bytes_[uint64_t{cpu} * entry_size_ + offset + i];
    return v;
}

void SpinTable::set_field(unsigned cpu, unsigned offset, unsigned width, uint64_t value) {
    for (unsigned i = 0; i < width; ++i)
        bytes_[uint64_t{cpu} * entry_size_ + offset + i] =
            static_cast<uint8_t>(value >> (8 * (width - 1 - i)));
}

uint64_t SpinTable::mmio_read(uint64_t offset, unsigned size) {
    if (offset + size > bytes_.size()) return 0;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i)
        v = (v << 8) | bytes_[offset + i];
    return v;
}

void SpinTable::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (offset + size > bytes_.size()) return;
    for (unsigned i = 0; i < size; ++i)
        bytes_[offset + i] = static_cast<uint8_t>(value >> (8 * (size - 1 - i)));

    unsigned cpu = static_cast<unsigned>(offset / entry_size_);
    if (offset % entry_size_ >= kAddr + 8) return; // only a write to addr can release
    uint64_t entry = field(cpu, kAddr, 8);
    if (entry & 1) {
        released_[cpu] = false; // parked again (kexec, hotplug): a later even address releases it
        return;
    }
    // The boot CPU never spins; a CPU the machine does not have cannot start.
    if (cpu == 0 || cpu >= vm_.cpu_inputs.size() || released_[cpu] || !vm_.cpu_starter) return;
    released_[cpu] = true;
    vm_.cpu_starter->start_cpu(cpu, release_state(cpu, entry, field(cpu, kR3, 8)));
}

CpuBootState SpinTable::release_state(unsigned cpu, uint64_t entry, uint64_t r3) {
    CpuBootState s;
    s.pir = cpu;
    s.running = true;
    s.msr = 0;
    s.pc = entry & (kMapSize - 1);
    s.gpr[3] = r3;
    s.gpr[7] = static_cast<uint32_t>(kMapSize);
    uint64_t base = entry & ~(kMapSize - 1);
    TlbEntry tlb;
    tlb.mas1 = 0x80000000u | (8u << 8); // V, TSIZE = 4^8 KiB = 64 MiB
    tlb.mas2 = 0x4;                     // EPN 0, M (memory coherence)
    tlb.mas7_3 = base | 0x3f;           // RPN = base, UX SX UW SW UR SR
    s.tlb1.push_back({0, tlb});
    return s;
}

} // namespace vmc::vmm
