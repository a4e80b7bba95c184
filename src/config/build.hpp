// Resolved, schema-checked document -> model::Machine: sizes and
// bus-relative addresses become absolute numbers, devices left to the
// board are placed, and every value keeps where it was written.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "config/device_config.hpp"
#include "config/diagnostics.hpp"
#include "config/document.hpp"
#include "model/machine.hpp"

namespace vmc::config {

struct BuildContext {
    std::string board; // resolved board name; empty for a file without one
    uint32_t board_version = 0;
    std::string default_name; // when the file has no `name:`
    // Register-window size of a kind when a device does not give `size:`
    // (from the kind's schema fragment).
    std::map<std::string, uint64_t> default_sizes;
    // The other fields' defaults, per kind (the fragments' `default`s).
    DefaultFields default_fields;
};

std::optional<model::Machine> build_machine(const Document& doc, const BuildContext& context,
                                            Diagnostics& diagnostics);

} // namespace vmc::config
