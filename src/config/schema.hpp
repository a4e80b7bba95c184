// The machine-file schema (schemas/machine.schema.yaml with its device
// fragments inlined) and validation of a resolved document against it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config/diagnostics.hpp"
#include "config/document.hpp"

namespace vmc::config {

struct MachineSchema {
    nlohmann::json root; // draft-07, every `$ref: devices/...` replaced by the fragment
    // Device kind -> register-window size when a device gives no `size:`
    // (the fragment's `properties.size.default`).
    std::map<std::string, uint64_t> default_sizes;
};

// Reads the schema from `schema_dir` (data dir + "/schemas").
std::optional<MachineSchema> load_schema(const std::string& schema_dir, Diagnostics& diagnostics);

// Reports every schema violation of `doc`, one most-specific message per
// place, with did-you-mean hints for misspelled keys.
void validate_against_schema(const Document& doc, const MachineSchema& schema,
                             Diagnostics& diagnostics);

// The known keys closest to `key` (edit distance), best first; empty when
// none is close enough to be a likely typo.
std::string closest_key(const std::string& key, const std::vector<std::string>& candidates);

} // namespace vmc::config
