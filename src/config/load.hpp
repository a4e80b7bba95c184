// The front end's one entry point: a machine file (plus --set overrides)
// in, a checked model::Machine or a list of diagnostics out.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "config/cli_options.hpp"
#include "config/diagnostics.hpp"
#include "model/machine.hpp"

namespace vmc::config {

struct LoadOptions {
    std::string file;              // the VM (or profile) file
    std::vector<std::string> sets; // `--set PATH=VALUE`, applied in order after the file
};

// Loads, resolves (profile chain, file, --set), validates and builds the
// machine. Returns nothing when `diagnostics` holds an error.
std::optional<model::Machine> load_machine(const LoadOptions& options, Diagnostics& diagnostics);

// What `show` tells about how the machine was put together.
struct LoadDetails {
    bool newest_board_version = false; // `board:` named no version; the newest was taken
    std::vector<std::string> layers;   // files merged, profile chain first
};
std::optional<model::Machine> load_machine(const LoadOptions& options, Diagnostics& diagnostics,
                                           LoadDetails& details);

} // namespace vmc::config
