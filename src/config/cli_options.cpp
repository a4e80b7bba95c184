#include "config/cli_options.hpp"

namespace vmc::config {

void add_set_option(CLI::App& command, std::vector<std::string>& sets) {
    command
        .add_option("--set", sets,
                    "Override a field of the machine file, e.g. --set memory=512M "
                    "--set devices.disk0.image=disk.img (VALUE is YAML; empty removes it)")
        ->type_name("PATH=VALUE")
        ->take_all();
}

} // namespace vmc::config
