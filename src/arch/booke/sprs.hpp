// The Book III-E special-purpose registers of the cores vmcompose models:
// one table (number, name, width, privilege, which cores have it) that the
// emulator, the KVM engine's debugger access and the GDB stub all read.
// Numbers from the Power ISA 2.06 Book III-E and the e500mc/e5500 core
// reference manuals.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vmc::arch::booke {

// The cores, as bits of a set: which ones implement an SPR.
enum CoreBit : uint8_t { kE500mc = 1, kE5500 = 2 };
constexpr uint8_t kAllCores = kE500mc | kE5500;

namespace spr {
constexpr unsigned XER = 1, LR = 8, CTR = 9, DEC = 22, SRR0 = 26, SRR1 = 27, PID = 48, DECAR = 54,
                   CSRR0 = 58, CSRR1 = 59, DEAR = 61, ESR = 62, IVPR = 63, USPRG0 = 256,
                   USPRG3 = 259, SPRG4R = 260, SPRG5R = 261, SPRG6R = 262, SPRG7R = 263,
                   TBL_R = 268, TBU_R = 269, SPRG0 = 272, SPRG1 = 273, SPRG2 = 274, SPRG3 = 275,
                   SPRG4 = 276, SPRG5 = 277, SPRG6 = 278, SPRG7 = 279, TBL_W = 284, TBU_W = 285,
                   PIR = 286, PVR = 287, DBSR = 304, DBSRWR = 306, EPCR = 307, DBCR0 = 308,
                   DBCR1 = 309, DBCR2 = 310, MSRP = 311, IAC1 = 312, IAC2 = 313, DAC1 = 316,
                   DAC2 = 317, DVC1 = 318, DVC2 = 319, TSR = 336, LPIDR = 338, TCR = 340,
                   MAS8 = 341, MAS7_3 = 372, MAS0_1 = 373, IVOR0 = 400, IVOR15 = 415, IVOR38 = 432,
                   IVOR41 = 435, L1CFG0 = 515, L1CFG1 = 516, IVOR32 = 528, IVOR37 = 533,
                   MCARU = 569, MCSRR0 = 570, MCSRR1 = 571, MCSR = 572, MCAR = 573, DSRR0 = 574,
                   DSRR1 = 575, SPRG8 = 604, SPRG9 = 605, MAS0 = 624, MAS1 = 625, MAS2 = 626,
                   MAS3 = 627, MAS4 = 628, MAS6 = 630, TLB0CFG = 688, TLB1CFG = 689, EPR = 702,
                   MAS7 = 944, EPLC = 947, EPSC = 948, HID0 = 1008, HID1 = 1009, L1CSR0 = 1010,
                   L1CSR1 = 1011, MMUCSR0 = 1012, BUCSR = 1013, MMUCFG = 1015, L2CSR0 = 1017,
                   L2CSR1 = 1018, PWRMGTCR0 = 1022, SVR = 1023;
} // namespace spr

struct SprInfo {
    unsigned number;
    std::string_view name;
    // 64 when the register holds an address or a doubleword on a 64-bit
    // core (SRR0, SPRGs, DEAR...); 32 on every core otherwise.
    unsigned bits64;
    uint8_t cores; // CoreBit set
    // Book III-E: SPR numbers with bit 0x10 set need MSR[PR]=0 (both mfspr
    // and mtspr); the others are open to user mode.
    constexpr bool privileged() const { return number & 0x10; }
    constexpr unsigned bits(bool core64) const { return core64 ? bits64 : 32; }
};

