#include "model/machine.hpp"

#include <algorithm>

namespace vmc::model {

uint32_t Machine::spin_table_entries() const {
    return std::max({max_cpus, cpus, 1u});
}

const Device* Machine::find_device(std::string_view device_name) const {
    auto it = std::find_if(devices.begin(), devices.end(),
                           [&](const Device& d) { return d.name == device_name; });
    return it == devices.end() ? nullptr : &*it;
}

const Bus* Machine::find_bus(std::string_view bus_name) const {
    auto it =
        std::find_if(buses.begin(), buses.end(), [&](const Bus& b) { return b.name == bus_name; });
    return it == buses.end() ? nullptr : &*it;
}

} // namespace vmc::model
