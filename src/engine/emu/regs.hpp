// Architected register numbers and bit masks the emulator uses: the Book
// III-E ones shared with the other engines come from arch/booke/; the timer,
// XER and machine-check bits are the emulator's alone. Masks are in the
// 32-bit view: MSR_EE is MSR bit 48 of the 64-bit register, 0x8000 of the low word.
#pragma once

#include <cstdint>

#include "arch/booke/bits.hpp"
#include "arch/booke/sprs.hpp"

namespace vmc::emu {

namespace msr = arch::booke::msr;
namespace esr = arch::booke::esr;
namespace epcr = arch::booke::epcr;

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

namespace spr = arch::booke::spr;

} // namespace vmc::emu
