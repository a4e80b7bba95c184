// vmcompose dtb
#include <cstdio>

#include "cli/commands.hpp"

namespace vmc::cli {

void add_dtb_command(CLI::App& app, Action& action) {
    auto* cmd = app.add_subcommand("dtb", "(not available yet)");
    cmd->callback([&action] {
        action = [] {
            std::fprintf(stderr, "vmcompose: 'dtb' is not available in this build yet\n");
            return kExitUsage;
        };
    });
}

} // namespace vmc::cli
