// vmcompose show FILE: the resolved machine, where each value came from,
// its memory map and its interrupt routing.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "config/load.hpp"
#include "config/machine_view.hpp"

namespace vmc::cli {

namespace {

struct ShowOptions {
    std::string file;
    std::vector<std::string> sets;
    std::string format = "yaml";
};

int show(const ShowOptions& options) {
    config::Diagnostics diagnostics;
    config::LoadDetails details;
    auto machine = config::load_machine({options.file, options.sets}, diagnostics, details);
    config::print_diagnostics(diagnostics, stderr);
    if (!machine) return kExitInvalid;
    const model::Machine& m = *machine;

    if (options.format == "json") {
        nlohmann::ordered_json provenance = nlohmann::ordered_json::object();
        for (const auto& [pointer, mark] : m.provenance)
            provenance[pointer] = config::format_mark(mark);
        nlohmann::ordered_json out{{"machine", config::machine_to_json(m)},
                                   {"layers", details.layers},
                                   {"provenance", provenance},
                                   {"memory-map", config::memory_map_json(m)},
                                   {"interrupts", config::interrupts_json(m)}};
        std::printf("%s\n", out.dump(2).c_str());
        return kExitOk;
    }
    std::printf("# Machine %s", m.name.c_str());
    if (!m.board.empty())
        std::printf(" on board %s@%u%s", m.board.c_str(), m.board_version,
                    details.newest_board_version ? " (the newest version of this board)" : "");
    std::printf("\n# Built from, in merge order:");
    for (const auto& layer : details.layers)
        std::printf(" %s", layer.c_str());
    for (const auto& set : options.sets)
        std::printf(" --set %s", set.c_str());
    std::printf("\n\n%s\n", config::machine_to_yaml(m).c_str());
    std::printf("# Memory map\n%s\n", config::memory_map_table(m).c_str());
    std::printf("# Interrupts (on %s)\n%s",
                m.interrupt_controller.empty() ? "no controller" : m.interrupt_controller.c_str(),
                config::interrupt_table(m).c_str());
    return kExitOk;
}

} // namespace

void add_show_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<ShowOptions>();
    auto* cmd = app.add_subcommand(
        "show", "Print the resolved machine with the origin of each value, its memory map and "
                "interrupts");
    cmd->add_option("FILE", options->file, "Machine file")->required();
    cmd->add_option("--format", options->format, "Output format")
        ->check(CLI::IsMember({"yaml", "json"}));
    config::add_set_option(*cmd, options->sets);
    cmd->callback([&action, options] { action = [options] { return show(*options); }; });
}

} // namespace vmc::cli
