// The guest-physical address map of a machine as a tree of regions (RAM,
// buses, devices, the spin table), each level sorted by address with the
// unmapped gaps between its regions made explicit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/machine.hpp"

namespace vmc::debug {

struct MapRow {
    uint64_t start = 0;
    uint64_t end = 0;   // inclusive
    unsigned depth = 0; // 0: top level; 1: inside a bus or RAM; ...
    bool gap = false;   // nothing mapped here
    std::string what;
};

// Rows in address order; a region's contents follow it at depth + 1.
std::vector<MapRow> memory_map_rows(const model::Machine& machine);

// Fixed-width table of memory_map_rows with human sizes ("4K", "256M").
std::string memory_map_text(const model::Machine& machine);

// "4K", "1M", "256M", "1G"; other sizes as a hexadecimal byte count.
std::string human_size(uint64_t bytes);

} // namespace vmc::debug
