// Command-line options every command that reads a machine file shares.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vmc::config {

// Adds the repeatable `--set PATH=VALUE` option to `command`.
void add_set_option(CLI::App& command, std::vector<std::string>& sets);

} // namespace vmc::config
