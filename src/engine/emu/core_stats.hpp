// Per-vCPU event counters of the emulator: plain fields the hot paths bump
// without atomics or lookups, read between time slices by --stats.
#pragma once

#include <array>
#include <cstdint>

namespace vmc::emu {

struct CoreStats {
    uint64_t data_fast = 0;                // loads/stores served by the soft TLB
    uint64_t data_slow = 0;                // loads/stores through the full translation
    uint64_t fetch_fast = 0;               // block starts whose decoded page the fetch TLB held
    uint64_t fetch_slow = 0;               // block starts that translated and looked the page up
    uint64_t translated = 0;               // instructions run by translated blocks (jit/)
    std::array<uint64_t, 64> interrupts{}; // entries per IVOR number
};

// Shared by every core of a machine: the decoded-page cache.
struct CodeStats {
    uint64_t lookups = 0; // decoded page requested (after a fetch-TLB miss)
    uint64_t decodes = 0; // pages decoded because the cache did not hold them
    uint64_t drops = 0;   // pages dropped by writes (whole page, or stores while not run)
};

} // namespace vmc::emu
