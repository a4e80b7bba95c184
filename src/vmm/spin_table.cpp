#include "vmm/spin_table.hpp"

#include "vmm/vm.hpp"

namespace vmc::vmm {

SpinTable::SpinTable(const model::Machine& machine, Vm& vm)
    : Device("spin-table"), entry_size_(std::max<uint32_t>(machine.spin_table.entry_size, 0x20)),
      entries_(machine.max_cpus ? machine.max_cpus : 1), vm_(vm) {
    reset();
}

void SpinTable::reset() {
    for (unsigned n = 0; n < entries_.size(); ++n) {
        entries_[n] = Entry{};
        entries_[n].words[1] = 1; // addr_lo = 1: not released
        entries_[n].words[5] = n; // pir
    }
}

uint64_t SpinTable::mmio_read(uint64_t offset, unsigned size) {
    unsigned n = static_cast<unsigned>(offset / entry_size_);
    unsigned word = static_cast<unsigned>((offset % entry_size_) / 4);
    if (n >= entries_.size() || word >= 8) return 0;
    uint64_t v = entries_[n].words[word];
    if (size == 8 && word + 1 < 8) return (v << 32) | entries_[n].words[word + 1];
    if (size < 4) { // sub-word read of a big-endian word
        unsigned shift = 8 * (4 - size - (offset & 3));
        return (v >> shift) & ((1u << (8 * size)) - 1);
    }
    return v;
}

void SpinTable::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    unsigned n = static_cast<unsigned>(offset / entry_size_);
    unsigned word = static_cast<unsigned>((offset % entry_size_) / 4);
    if (n >= entries_.size() || word >= 8 || size < 4) return;
    Entry& e = entries_[n];
    if (size == 8 && word + 1 < 8) {
        e.words[word] = static_cast<uint32_t>(value >> 32);
        e.words[word + 1] = static_cast<uint32_t>(value);
        ++word;
    } else {
        e.words[word] = static_cast<uint32_t>(value);
    }
    if (word == 1 && n < vm_.cpu_inputs.size() && vm_.cpu_starter) {
        uint64_t entry = (uint64_t{e.words[0]} << 32) | e.words[1];
        uint64_t r3 = (uint64_t{e.words[2]} << 32) | e.words[3];
        vm_.cpu_starter->start_cpu(n, release_state(n, entry, r3));
    }
}

CpuBootState SpinTable::release_state(unsigned cpu, uint64_t entry, uint64_t r3) {
    CpuBootState s;
    s.pir = cpu;
    s.running = true;
    s.pc = entry & 0xffffffff;
    s.gpr[3] = static_cast<uint32_t>(r3);
    s.gpr[6] = 0;
    // 64 MiB, supervisor RWX, mapping the aligned 64 MiB that holds the entry point 1:1.
    constexpr uint64_t kMapSize = 64ull << 20;
    uint64_t base = entry & ~(kMapSize - 1);
    TlbEntry tlb;
    tlb.mas1 = 0x80000000u | 0x40000000u | (16u << 7); // V, IPROT, TSIZE 64 MiB
    tlb.mas2 = base & 0xfffff000u;
    tlb.mas7_3 = ((base >> 32) << 32) | (base & 0xfffff000u) | 0x15;
    s.tlb1.push_back({0, tlb});
    return s;
}

} // namespace vmc::vmm
