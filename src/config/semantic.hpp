// Checks of meaning, after the schema has checked shape: what overlaps,
// what is referenced but missing, what the board cannot do.
#pragma once

#include "config/diagnostics.hpp"
#include "config/document.hpp"
#include "model/machine.hpp"

namespace vmc::config {

void check_machine(const model::Machine& machine, const Document& doc, Diagnostics& diagnostics);

} // namespace vmc::config
