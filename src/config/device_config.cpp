#include "config/device_config.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "config/document.hpp"
#include "config/schema.hpp"
#include "devices/registry.hpp"

namespace vmc::config {

namespace {

// Fills what `object` leaves out from `defaults` (MachineSchema::default_fields form).
void apply_defaults(nlohmann::json& object, const nlohmann::json& defaults,
                    const std::string& pointer, const std::string& origin,
                    std::map<std::string, model::SourceMark>* provenance) {
    for (const auto& [field, rule] : defaults.items()) {
        std::string at = pointer_child(pointer, field);
        if (rule.contains("default") && !object.contains(field)) {
            object[field] = rule["default"];
            if (provenance) (*provenance)[at] = {origin, 0, 0};
        } else if (rule.contains("fields") && object.contains(field) && object[field].is_object()) {
            apply_defaults(object[field], rule["fields"], at, origin, provenance);
        }
    }
}

} // namespace

std::string configure_device(model::Device& device, const DefaultFields& defaults,
                             std::map<std::string, model::SourceMark>* provenance) {
    const devices::DeviceKind* kind = devices::find_device_kind(device.type);
    if (!kind) return "unknown device type '" + device.type + "'";
    if (!device.props.is_object()) device.props = nlohmann::json::object();
    if (auto it = defaults.find(device.type); it != defaults.end())
        apply_defaults(device.props, it->second, device.path, "default of " + device.type,
                       provenance);
    try {
        device.config = kind->parse(device);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

model::Device configured(model::Device device) {
    // An unknown type stays unconfigured: vmm::build and fdt::compile refuse it themselves.
    if (!devices::find_device_kind(device.type)) return device;
    std::string error = configure_device(device, builtin_schema().default_fields, nullptr);
    if (!error.empty())
        throw std::invalid_argument(fmt::format("device '{}': {}", device.name, error));
    return device;
}

model::Machine configured(model::Machine machine) {
    for (model::Device& device : machine.devices)
        device = configured(std::move(device));
    return machine;
}

} // namespace vmc::config
