// vmcompose up
#include <cstdio>

#include "cli/commands.hpp"

namespace vmc::cli {

void add_up_command(CLI::App& app, Action& action) {
    auto* cmd = app.add_subcommand("up", "(not available yet)");
    cmd->callback([&action] {
        action = [] {
            std::fprintf(stderr, "vmcompose: 'up' is not available in this build yet\n");
            return kExitUsage;
        };
    });
}

} // namespace vmc::cli
