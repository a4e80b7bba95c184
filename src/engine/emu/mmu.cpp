// e500mc MMU: TLB lookup and the MAS-register instructions.
//
// Bit layouts are those of the Power ISA 2.06 Book III-E MAS registers as
// the e500mc implements them (page size = 1 KiB << TSIZE, power-of-4 sizes
// only; TLB0 is 4-way set-associative over 4 KiB pages, TLB1 is fully
// associative and the only array with IPROT).
#include "engine/emu/mmu.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "arch/booke/bits.hpp"
#include "arch/booke/core_models.hpp"

namespace vmc::emu {

namespace {

// MAS field masks (not `mas`: that names the MAS registers below).
namespace fld = arch::booke::mas;
constexpr uint32_t kTsize4K = 2;
constexpr uint32_t kTsizeMax = 22; // 4 GiB
constexpr uint64_t kMas2EpnMask = fld::MAS2_EPN;

constexpr uint32_t mas0_tlbsel(uint32_t mas0) {
    return (mas0 >> 28) & 3;
}
constexpr uint32_t mas0_esel(uint32_t mas0) {
    return (mas0 >> 16) & 0xfff;
}
constexpr uint32_t mas0_nv(uint32_t mas0) {
    return mas0 & 0xfff;
}
constexpr uint32_t make_mas0(uint32_t tlbsel, uint32_t esel, uint32_t nv) {
    return (tlbsel << 28) | ((esel & 0xfff) << 16) | (nv & 0xfff);
}

constexpr uint32_t tid_of(uint32_t mas1) {
    return (mas1 & fld::MAS1_TID) >> 16;
}
constexpr uint32_t tsize_of(uint32_t mas1) {
    return (mas1 & fld::MAS1_TSIZE) >> fld::MAS1_TSIZE_SHIFT;
}

// Byte size of a TLB entry's page. Sizes outside 4 KiB..4 GiB are clamped:
// the e500mc implements no others.
uint64_t page_size(uint32_t mas1) {
    uint32_t tsize = std::clamp(tsize_of(mas1), kTsize4K, kTsizeMax);
    return uint64_t{1024} << tsize;
}

bool matches(const vmm::TlbEntry& e, uint64_t ea, bool as, uint32_t pid) {
    if (!(e.mas1 & fld::MAS1_V)) return false;
    if (((e.mas1 & fld::MAS1_TS) != 0) != as) return false;
    uint32_t tid = tid_of(e.mas1);
    if (tid != 0 && tid != pid) return false;
    uint64_t mask = ~(page_size(e.mas1) - 1);
    return (ea & mask) == (e.mas2 & kMas2EpnMask & mask);
}

// Matching for invalidation by address: every TID and TS (tlbivax, MAV 1.0).
bool matches_address(const vmm::TlbEntry& e, uint64_t ea) {
    if (!(e.mas1 & fld::MAS1_V)) return false;
    uint64_t mask = ~(page_size(e.mas1) - 1);
    return (ea & mask) == (e.mas2 & kMas2EpnMask & mask);
}

void entry_to_mas(const vmm::TlbEntry& e, MasRegisters& mas) {
    mas.mas1 = e.mas1;
    mas.mas2 = e.mas2;
    mas.mas3 = static_cast<uint32_t>(e.mas7_3);
    mas.mas7 = static_cast<uint32_t>(e.mas7_3 >> 32);
}

} // namespace

Mmu::Mmu(const model::CpuModel& cpu)
    : geometry_(cpu),
      // MAS7 holds the real page number's bits above 32.
      mas7_mask_((1u << (arch::booke::core_model_or_default(cpu.name).physical_bits - 32)) - 1) {
    // The machine file's checks refuse such geometry with a diagnostic; this
    // guards the arrays below against any other way in.
    if (auto problem = arch::booke::tlb0_geometry_problem(cpu.tlb0_entries, cpu.tlb0_ways))
        throw std::invalid_argument(*problem);
    if (auto problem = arch::booke::tlb1_geometry_problem(cpu.tlb1_entries))
        throw std::invalid_argument(*problem);
    tlb0_.resize(geometry_.tlb0_entries);
    tlb1_.resize(geometry_.tlb1_entries);
    tlb0_next_victim_.resize(sets());
}

unsigned Mmu::sets() const {
    return geometry_.tlb0_entries / geometry_.tlb0_ways;
}
unsigned Mmu::set_of(uint64_t ea) const {
    return static_cast<unsigned>(ea >> 12) & (sets() - 1);
}

void Mmu::reset() {
    std::fill(tlb0_.begin(), tlb0_.end(), vmm::TlbEntry{});
    std::fill(tlb1_.begin(), tlb1_.end(), vmm::TlbEntry{});
    std::fill(tlb0_next_victim_.begin(), tlb0_next_victim_.end(), 0);
    note_tlb1_changed();
    ++generation_;
}

void Mmu::note_tlb1_changed() {
    tlb1_valid_ = 0;
    for (unsigned i = 0; i < tlb1_.size() && i < 64; ++i)
        if (tlb1_[i].mas1 & fld::MAS1_V) tlb1_valid_ |= uint64_t{1} << i;
}

void Mmu::set_tlb1(unsigned index, const vmm::TlbEntry& entry) {
    if (index < tlb1_.size()) tlb1_[index] = entry;
    note_tlb1_changed();
    ++generation_;
}

const vmm::TlbEntry* Mmu::lookup(uint64_t ea, bool as, uint32_t pid, unsigned* tlbsel,
                                 unsigned* esel) const {
    // TLB1 first: with a multi-hit (which the architecture calls a
    // programming error) the larger, usually IPROT-protected kernel mapping wins.
    for (uint64_t valid = tlb1_valid_; valid; valid &= valid - 1) {
        unsigned i = static_cast<unsigned>(std::countr_zero(valid));
        if (matches(tlb1_[i], ea, as, pid)) {
            if (tlbsel) *tlbsel = 1;
            if (esel) *esel = i;
            return &tlb1_[i];
        }
    }
    for (unsigned i = 64; i < tlb1_.size(); ++i) // a TLB1 larger than the e500mc's
        if (matches(tlb1_[i], ea, as, pid)) {
            if (tlbsel) *tlbsel = 1;
            if (esel) *esel = i;
            return &tlb1_[i];
        }
    unsigned set = set_of(ea);
    for (unsigned way = 0; way < geometry_.tlb0_ways; ++way) {
        const auto& e = tlb0_[set * geometry_.tlb0_ways + way];
        if (matches(e, ea, as, pid)) {
            if (tlbsel) *tlbsel = 0;
            if (esel) *esel = way;
            return &e;
        }
    }
    return nullptr;
}

Translation Mmu::translate(uint64_t ea, Access access, bool as, bool pr, uint32_t pid) const {
    Translation t;
    const vmm::TlbEntry* e = lookup(ea, as, pid, nullptr, nullptr);
    if (!e) {
        t.fault = Translation::Fault::Miss;
        return t;
    }
    uint32_t perms = static_cast<uint32_t>(e->mas7_3);
    uint32_t need = 0;
    switch (access) {
    case Access::Read:
        need = pr ? fld::MAS3_UR : fld::MAS3_SR;
        break;
    case Access::Write:
        need = pr ? fld::MAS3_UW : fld::MAS3_SW;
        break;
    case Access::Execute:
        need = pr ? fld::MAS3_UX : fld::MAS3_SX;
        break;
    }
    if (!(perms & need)) {
        t.fault = Translation::Fault::Permission;
        return t;
    }
    uint64_t size = page_size(e->mas1);
    uint64_t rpn = ((e->mas7_3 >> 32) & mas7_mask_) << 32 | (e->mas7_3 & fld::MAS3_RPN);
    t.page_mask = static_cast<uint32_t>(size - 1);
    t.pa = (rpn & ~(size - 1)) | (ea & (size - 1));
    t.wimge = static_cast<uint32_t>(e->mas2) & 0x1f;
    return t;
}

bool Mmu::tlbwe(const MasRegisters& mas) {
    unsigned tlbsel = mas0_tlbsel(mas.mas0);
    vmm::TlbEntry e;
    e.mas1 = mas.mas1;
    e.mas2 = mas.mas2 & (kMas2EpnMask | fld::MAS2_ATTR);
    e.mas7_3 =
        (uint64_t{mas.mas7 & mas7_mask_} << 32) | (mas.mas3 & (fld::MAS3_RPN | fld::MAS3_PERM));
    if (tlbsel == 0) {
        // TLB0 holds 4 KiB pages only and has no IPROT.
        e.mas1 =
            (e.mas1 & ~(fld::MAS1_TSIZE | fld::MAS1_IPROT)) | (kTsize4K << fld::MAS1_TSIZE_SHIFT);
        unsigned set = set_of(mas.mas2);
        unsigned way = mas0_esel(mas.mas0) & (geometry_.tlb0_ways - 1);
        tlb0_[set * geometry_.tlb0_ways + way] = e;
        tlb0_next_victim_[set] = mas0_nv(mas.mas0) & (geometry_.tlb0_ways - 1);
    } else if (tlbsel == 1) {
        unsigned esel = mas0_esel(mas.mas0);
        if (esel >= tlb1_.size()) return false;
        tlb1_[esel] = e;
        note_tlb1_changed();
    } else {
        return false;
    }
    ++generation_;
    return true;
}

void Mmu::tlbre(MasRegisters& mas) const {
    unsigned tlbsel = mas0_tlbsel(mas.mas0);
    const vmm::TlbEntry* e = nullptr;
    if (tlbsel == 0) {
        unsigned set = set_of(mas.mas2);
        unsigned way = mas0_esel(mas.mas0) & (geometry_.tlb0_ways - 1);
        e = &tlb0_[set * geometry_.tlb0_ways + way];
        mas.mas0 = make_mas0(0, way, tlb0_next_victim_[set]);
    } else if (tlbsel == 1 && mas0_esel(mas.mas0) < tlb1_.size()) {
        e = &tlb1_[mas0_esel(mas.mas0)];
    }
    if (!e) {
        mas.mas1 = mas.mas2 = mas.mas3 = mas.mas7 = 0;
        return;
    }
    entry_to_mas(*e, mas);
}

void Mmu::tlbsx(uint64_t ea, MasRegisters& mas) const {
    uint32_t spid = (mas.mas6 >> 16) & 0x3fff;
    bool sas = mas.mas6 & 1;
    unsigned tlbsel = 0, esel = 0;
    if (const vmm::TlbEntry* e = lookup(ea, sas, spid, &tlbsel, &esel)) {
        uint32_t nv = tlbsel == 0 ? tlb0_next_victim_[set_of(ea)] : 0;
        mas.mas0 = make_mas0(tlbsel, esel, nv);
        entry_to_mas(*e, mas);
        return;
    }
    // Miss: MAS registers take the MAS4 defaults, with V clear.
    load_defaults(mas, ea, sas, spid);
    mas.mas1 &= ~fld::MAS1_V;
}

void Mmu::load_defaults(MasRegisters& mas, uint64_t ea, bool as, uint32_t pid) const {
    unsigned tlbsel = (mas.mas4 >> 28) & 3;
    unsigned set = set_of(ea);
    uint32_t victim = tlb0_next_victim_[set];
    uint32_t next = (victim + 1) & (geometry_.tlb0_ways - 1);
    mas.mas0 = tlbsel == 0 ? make_mas0(0, victim, next) : make_mas0(tlbsel, 0, 0);
    mas.mas1 = fld::MAS1_V | ((pid << 16) & fld::MAS1_TID) | (as ? fld::MAS1_TS : 0) |
               (mas.mas4 & fld::MAS1_TSIZE);
    mas.mas2 = (ea & kMas2EpnMask) | (mas.mas4 & fld::MAS2_ATTR);
    mas.mas3 = 0;
    mas.mas7 = 0;
}

void Mmu::load_miss_defaults(MasRegisters& mas, uint64_t ea, bool as, uint32_t pid) const {
    load_defaults(mas, ea, as, pid);
    mas.mas6 = ((pid << 16) & 0x3fff0000) | (as ? 1 : 0);
}

void Mmu::tlbivax(uint64_t ea) {
    bool tlb1 = ea & 0x8;
    bool all = ea & 0x4;
    auto& array = tlb1 ? tlb1_ : tlb0_;
    for (auto& e : array) {
        if (e.mas1 & fld::MAS1_IPROT) continue;
        if (all || matches_address(e, ea & kMas2EpnMask)) e.mas1 &= ~fld::MAS1_V;
    }
    if (tlb1) note_tlb1_changed();
    ++generation_;
}

void Mmu::tlbilx(unsigned t, uint32_t pid, uint64_t ea, bool as) {
    auto invalidate = [&](std::vector<vmm::TlbEntry>& array) {
        for (auto& e : array) {
            if (!(e.mas1 & fld::MAS1_V) || (e.mas1 & fld::MAS1_IPROT)) continue;
            bool hit = false;
            switch (t) {
            case 0:
                hit = true;
                break;
            case 1:
                hit = tid_of(e.mas1) == pid;
                break;
            case 3:
                hit = tid_of(e.mas1) == pid && matches(e, ea, as, pid);
                break;
            default:
                break;
            }
            if (hit) e.mas1 &= ~fld::MAS1_V;
        }
    };
    invalidate(tlb0_);
    invalidate(tlb1_);
    note_tlb1_changed();
    ++generation_;
}

void Mmu::flash_invalidate(bool tlb0, bool tlb1) {
    for (auto* array : {tlb0 ? &tlb0_ : nullptr, tlb1 ? &tlb1_ : nullptr})
        if (array)
            for (auto& e : *array)
                if (!(e.mas1 & fld::MAS1_IPROT)) e.mas1 &= ~fld::MAS1_V;
    note_tlb1_changed();
    ++generation_;
}

uint32_t Mmu::tlb0cfg() const {
    return arch::booke::tlb0cfg(geometry_.tlb0_entries, geometry_.tlb0_ways);
}
uint32_t Mmu::tlb1cfg() const {
    return arch::booke::tlb1cfg(geometry_.tlb1_entries);
}
uint32_t Mmu::mmucfg() const {
    return arch::booke::mmucfg(arch::booke::core_model_or_default(geometry_.name).physical_bits);
}

} // namespace vmc::emu
