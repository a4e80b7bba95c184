#include "devices/registry.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "devices/kind_list.hpp"

namespace vmc::devices {

std::span<const DeviceKind* const> device_kinds() {
    static const std::vector<const DeviceKind*> by_type = [] {
        auto kinds = registered_kinds();
        std::vector<const DeviceKind*> out(kinds.begin(), kinds.end());
        std::sort(out.begin(), out.end(),
                  [](const DeviceKind* a, const DeviceKind* b) { return a->type < b->type; });
        return out;
    }();
    return by_type;
}

const DeviceKind* find_device_kind(std::string_view type) {
    auto kinds = device_kinds();
    auto it = std::find_if(kinds.begin(), kinds.end(),
                           [&](const DeviceKind* k) { return k->type == type; });
    return it == kinds.end() ? nullptr : *it;
}

const DeviceKind& kind_of(const model::Device& device) {
    const DeviceKind* kind = find_device_kind(device.type);
    if (!kind)
        throw std::invalid_argument(
            fmt::format("{}: unknown device type '{}'", device.name, device.type));
    return *kind;
}

std::vector<std::string> kind_types_with(Role role) {
    std::vector<std::string> out;
    for (const DeviceKind* kind : device_kinds())
        if (kind->has(role)) out.emplace_back(kind->type);
    return out;
}

} // namespace vmc::devices
