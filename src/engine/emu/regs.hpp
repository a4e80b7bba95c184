// Architected register numbers and bit masks of the e500mc (Power ISA 2.06
// Book III-E and the e500mc core reference manual). Masks are in the 32-bit
// view: MSR_EE is MSR bit 48 of the 64-bit register, 0x8000 of the low word.
#pragma once

#include <cstdint>

namespace vmc::emu {

namespace msr {
constexpr uint32_t GS = 0x10000000, UCLE = 0x04000000, SPV = 0x02000000, WE = 0x00040000,
                   CE = 0x00020000, EE = 0x00008000, PR = 0x00004000, FP = 0x00002000,
                   ME = 0x00001000, FE0 = 0x00000800, DE = 0x00000200, FE1 = 0x00000100,
                   IS = 0x00000020, DS = 0x00000010, PMM = 0x00000004, RI = 0x00000002;
// Bits the e500mc implements; mtmsr/rfi leave the others zero.
constexpr uint32_t kImplemented =
    GS | UCLE | WE | CE | EE | PR | FP | ME | FE0 | DE | FE1 | IS | DS | PMM | RI;
} // namespace msr

namespace esr {
constexpr uint32_t PIL = 0x08000000, PPR = 0x04000000, PTR = 0x02000000, FP = 0x01000000,
                   ST = 0x00800000, DLK = 0x00200000, ILK = 0x00100000, AP = 0x00080000,
                   PUO = 0x00040000, BO = 0x00020000, PIE = 0x00010000, SPV = 0x00000080,
                   EPID = 0x00000040;
} // namespace esr

namespace tcr {
constexpr uint32_t WP = 0xc0000000, WRC = 0x30000000, WIE = 0x08000000, DIE = 0x04000000,
                   FP = 0x03000000, FIE = 0x00800000, ARE = 0x00400000, WPEXT = 0x001e0000,
                   FPEXT = 0x0001e000;
} // namespace tcr

namespace tsr {
constexpr uint32_t ENW = 0x80000000, WIS = 0x40000000, WRS = 0x30000000, DIS = 0x08000000,
                   FIS = 0x04000000;
} // namespace tsr

namespace xer {
constexpr uint32_t SO = 0x80000000, OV = 0x40000000, CA = 0x20000000;
} // namespace xer

// MCSR bits the core reports for a bus error on a load/store/fetch.
namespace mcsr {
constexpr uint32_t MCP = 0x80000000, MAV = 0x00080000, MEA = 0x00040000, IF = 0x00010000,
                   LD = 0x00008000, ST = 0x00004000, LDG = 0x00002000;
} // namespace mcsr

// Interrupt vector offset register indices (IVORn).
enum class Ivor : unsigned {
    CriticalInput = 0,
    MachineCheck = 1,
    DataStorage = 2,
    InstStorage = 3,
    External = 4,
    Alignment = 5,
    Program = 6,
    FpUnavailable = 7,
    SystemCall = 8,
    ApUnavailable = 9,
    Decrementer = 10,
    FixedInterval = 11,
    Watchdog = 12,
    DataTlbError = 13,
    InstTlbError = 14,
    Debug = 15,
    PerfMonitor = 35,
    Doorbell = 36,
    DoorbellCritical = 37,
    GuestDoorbell = 38,
    GuestDoorbellCritical = 39,
    Hypercall = 40,
    HvPrivilege = 41,
};

namespace spr {
constexpr unsigned XER = 1, LR = 8, CTR = 9, DEC = 22, SRR0 = 26, SRR1 = 27, PID = 48, DECAR = 54,
                   CSRR0 = 58, CSRR1 = 59, DEAR = 61, ESR = 62, IVPR = 63, USPRG0 = 256,
                   USPRG3 = 259, SPRG4R = 260, SPRG5R = 261, SPRG6R = 262, SPRG7R = 263,
                   TBL_R = 268, TBU_R = 269, SPRG0 = 272, SPRG1 = 273, SPRG2 = 274, SPRG3 = 275,
                   SPRG4 = 276, SPRG5 = 277, SPRG6 = 278, SPRG7 = 279, TBL_W = 284, TBU_W = 285,
                   PIR = 286, PVR = 287, DBSR = 304, DBSRWR = 306, EPCR = 307, DBCR0 = 308,
                   DBCR1 = 309, DBCR2 = 310, MSRP = 311, IAC1 = 312, IAC2 = 313, DAC1 = 316,
                   DAC2 = 317, DVC1 = 318, DVC2 = 319, TSR = 336, LPIDR = 338, TCR = 340,
                   MAS8 = 341, IVOR0 = 400, IVOR15 = 415, IVOR38 = 432, IVOR41 = 435, L1CFG0 = 515,
                   L1CFG1 = 516, IVOR32 = 528, IVOR37 = 533, MCARU = 569, MCSRR0 = 570,
                   MCSRR1 = 571, MCSR = 572, MCAR = 573, DSRR0 = 574, DSRR1 = 575, SPRG8 = 604,
                   SPRG9 = 605, MAS0 = 624, MAS1 = 625, MAS2 = 626, MAS3 = 627, MAS4 = 628,
                   MAS6 = 630, TLB0CFG = 688, TLB1CFG = 689, EPR = 702, MAS7_3 = 883, MAS7 = 944,
                   EPLC = 947, EPSC = 948, HID0 = 1008, HID1 = 1009, L1CSR0 = 1010, L1CSR1 = 1011,
                   MMUCSR0 = 1012, BUCSR = 1013, MMUCFG = 1015, L2CSR0 = 1017, L2CSR1 = 1018,
                   PWRMGTCR0 = 1022, SVR = 1023;
} // namespace spr

} // namespace vmc::emu
