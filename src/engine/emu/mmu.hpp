// The e500mc/e5500 MMU (Power ISA 2.06 Book III-E, MAV 1.0 as these cores
// implement it; 64-bit effective addresses on the e5500): TLB0 (set-associative, 4 KiB pages) and
// TLB1 (fully associative, variable page sizes), driven through the MAS registers.
//
// Entries are stored in the layout of Linux's kvm_book3e_206_tlb_entry
// (vmm::TlbEntry), so the same state moves to KVM's shared TLB array.
#pragma once

#include <cstdint>
#include <vector>

#include "model/machine.hpp"
#include "vmm/boot_state.hpp"

namespace vmc::emu {

struct MasRegisters {
    uint32_t mas0 = 0, mas1 = 0;
    uint64_t mas2 = 0; // EPN is 52 bits on a 64-bit core
    uint32_t mas3 = 0, mas4 = 0, mas6 = 0, mas7 = 0;
};

enum class Access { Read, Write, Execute };

struct Translation {
    enum class Fault { None, Miss, Permission };
    Fault fault = Fault::None;
    uint64_t pa = 0;        // 36-bit physical address
    uint32_t wimge = 0;     // MAS2[WIMGE] of the matching entry
    uint32_t page_mask = 0; // EA bits inside the page (for soft-TLB fill): size - 1
};

class Mmu {
public:
    explicit Mmu(const model::CpuModel& cpu);

    // ea: effective address; as: MSR[IS] or MSR[DS]; pr: MSR[PR]; pid: SPR PID.
    Translation translate(uint64_t ea, Access access, bool as, bool pr, uint32_t pid) const;

    // TLB management instructions. Each returns false when the operands are
    // invalid in a way the core reports as an illegal-instruction program
    // interrupt (the e500mc's behaviour for e.g. a bad MAS0[TLBSEL]).
    bool tlbwe(const MasRegisters& mas);
    void tlbre(MasRegisters& mas) const;
    void tlbsx(uint64_t ea, MasRegisters& mas) const; // search with MAS6[SPID, SAS]
    void tlbivax(uint64_t ea);                        // EA[60]=TLB select, EA[61]=invalidate all
    void tlbilx(unsigned t, uint32_t pid, uint64_t ea, bool as); // T=0 all, 1 by PID, 3 by address
    // On an instruction/data TLB error interrupt: load MAS0-MAS2/MAS6/MAS7 from MAS4 defaults.
    void load_miss_defaults(MasRegisters& mas, uint64_t ea, bool as, uint32_t pid) const;

    // MMUCSR0 flash invalidation: every non-IPROT entry of the selected arrays.
    void flash_invalidate(bool tlb0, bool tlb1);

    void reset();                                              // every entry invalid
    void set_tlb1(unsigned index, const vmm::TlbEntry& entry); // boot state
    const std::vector<vmm::TlbEntry>& tlb0() const { return tlb0_; }
    const std::vector<vmm::TlbEntry>& tlb1() const { return tlb1_; }

    // TLB0CFG/TLB1CFG/MMUCFG values for mfspr.
    uint32_t tlb0cfg() const;
    uint32_t tlb1cfg() const;
    uint32_t mmucfg() const;

    // Bumped on every change to any entry: the core flushes its soft TLB when it moves.
    uint64_t generation() const { return generation_; }

private:
    unsigned sets() const;
    unsigned set_of(uint64_t ea) const;
    const vmm::TlbEntry* lookup(uint64_t ea, bool as, uint32_t pid, unsigned* tlbsel,
                                unsigned* esel) const;
    void load_defaults(MasRegisters& mas, uint64_t ea, bool as, uint32_t pid) const;

    model::CpuModel geometry_;
    uint32_t mas7_mask_;
    std::vector<vmm::TlbEntry> tlb0_; // sets * ways, index = set * ways + way
    std::vector<vmm::TlbEntry> tlb1_;
    std::vector<uint32_t>
        tlb0_next_victim_; // per set, the round-robin replacement pointer (MAS0[NV])
    // Valid entries among TLB1's first 64 (all of the e500mc's), one bit per
    // index: a lookup visits these instead of scanning the whole array.
    // Recomputed by note_tlb1_changed() after every change to TLB1.
    uint64_t tlb1_valid_ = 0;
    void note_tlb1_changed();
    uint64_t generation_ = 0;
};

} // namespace vmc::emu
