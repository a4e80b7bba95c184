#include "model/address_map.hpp"

#include <algorithm>

namespace vmc::model {

std::vector<AddressRegion> address_regions(const Machine& m, std::string_view ram_label) {
    std::vector<AddressRegion> out;
    if (m.memory.size != 0) out.push_back({m.memory.base, m.memory.size, std::string(ram_label)});
    for (const auto& b : m.buses)
        out.push_back({b.base, b.size, "bus " + b.name});
    for (const auto& d : m.devices)
        if (d.size != 0) out.push_back({d.address, d.size, d.name + " (" + d.type + ")"});
    if (m.spin_table.address != 0)
        out.push_back({m.spin_table.address,
                       uint64_t{m.spin_table.entry_size} * std::max(1u, m.max_cpus), "spin table"});
    std::stable_sort(out.begin(), out.end(), [](const AddressRegion& a, const AddressRegion& b) {
        return a.start != b.start ? a.start < b.start : a.size > b.size;
    });
    return out;
}

} // namespace vmc::model
