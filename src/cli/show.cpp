// vmcompose show FILE: the resolved machine, where each value came from,
// its memory map and its interrupt routing.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "config/load.hpp"
#include "config/machine_view.hpp"
#include "debug/graphviz.hpp"
#include "debug/machine_graph.hpp"
#include "debug/memory_map.hpp"

namespace vmc::cli {

namespace {

// Under KVM these cpu values are the host's, whatever the machine file says.
constexpr const char* kKvmHostValues[] = {"cpu.pvr", "cpu.clock-frequency",
                                          "cpu.timebase-frequency"};
constexpr const char* kKvmHostNote =
    "# Under KVM (up --accel kvm, or --accel auto on an e500mc-class host) the guest runs on\n"
    "# the host's core: cpu.pvr, cpu.clock-frequency and cpu.timebase-frequency above are\n"
    "# replaced by the host's. The guest reads the host's PVR (the kernel allows no other), and\n"
    "# the device tree's cpu clock-frequency and timebase-frequency come from the host's\n"
    "# /proc/device-tree/cpus/<cpu>/ (else /proc/cpuinfo), as QEMU reads them.\n";

struct ShowOptions {
    std::string file;
    std::vector<std::string> sets;
    std::string format = "yaml";
    bool memory_map = false;
};

int show(const ShowOptions& options) {
    config::Diagnostics diagnostics;
    config::LoadDetails details;
    auto machine = config::load_machine({options.file, options.sets}, diagnostics, details);
    config::print_diagnostics(diagnostics, stderr);
    if (!machine) return kExitInvalid;
    const model::Machine& m = *machine;

    if (options.memory_map) {
        std::printf("%s", debug::memory_map_text(m).c_str());
        return kExitOk;
    }
    if (options.format == "dot") {
        std::printf("%s", debug::machine_to_dot(m).c_str());
        return kExitOk;
    }
    if (options.format == "svg") {
        std::string error = debug::render_with_dot(debug::machine_to_dot(m), "svg");
        if (error.empty()) return kExitOk;
        std::fprintf(stderr, "vmcompose: %s\n", error.c_str());
        return kExitUsage;
    }

    if (options.format == "json") {
        nlohmann::ordered_json provenance = nlohmann::ordered_json::object();
        for (const auto& [pointer, mark] : m.provenance)
            provenance[pointer] = config::format_mark(mark);
        nlohmann::ordered_json out{{"machine", config::machine_to_json(m)},
                                   {"layers", details.layers},
                                   {"provenance", provenance},
                                   {"memory-map", config::memory_map_json(m)},
                                   {"interrupts", config::interrupts_json(m)},
                                   {"from-host-under-kvm", kKvmHostValues}};
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
    std::printf("%s\n", kKvmHostNote);
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
    cmd->add_option("--format", options->format,
                    "Output format: yaml, json, dot (Graphviz graph) or svg (needs Graphviz)")
        ->check(CLI::IsMember({"yaml", "json", "dot", "svg"}));
    cmd->add_flag("--memory-map", options->memory_map,
                  "Print only the memory map: every region by address, with the gaps");
    config::add_set_option(*cmd, options->sets);
    cmd->callback([&action, options] { action = [options] { return show(*options); }; });
}

} // namespace vmc::cli
