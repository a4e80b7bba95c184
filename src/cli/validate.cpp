// vmcompose validate
#include <cstdio>

#include "cli/commands.hpp"

namespace vmc::cli {

void add_validate_command(CLI::App& app, Action& action) {
    auto* cmd = app.add_subcommand("validate", "(not available yet)");
    cmd->callback([&action] {
        action = [] {
            std::fprintf(stderr, "vmcompose: 'validate' is not available in this build yet\n");
            return kExitUsage;
        };
    });
}

} // namespace vmc::cli
