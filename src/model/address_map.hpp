// Everything a machine places in guest-physical address space (RAM, buses,
// device register windows, the spin table), for the views that list it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/machine.hpp"

namespace vmc::model {

struct AddressRegion {
    uint64_t start;
    uint64_t size;
    std::string what; // "bus soc", "serial0 (ns16550)", "spin table", or the RAM label
    uint64_t last() const { return start + size - 1; }
};

// Sorted by start address; a region comes before the regions it contains.
std::vector<AddressRegion> address_regions(const Machine& machine, std::string_view ram_label);

} // namespace vmc::model
