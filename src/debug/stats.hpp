// Run statistics every engine can report (`vmcompose up --stats`): what the
// vCPUs executed, how well the translation and decode caches served them,
// which interrupts they took, which devices they talked to, and idle time.
// Counters an engine does not have stay 0 (`available` says which it has).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vmm/vm.hpp"

namespace vmc::debug {

struct CpuStats {
    uint64_t instructions = 0;
    uint64_t data_fast = 0, data_slow = 0;   // data accesses: soft-TLB hits, full translations
    uint64_t fetch_fast = 0, fetch_slow = 0; // block starts: fetch-TLB hits, lookups
    uint64_t translated = 0;                 // instructions run by translated blocks
    // Interrupt entries by class name ("external", "decrementer", "data-tlb-error", ...),
    // in vector order; classes never taken are left out.
    std::vector<std::pair<std::string, uint64_t>> interrupts;
};

struct MmioStats {
    std::string device;
    uint64_t reads = 0, writes = 0;
};

struct RunStats {
    std::string engine;
    std::vector<CpuStats> cpus;
    uint64_t code_lookups = 0, code_decodes = 0; // decoded-page cache
    // Translation to host code: blocks made, host bytes written, arena flushes.
    uint64_t jit_blocks = 0, jit_code_bytes = 0, jit_flushes = 0;
    uint64_t idle_ns = 0;        // host time with every vCPU asleep
    std::vector<MmioStats> mmio; // regions with at least one access
    double host_seconds = 0;     // wall time of the run so far

    uint64_t instructions() const;
};

// Fills `mmio` from the bus counters (the same for every engine).
void collect_mmio_stats(const vmm::Vm& vm, RunStats& stats);

std::string stats_text(const RunStats& stats);
std::string stats_json(const RunStats& stats); // one JSON object, no trailing newline

} // namespace vmc::debug
