// A kind's typed configuration: parsed once by the kind's `parse` in the
// config stage from model::Device::props (where the validator has already
// put the schema's defaults), then read by its device-tree node and its
// runtime device through config_of<Config>().
#pragma once

#include <fmt/format.h>
#include <memory>
#include <optional>
#include <stdexcept>

#include "model/machine.hpp"

namespace vmc::devices {

// A kind's Config (a plain struct) as the model holds it.
template <class Config> struct Parsed final : model::DeviceConfig {
    explicit Parsed(Config c) : value(std::move(c)) {}
    Config value;
};

// The device's parsed configuration if it is a `Config`, else nullptr.
template <class Config> const Config* config_if(const model::Device& device) {
    const auto* parsed = dynamic_cast<const Parsed<Config>*>(device.config.get());
    return parsed ? &parsed->value : nullptr;
}

// The device's parsed configuration, which must be a `Config`.
template <class Config> const Config& config_of(const model::Device& device) {
    const Config* config = config_if<Config>(device);
    if (!config)
        throw std::logic_error(fmt::format(
            "{}: the {} device has no parsed configuration of its kind", device.name, device.type));
    return *config;
}

// The field `key` of the device's props, which the schema requires or gives
// a default. Throws std::invalid_argument naming the field otherwise.
template <class T> T field(const model::Device& device, const char* key) {
    auto it = device.props.find(key);
    if (it == device.props.end() || it->is_null())
        throw std::invalid_argument(
            fmt::format("`{}:` is missing and its schema gives no default", key));
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument(fmt::format("`{}:` has a value of the wrong type", key));
    }
}

// A field without a default: nothing when the file does not give it.
template <class T> std::optional<T> optional_field(const model::Device& device, const char* key) {
    auto it = device.props.find(key);
    if (it == device.props.end() || it->is_null()) return std::nullopt;
    return field<T>(device, key);
}

template <class Config> std::shared_ptr<const model::DeviceConfig> share(Config config) {
    return std::make_shared<const Parsed<Config>>(std::move(config));
}

} // namespace vmc::devices
