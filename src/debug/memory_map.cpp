#include "debug/memory_map.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/address_map.hpp"

namespace vmc::debug {

namespace {

using Region = model::AddressRegion;

// Appends the regions from rs[first] on that lie inside [lo, hi] as one
// level, with gaps between them, recursing into the ones that contain others.
// Inside a region (show_edges) the gaps before the first and after the last
// child count too; at the top level they would only say "the rest of the
// address space". Returns the index of the first region outside [lo, hi].
size_t emit_level(const std::vector<Region>& rs, size_t first, uint64_t lo, uint64_t hi,
                  unsigned depth, bool show_edges, std::vector<MapRow>& out) {
    uint64_t cursor = lo;
    bool cursor_valid = show_edges;
    size_t i = first;
    while (i < rs.size() && rs[i].start >= lo && rs[i].last() <= hi) {
        const Region& r = rs[i];
        if (cursor_valid && r.start > cursor)
            out.push_back({cursor, r.start - 1, depth, true, "(unmapped)"});
        out.push_back({r.start, r.last(), depth, false, r.what});
        i = emit_level(rs, i + 1, r.start, r.last(), depth + 1, true, out);
        cursor_valid = r.last() != UINT64_MAX;
        cursor = r.last() + 1;
    }
    if (show_edges && cursor_valid && cursor <= hi && cursor != lo)
        out.push_back({cursor, hi, depth, true, "(unmapped)"});
    return i;
}

} // namespace

std::string human_size(uint64_t bytes) {
    static constexpr const char* kUnits[] = {"", "K", "M", "G", "T"};
    unsigned unit = 0;
    uint64_t value = bytes;
    while (value >= 1024 && value % 1024 == 0 && unit + 1 < std::size(kUnits)) {
        value /= 1024;
        ++unit;
    }
    if (unit == 0) return fmt::format("{:#x}", bytes);
    return fmt::format("{}{}", value, kUnits[unit]);
}

std::vector<MapRow> memory_map_rows(const model::Machine& m) {
    std::vector<Region> rs = model::address_regions(m, "RAM");
    std::vector<MapRow> out;
    size_t i = 0;
    // Top level: gaps between regions only (not below the first or above the last).
    while (i < rs.size())
        i = emit_level(rs, i, rs[i].start, UINT64_MAX, 0, false, out);
    return out;
}

std::string memory_map_text(const model::Machine& m) {
    std::string out = fmt::format("{:<14}{:<14}{:>8}  {}\n", "START", "END", "SIZE", "WHAT");
    for (const MapRow& r : memory_map_rows(m))
        out += fmt::format("{:<#14x}{:<#14x}{:>8}  {:{}}{}\n", r.start, r.end,
                           human_size(r.end - r.start + 1), "", 2 * r.depth, r.what);
    return out;
}

} // namespace vmc::debug
