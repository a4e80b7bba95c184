#include "support/machine_yaml.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "config/load.hpp"

namespace vmc::testing {

namespace {

namespace fs = std::filesystem;

// Loads `yaml` from a file in a fresh scratch directory, removed afterwards.
std::optional<model::Machine> load(std::string_view yaml, config::Diagnostics& diagnostics) {
    std::string dir_template = (fs::temp_directory_path() / "vmc-yaml-XXXXXX").string();
    if (!mkdtemp(dir_template.data()))
        throw std::runtime_error("cannot make a scratch directory for a test machine");
    fs::path dir(dir_template);
    fs::path file = dir / "test-machine.yaml";
    {
        std::ofstream out(file, std::ios::binary);
        out << yaml;
    }
    auto machine = config::load_machine({file.string(), {}}, diagnostics);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return machine;
}

} // namespace

model::Machine machine_from_yaml(std::string_view yaml) {
    config::Diagnostics diagnostics;
    auto machine = load(yaml, diagnostics);
    if (!machine)
        throw std::invalid_argument("test machine refused:\n" +
                                    config::format_diagnostics(diagnostics));
    return std::move(*machine);
}

std::string diagnostics_for_yaml(std::string_view yaml) {
    config::Diagnostics diagnostics;
    load(yaml, diagnostics);
    return config::format_diagnostics(diagnostics);
}

} // namespace vmc::testing
