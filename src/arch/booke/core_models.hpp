// The Book III-E cores vmcompose models, as data: one row per core with what
// the guest can read about it (PVR, address width, TLB geometry, caches).
// A machine file's `cpu: {model: NAME}` picks the row; the board profile
// and the file may still override single values (config/build.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "arch/booke/sprs.hpp"

namespace vmc::arch::booke {

struct CoreModel {
    std::string_view name;
    CoreBit core;           // the SPR table's bit for this core
    uint32_t pvr;           // processor version register
    bool is64;              // 64-bit Book III-E (MSR[CM], EPCR[ICM], 64-bit GPRs)
    unsigned physical_bits; // real address width (MMUCFG[RASIZE])
    uint32_t i_cache_size, d_cache_size;
    uint32_t i_cache_line_size, d_cache_line_size;
    uint32_t tlb0_entries, tlb0_ways; // set-associative TLB0 of 4 KiB pages
    uint32_t tlb1_entries;            // fully associative TLB1
};

// Every modelled core, e500mc first (the default).
std::span<const CoreModel> core_models();
// The row named `name`, or null.
const CoreModel* find_core_model(std::string_view name);
// The row named `name`, or the e500mc's when there is none (the schema has
// refused unknown names already).
const CoreModel& core_model_or_default(std::string_view name);
// "e500mc, e5500": the names a machine file may use.
std::string core_model_names();

// Why a TLB0 geometry cannot be built (ways must be a power of two, entries a
// power of two and at least `ways`), or nullopt when it can.
std::optional<std::string> tlb0_geometry_problem(uint32_t entries, uint32_t ways);
// Why a TLB1 size cannot be built (1 to 4095 entries: TLB1CFG[NENTRY]), or nullopt.
std::optional<std::string> tlb1_geometry_problem(uint32_t entries);

// The configuration registers Linux reads to size the MMU: TLBnCFG
// (associativity, page sizes, IPROT, entries) and MMUCFG (real address
// size, PID size, number of TLBs, MMU architecture version 1.0).
uint32_t tlb0cfg(uint32_t entries, uint32_t ways);
uint32_t tlb1cfg(uint32_t entries);
uint32_t mmucfg(unsigned physical_bits);

} // namespace vmc::arch::booke
