// A minimal Mmu for this test binary while the real one (src/engine/emu/mmu*.cpp)
// is not in the tree: linear TLB search, enough for the core's tests. Compiled
// out as soon as the real implementation exists.
#if !__has_include("engine/emu/mmu.cpp")

#include "engine/emu/mmu.hpp"

namespace vmc::emu {

namespace {
constexpr uint32_t kV = 0x80000000, kIprot = 0x40000000, kTs = 0x1000;
uint32_t tid(uint32_t mas1) { return (mas1 >> 16) & 0x3fff; }
uint64_t page_size(uint32_t mas1) { return 1024ull << (2 * ((mas1 >> 8) & 0xf)); }
bool matches(const vmm::TlbEntry& e, uint32_t ea, bool as, uint32_t pid) {
    if (!(e.mas1 & kV) || ((e.mas1 & kTs) != 0) != as) return false;
    if (tid(e.mas1) != 0 && tid(e.mas1) != pid) return false;
    uint64_t size = page_size(e.mas1);
    return (ea & ~(size - 1)) == (e.mas2 & ~(size - 1) & 0xfffff000);
}
} // namespace

Mmu::Mmu(const model::CpuModel& cpu) : geometry_(cpu) { reset(); }

void Mmu::reset() {
    tlb0_.assign(geometry_.tlb0_entries, {});
    tlb1_.assign(geometry_.tlb1_entries, {});
    tlb0_next_victim_.assign(geometry_.tlb0_entries / geometry_.tlb0_ways, 0);
    ++generation_;
}

Translation Mmu::translate(uint32_t ea, Access access, bool as, bool pr, uint32_t pid) const {
    Translation t;
    for (const auto* tlb : {&tlb1_, &tlb0_})
        for (const auto& e : *tlb) {
            if (!matches(e, ea, as, pid)) continue;
            uint32_t mas3 = static_cast<uint32_t>(e.mas7_3);
            uint32_t bit = access == Access::Execute ? 0x10 : access == Access::Write ? 0x4 : 0x1;
            if (pr) bit <<= 1;
            if (!(mas3 & bit)) {
                t.fault = Translation::Fault::Permission;
                return t;
            }
            uint64_t size = page_size(e.mas1);
            uint64_t rpn = (e.mas7_3 >> 32 << 32) | (mas3 & 0xfffff000);
            t.pa = (rpn & ~(size - 1)) | (ea & (size - 1));
            t.wimge = e.mas2 & 0x1f;
            t.page_mask = static_cast<uint32_t>(size - 1);
            return t;
        }
    t.fault = Translation::Fault::Miss;
    return t;
}

bool Mmu::tlbwe(const MasRegisters& mas) {
    unsigned sel = (mas.mas0 >> 28) & 3, esel = (mas.mas0 >> 16) & 0xfff;
    vmm::TlbEntry e{0, mas.mas1, mas.mas2, (static_cast<uint64_t>(mas.mas7) << 32) | mas.mas3};
    if (sel == 1) {
        if (esel >= tlb1_.size()) return false;
        tlb1_[esel] = e;
    } else if (sel == 0) {
        unsigned sets = geometry_.tlb0_entries / geometry_.tlb0_ways;
        unsigned set = (mas.mas2 >> 12) % sets;
        tlb0_[set * geometry_.tlb0_ways + (esel % geometry_.tlb0_ways)] = e;
    } else {
        return false;
    }
    ++generation_;
    return true;
}

void Mmu::tlbre(MasRegisters& mas) const {
    unsigned sel = (mas.mas0 >> 28) & 3, esel = (mas.mas0 >> 16) & 0xfff;
    const vmm::TlbEntry* e = nullptr;
    if (sel == 1 && esel < tlb1_.size()) e = &tlb1_[esel];
    if (sel == 0) {
        unsigned sets = geometry_.tlb0_entries / geometry_.tlb0_ways;
        e = &tlb0_[((mas.mas2 >> 12) % sets) * geometry_.tlb0_ways + (esel % geometry_.tlb0_ways)];
    }
    if (!e) return;
    mas.mas1 = e->mas1;
    mas.mas2 = static_cast<uint32_t>(e->mas2);
    mas.mas3 = static_cast<uint32_t>(e->mas7_3);
    mas.mas7 = static_cast<uint32_t>(e->mas7_3 >> 32);
}

void Mmu::tlbsx(uint32_t ea, MasRegisters& mas) const {
    bool as = mas.mas6 & 1;
    uint32_t pid = (mas.mas6 >> 16) & 0x3fff;
    for (size_t n = 0; n < tlb1_.size(); ++n)
        if (matches(tlb1_[n], ea, as, pid)) {
            mas.mas0 = (1u << 28) | (static_cast<uint32_t>(n) << 16);
            tlbre(mas);
            return;
        }
    mas.mas1 &= ~kV;
}

void Mmu::tlbivax(uint32_t ea) {
    auto& tlb = (ea & 0x8) ? tlb1_ : tlb0_;
    for (auto& e : tlb)
        if (!(e.mas1 & kIprot) && ((ea & 0x4) || matches(e, ea & ~0xfffu, false, tid(e.mas1)) ||
                                   matches(e, ea & ~0xfffu, true, tid(e.mas1))))
            e.mas1 &= ~kV;
    ++generation_;
}

void Mmu::tlbilx(unsigned, uint32_t, uint32_t, bool) {
    for (auto& e : tlb0_) e.mas1 &= ~kV;
    ++generation_;
}

void Mmu::load_miss_defaults(MasRegisters& mas, uint32_t ea, bool as, uint32_t pid) const {
    mas.mas0 = (mas.mas4 & 0x30000000);
    mas.mas1 = kV | (pid << 16) | (as ? kTs : 0) | (mas.mas4 & 0xf00);
    mas.mas2 = (ea & 0xfffff000) | (mas.mas4 & 0x1f);
    mas.mas3 = 0;
    mas.mas6 = (pid << 16) | (as ? 1 : 0);
    mas.mas7 = 0;
}

void Mmu::set_tlb1(unsigned index, const vmm::TlbEntry& entry) {
    if (index < tlb1_.size()) tlb1_[index] = entry;
    ++generation_;
}

uint32_t Mmu::tlb0cfg() const { return 0x04110200; }
uint32_t Mmu::tlb1cfg() const { return 0x401cc040; }
uint32_t Mmu::mmucfg() const { return 0; }

} // namespace vmc::emu

#endif
