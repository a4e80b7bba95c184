// A device's kind-specific fields in effect, and their one parse: the
// schema's defaults fill in what the file leaves out, then the device's kind
// turns them into its typed configuration (model::Device::config).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "model/machine.hpp"

namespace vmc::config {

// Device kind -> {field: default} (MachineSchema::default_fields).
using DefaultFields = std::map<std::string, nlohmann::json>;

// Fills device.props from `defaults` (noting each in `provenance` when
// given) and sets device.config. Returns what is wrong, empty on success.
std::string configure_device(model::Device& device, const DefaultFields& defaults,
                             std::map<std::string, model::SourceMark>* provenance);

// Every device of a machine made without a machine file (tests, fuzz
// targets), with the built-in schema's defaults. Throws
// std::invalid_argument naming the device that cannot be configured; a
// device of an unknown type is left as it is.
model::Machine configured(model::Machine machine);
model::Device configured(model::Device device);

} // namespace vmc::config
