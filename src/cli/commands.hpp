// One file per command; each adds its subcommand to the CLI and stores what
// to run in `action` when the user picked it.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace vmc::cli {

using Action = std::function<int()>;

// Exit statuses shared by every command.
constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1; // the machine file (or an input file) is wrong
constexpr int kExitUsage = 2;   // the command line is wrong

void add_validate_command(CLI::App& app, Action& action);
void add_show_command(CLI::App& app, Action& action);
void add_boards_command(CLI::App& app, Action& action);
void add_dtb_command(CLI::App& app, Action& action);
void add_up_command(CLI::App& app, Action& action);

} // namespace vmc::cli
