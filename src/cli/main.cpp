// vmcompose: compose and run PowerPC e500 virtual machines from one YAML file.
#include <cstdio>
#include <exception>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace vmc::cli;
    CLI::App app{"vmcompose: compose and run PowerPC e500 (Book E) virtual machines from YAML",
                 "vmcompose"};
    app.set_version_flag("--version", std::string("vmcompose ") + VMC_VERSION);
    app.require_subcommand(1);

    Action action;
    add_up_command(app, action);
    add_dtb_command(app, action);
    add_validate_command(app, action);
    add_show_command(app, action);
    add_boards_command(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    try {
        return action ? action() : kExitUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vmcompose: error: %s\n", e.what());
        return kExitInvalid;
    }
}
