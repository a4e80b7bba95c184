// vmcompose boards
#include <cstdio>

#include "cli/commands.hpp"

namespace vmc::cli {

void add_boards_command(CLI::App& app, Action& action) {
    auto* cmd = app.add_subcommand("boards", "(not available yet)");
    cmd->callback([&action] {
        action = [] {
            std::fprintf(stderr, "vmcompose: 'boards' is not available in this build yet\n");
            return kExitUsage;
        };
    });
}

} // namespace vmc::cli
