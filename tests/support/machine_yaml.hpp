// Test machines written as machine files: the YAML text goes through the
// real front end (resolve, schema, defaults, the kinds' parse, semantic
// checks), so a fixture is exactly what `vmcompose up` would build.
#pragma once

#include <string>
#include <string_view>

#include "config/diagnostics.hpp"
#include "model/machine.hpp"

namespace vmc::testing {

// The machine `yaml` describes (it starts with `vmcompose: 1`). Relative
// paths in it resolve against a scratch directory, so tests name files by
// absolute path. Throws std::invalid_argument with the diagnostics when the
// front end refuses the text.
model::Machine machine_from_yaml(std::string_view yaml);

// The front end's diagnostics for `yaml`, formatted; empty when it loads.
std::string diagnostics_for_yaml(std::string_view yaml);

} // namespace vmc::testing
