#include "arch/booke/core_models.hpp"

#include <array>
#include <bit>

#include <fmt/format.h>

namespace vmc::arch::booke {

namespace {

// e500mc: QorIQ P4080 core reference manual; PVR as QEMU's -cpu e500mc.
// e5500: QorIQ P5020 core reference manual; PVR 0x80240020 (rev 2.0), as
// QEMU's -cpu e5500. Both: 32 KiB L1 caches with 64-byte lines, TLB0 512
// entries 4-way, TLB1 64 entries.
constexpr std::array kCoreModels = {
    CoreModel{"e500mc", kE500mc, 0x80230020, false, 36, 0x8000, 0x8000, 64, 64, 512, 4, 64},
    CoreModel{"e5500", kE5500, 0x80240020, true, 40, 0x8000, 0x8000, 64, 64, 512, 4, 64},
};

} // namespace

std::span<const CoreModel> core_models() {
    return kCoreModels;
}

const CoreModel* find_core_model(std::string_view name) {
    for (const CoreModel& m : kCoreModels)
        if (m.name == name) return &m;
    return nullptr;
}

const CoreModel& core_model_or_default(std::string_view name) {
    const CoreModel* m = find_core_model(name);
    return m ? *m : kCoreModels.front();
}

std::string core_model_names() {
    std::string out;
    for (const CoreModel& m : kCoreModels)
        out += (out.empty() ? "" : ", ") + std::string(m.name);
    return out;
}

std::optional<std::string> tlb0_geometry_problem(uint32_t entries, uint32_t ways) {
    if (!std::has_single_bit(ways) || ways > 128)
        return fmt::format("TLB0 ways {} is not a power of two from 1 to 128", ways);
    if (!std::has_single_bit(entries) || entries > 4095)
        return fmt::format("TLB0 entries {} is not a power of two up to 2048", entries);
    if (entries < ways)
        return fmt::format("TLB0 has fewer entries ({}) than ways ({})", entries, ways);
    return std::nullopt;
}

std::optional<std::string> tlb1_geometry_problem(uint32_t entries) {
    if (entries == 0 || entries > 4095)
        return fmt::format("TLB1 entries {} is not from 1 to 4095", entries);
    return std::nullopt;
}

uint32_t tlb0cfg(uint32_t entries, uint32_t ways) {
    // ASSOC, MINSIZE = MAXSIZE = 1 (4 KiB), NENTRY.
    return (ways << 24) | (1u << 20) | (1u << 16) | (entries & 0xfff);
}

uint32_t tlb1cfg(uint32_t entries) {
    // Fully associative (ASSOC = NENTRY), 4 KiB to 4^12 KiB, AVAIL, IPROT.
    return ((entries & 0xff) << 24) | (1u << 20) | (0xcu << 16) | 0xc000u | (entries & 0xfff);
}

uint32_t mmucfg(unsigned physical_bits) {
    // RASIZE, PIDSIZE 7 (8-bit PIDs), NTLBS 1 (two TLBs), MAVN 0 (version 1.0).
    return (physical_bits << 17) | (1u << 11) | (7u << 6) | (1u << 2);
}

} // namespace vmc::arch::booke
