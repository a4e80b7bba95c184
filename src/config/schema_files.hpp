// The machine-file schema as it lives in the source tree: YAML files,
// schemas/machine.schema.yaml referring to one fragment per device kind.
// Read by the build (vmc-schema-bundle) and by tests; vmcompose itself uses
// the bundle compiled into it (builtin_schema in schema.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config/diagnostics.hpp"

namespace vmc::config {

struct MachineSchema {
    // draft-07, every `$ref: devices/...` replaced by the fragment and every
    // `pattern` renamed for PatternConstraintBuilder (config/schema_patterns.hpp)
    nlohmann::json root;
    // Device kind -> register-window size when a device gives no `size:`
    // (the fragment's `properties.size.default`).
    std::map<std::string, uint64_t> default_sizes;
    // Device kind -> its other fields' `default`s: {field: {"default": v}},
    // or {field: {"fields": {...}}} for defaults inside an object field
    // (config/device_config.hpp applies them).
    std::map<std::string, nlohmann::json> default_fields;

    bool operator==(const MachineSchema&) const = default;
};

// Reads machine.schema.yaml from `schema_dir` and inlines the fragments it
// refers to.
std::optional<MachineSchema> load_schema_files(const std::string& schema_dir,
                                               Diagnostics& diagnostics);

// The one-document form compiled into vmcompose, and back.
nlohmann::json schema_to_bundle(const MachineSchema& schema);
MachineSchema schema_from_bundle(const nlohmann::json& bundle);

} // namespace vmc::config
