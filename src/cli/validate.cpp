// vmcompose validate FILE...: schema and semantic checks of machine files.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "config/load.hpp"

namespace vmc::cli {

namespace {
struct ValidateOptions {
    std::vector<std::string> files;
    std::vector<std::string> sets;
};
} // namespace

void add_validate_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<ValidateOptions>();
    auto* cmd = app.add_subcommand(
        "validate", "Check machine files against the schema and the board (exit 1 if invalid)");
    cmd->add_option("FILE", options->files, "Machine files")->required();
    config::add_set_option(*cmd, options->sets);
    cmd->callback([&action, options] {
        action = [options] {
            int status = kExitOk;
            for (const std::string& file : options->files) {
                config::Diagnostics diagnostics;
                auto machine = config::load_machine({file, options->sets}, diagnostics);
                config::print_diagnostics(diagnostics, stderr);
                if (!machine || diagnostics.has_errors()) {
                    std::fprintf(stderr, "%s: invalid (%zu error%s)\n", file.c_str(),
                                 diagnostics.sorted().size(),
                                 diagnostics.sorted().size() == 1 ? "" : "s");
                    status = kExitInvalid;
                } else {
                    std::printf("%s: valid\n", file.c_str());
                }
            }
            return status;
        };
    });
}

} // namespace vmc::cli
