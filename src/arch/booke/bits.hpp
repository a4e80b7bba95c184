// Bit fields of the Book III-E registers the cores share: MSR, ESR, EPCR and
// the MAS registers (Power ISA 2.06 Book III-E, e500mc and e5500 manuals).
// Masks are in the 32-bit view of the low word where the register is 64
// bits wide: MSR[EE] is bit 48 of the 64-bit MSR, 0x8000 of the low word.
#pragma once

#include <cstdint>

namespace vmc::arch::booke {

namespace msr {
// CM (computation mode, 64-bit cores only): 64-bit effective addresses and
// CR set from all 64 bits of a result.
constexpr uint32_t CM = 0x80000000, GS = 0x10000000, UCLE = 0x04000000, SPV = 0x02000000,
                   WE = 0x00040000, CE = 0x00020000, EE = 0x00008000, PR = 0x00004000,
                   FP = 0x00002000, ME = 0x00001000, FE0 = 0x00000800, DE = 0x00000200,
                   FE1 = 0x00000100, IS = 0x00000020, DS = 0x00000010, PMM = 0x00000004,
                   RI = 0x00000002;
// Bits the e500mc implements; mtmsr/rfi leave the others zero.
constexpr uint32_t kImplemented32 =
    GS | UCLE | WE | CE | EE | PR | FP | ME | FE0 | DE | FE1 | IS | DS | PMM | RI;
// The e5500 adds CM.
constexpr uint32_t kImplemented64 = kImplemented32 | CM;
} // namespace msr

namespace esr {
constexpr uint32_t PIL = 0x08000000, PPR = 0x04000000, PTR = 0x02000000, FP = 0x01000000,
                   ST = 0x00800000, DLK = 0x00200000, ILK = 0x00100000, AP = 0x00080000,
                   PUO = 0x00040000, BO = 0x00020000, PIE = 0x00010000, SPV = 0x00000080,
                   EPID = 0x00000040;
} // namespace esr

namespace epcr {
// ICM: interrupts are taken in 64-bit mode (MSR[CM] set on entry).
constexpr uint32_t EXTGS = 0x80000000, DTLBGS = 0x40000000, ITLBGS = 0x20000000, DSIGS = 0x10000000,
                   ISIGS = 0x08000000, DUVD = 0x04000000, ICM = 0x02000000, GICM = 0x01000000,
                   DGTMI = 0x00800000, DMIUH = 0x00400000;
} // namespace epcr

namespace mas {
constexpr uint32_t MAS1_V = 0x80000000, MAS1_IPROT = 0x40000000, MAS1_TID = 0x3fff0000,
                   MAS1_TS = 0x00001000, MAS1_TSIZE = 0x00000f80;
constexpr unsigned MAS1_TSIZE_SHIFT = 7;
// MAS2: EPN is bits 0:51 of the 64-bit register (the 32-bit cores see the
// low word only).
constexpr uint64_t MAS2_EPN = 0xfffffffffffff000ull;
constexpr uint32_t MAS2_ATTR = 0x7f;                         // X0 X1 W I M G E
constexpr uint32_t MAS3_RPN = 0xfffff000, MAS3_PERM = 0x3ff; // U0-U3 UX SX UW SW UR SR
constexpr uint32_t MAS3_UX = 0x20, MAS3_SX = 0x10, MAS3_UW = 0x08, MAS3_SW = 0x04, MAS3_UR = 0x02,
                   MAS3_SR = 0x01;
} // namespace mas

} // namespace vmc::arch::booke
