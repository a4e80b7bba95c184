// vmcompose boards: the board profiles this installation has.
#include <cstdio>

#include "cli/commands.hpp"
#include "config/profiles.hpp"

namespace vmc::cli {

void add_boards_command(CLI::App& app, Action& action) {
    auto* cmd = app.add_subcommand("boards", "List the board profiles and their versions");
    cmd->callback([&action] {
        action = [] {
            std::string dir = config::data_dir();
            auto boards = config::list_boards(dir);
            if (boards.empty()) {
                std::fprintf(stderr, "vmcompose: no board profiles under %s/machines\n",
                             dir.c_str());
                return kExitInvalid;
            }
            std::printf("%-20s %s\n", "BOARD", "DESCRIPTION");
            for (std::size_t i = 0; i < boards.size(); ++i) {
                const auto& b = boards[i];
                bool newest = i + 1 == boards.size() || boards[i + 1].name != b.name;
                std::string ref = b.name + "@" + std::to_string(b.version);
                std::printf("%-20s %s%s\n", ref.c_str(), b.description.c_str(),
                            newest ? " (newest)" : "");
            }
            return kExitOk;
        };
    });
}

} // namespace vmc::cli