// Every SPR a debugger or the CPU-model data names. Ordered by number.
inline constexpr std::array kSprTable = {
    SprInfo{spr::XER, "xer", 64, kAllCores},
    SprInfo{spr::LR, "lr", 64, kAllCores},
    SprInfo{spr::CTR, "ctr", 64, kAllCores},
    SprInfo{spr::DEC, "dec", 32, kAllCores},
    SprInfo{spr::SRR0, "srr0", 64, kAllCores},
    SprInfo{spr::SRR1, "srr1", 64, kAllCores},
    SprInfo{spr::PID, "pid", 32, kAllCores},
    SprInfo{spr::DECAR, "decar", 32, kAllCores},
    SprInfo{spr::CSRR0, "csrr0", 64, kAllCores},
    SprInfo{spr::CSRR1, "csrr1", 64, kAllCores},
    SprInfo{spr::DEAR, "dear", 64, kAllCores},
    SprInfo{spr::ESR, "esr", 32, kAllCores},
    SprInfo{spr::IVPR, "ivpr", 64, kAllCores},
    SprInfo{spr::USPRG0, "usprg0", 64, kAllCores},
    SprInfo{spr::TBL_R, "tbl", 32, kAllCores},
    SprInfo{spr::TBU_R, "tbu", 32, kAllCores},
    SprInfo{spr::SPRG0, "sprg0", 64, kAllCores},
    SprInfo{spr::SPRG1, "sprg1", 64, kAllCores},
    SprInfo{spr::SPRG2, "sprg2", 64, kAllCores},
    SprInfo{spr::SPRG3, "sprg3", 64, kAllCores},
    SprInfo{spr::SPRG4, "sprg4", 64, kAllCores},
    SprInfo{spr::SPRG5, "sprg5", 64, kAllCores},
    SprInfo{spr::SPRG6, "sprg6", 64, kAllCores},
    SprInfo{spr::SPRG7, "sprg7", 64, kAllCores},
    SprInfo{spr::PIR, "pir", 32, kAllCores},
    SprInfo{spr::PVR, "pvr", 32, kAllCores},
    SprInfo{spr::DBSR, "dbsr", 32, kAllCores},
    SprInfo{spr::EPCR, "epcr", 32, kAllCores},
    SprInfo{spr::DBCR0, "dbcr0", 32, kAllCores},
    SprInfo{spr::DBCR1, "dbcr1", 32, kAllCores},
    SprInfo{spr::DBCR2, "dbcr2", 32, kAllCores},
    SprInfo{spr::MSRP, "msrp", 32, kAllCores},
    SprInfo{spr::IAC1, "iac1", 64, kAllCores},
    SprInfo{spr::IAC2, "iac2", 64, kAllCores},
    SprInfo{spr::DAC1, "dac1", 64, kAllCores},
    SprInfo{spr::DAC2, "dac2", 64, kAllCores},
    SprInfo{spr::DVC1, "dvc1", 64, kAllCores},
    SprInfo{spr::DVC2, "dvc2", 64, kAllCores},
    SprInfo{spr::TSR, "tsr", 32, kAllCores},
    SprInfo{spr::LPIDR, "lpidr", 32, kAllCores},
    SprInfo{spr::TCR, "tcr", 32, kAllCores},
    SprInfo{spr::MAS8, "mas8", 32, kAllCores},
    // The 64-bit cores' paired views: MAS7 || MAS3 and MAS0 || MAS1.
    SprInfo{spr::MAS7_3, "mas7_3", 64, kE5500},
    SprInfo{spr::MAS0_1, "mas0_1", 64, kE5500},
    SprInfo{spr::L1CFG0, "l1cfg0", 32, kAllCores},
    SprInfo{spr::L1CFG1, "l1cfg1", 32, kAllCores},
    SprInfo{spr::MCARU, "mcaru", 32, kE500mc},
    SprInfo{spr::MCSRR0, "mcsrr0", 64, kAllCores},
    SprInfo{spr::MCSRR1, "mcsrr1", 64, kAllCores},
    SprInfo{spr::MCSR, "mcsr", 32, kAllCores},
    SprInfo{spr::MCAR, "mcar", 64, kAllCores},
    SprInfo{spr::DSRR0, "dsrr0", 64, kAllCores},
    SprInfo{spr::DSRR1, "dsrr1", 64, kAllCores},
    SprInfo{spr::SPRG8, "sprg8", 64, kAllCores},
    SprInfo{spr::SPRG9, "sprg9", 64, kAllCores},
    SprInfo{spr::MAS0, "mas0", 32, kAllCores},
    SprInfo{spr::MAS1, "mas1", 32, kAllCores},
    SprInfo{spr::MAS2, "mas2", 64, kAllCores},
    SprInfo{spr::MAS3, "mas3", 32, kAllCores},
    SprInfo{spr::MAS4, "mas4", 32, kAllCores},
    SprInfo{spr::MAS6, "mas6", 32, kAllCores},
    SprInfo{spr::TLB0CFG, "tlb0cfg", 32, kAllCores},
    SprInfo{spr::TLB1CFG, "tlb1cfg", 32, kAllCores},
    SprInfo{spr::EPR, "epr", 32, kAllCores},
    SprInfo{spr::MAS7, "mas7", 32, kAllCores},
    SprInfo{spr::EPLC, "eplc", 32, kAllCores},
    SprInfo{spr::EPSC, "epsc", 32, kAllCores},
    SprInfo{spr::HID0, "hid0", 32, kAllCores},
    SprInfo{spr::HID1, "hid1", 32, kE500mc},
    SprInfo{spr::L1CSR0, "l1csr0", 32, kAllCores},
    SprInfo{spr::L1CSR1, "l1csr1", 32, kAllCores},
    SprInfo{spr::MMUCSR0, "mmucsr0", 32, kAllCores},
    SprInfo{spr::BUCSR, "bucsr", 32, kAllCores},
    SprInfo{spr::MMUCFG, "mmucfg", 32, kAllCores},
    SprInfo{spr::L2CSR0, "l2csr0", 32, kAllCores},
    SprInfo{spr::L2CSR1, "l2csr1", 32, kAllCores},
    SprInfo{spr::PWRMGTCR0, "pwrmgtcr0", 32, kAllCores},
    SprInfo{spr::SVR, "svr", 32, kAllCores},
};

// The table's row for `number`, or null when no modelled core has it.
constexpr const SprInfo* find_spr(unsigned number) {
    for (const SprInfo& s : kSprTable)
        if (s.number == number) return &s;
    return nullptr;
}

// The row for `number`; a compile-time error when the table lacks it.
consteval const SprInfo& spr_info(unsigned number) {
    const SprInfo* s = find_spr(number);
    if (!s) throw "SPR missing from kSprTable";
    return *s;
}

} // namespace vmc::arch::booke
