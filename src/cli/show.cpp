// vmcompose show
#include <cstdio>

#include "cli/commands.hpp"

namespace vmc::cli {

void add_show_command(CLI::App& app, Action& action) {
    auto* cmd = app.add_subcommand("show", "(not available yet)");
    cmd->callback([&action] {
        action = [] {
            std::fprintf(stderr, "vmcompose: 'show' is not available in this build yet\n");
            return kExitUsage;
        };
    });
}

} // namespace vmc::cli
