// The resolved machine as people read it (`vmcompose show`): the machine in
// the machine-file vocabulary with absolute addresses, the provenance of each
// value, a memory map and an interrupt table.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/machine.hpp"

namespace vmc::config {

// Machine-file keys, in file order; addresses absolute, placements filled in.
nlohmann::ordered_json machine_to_json(const model::Machine& machine);

// "file:line:col", or the --set flag.
std::string format_mark(const model::SourceMark& mark);

// YAML text of machine_to_json with a `# file:line` comment on each value.
std::string machine_to_yaml(const model::Machine& machine);

// Fixed-width tables, sorted by address and by source.
std::string memory_map_table(const model::Machine& machine);
std::string interrupt_table(const model::Machine& machine);

// Both tables as JSON arrays (for --format json).
nlohmann::ordered_json memory_map_json(const model::Machine& machine);
nlohmann::ordered_json interrupts_json(const model::Machine& machine);

} // namespace vmc::config
