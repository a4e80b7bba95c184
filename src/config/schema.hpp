// The machine-file schema (schemas/machine.schema.yaml with its device
// fragments inlined) and validation of a resolved document against it.
#pragma once

#include <string>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/document.hpp"
#include "config/schema_files.hpp"

namespace vmc::config {

// The schema compiled into vmcompose (generated at build time from
// schemas/ by vmc-schema-bundle, so start-up parses compact JSON instead of
// YAML, and the binary does not depend on where the sources live).
MachineSchema builtin_schema();

// Reports every schema violation of `doc`, one most-specific message per
// place, with did-you-mean hints for misspelled keys.
void validate_against_schema(const Document& doc, const MachineSchema& schema,
                             Diagnostics& diagnostics);

// The known keys closest to `key` (edit distance), best first; empty when
// none is close enough to be a likely typo.
std::string closest_key(const std::string& key, const std::vector<std::string>& candidates);

} // namespace vmc::config
