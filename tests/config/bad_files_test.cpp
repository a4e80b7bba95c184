// Every file in tests/config/bad/ is one mistake a user makes; its
// .expected file holds the exact diagnostics vmcompose prints for it.
// VMC_UPDATE_GOLDENS=1 rewrites the .expected files from the current output.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/load.hpp"

namespace fs = std::filesystem;
using namespace vmc::config;

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size())
        text.replace(pos, from.size(), to);
    return text;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Diagnostics with the checkout's location removed, so goldens hold
// `name.yaml:3:1` and `<src>/machines/...`.
std::string diagnostics_for(const fs::path& file) {
    Diagnostics diagnostics;
    auto machine = load_machine({file.string(), {}}, diagnostics);
    std::string text = format_diagnostics(diagnostics);
    if (machine) text += "(valid)\n";
    text = replace_all(text, file.parent_path().string() + "/", "");
    return replace_all(text, VMC_SOURCE_DIR, "<src>");
}

} // namespace

TEST_CASE("each bad machine file gives exactly its expected diagnostics") {
    fs::path dir = fs::path(VMC_SOURCE_DIR) / "tests/config/bad";
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 30);
    bool update = std::getenv("VMC_UPDATE_GOLDENS") != nullptr;
    for (const fs::path& file : files) {
        fs::path golden = fs::path(file).replace_extension(".expected");
        std::string actual = diagnostics_for(file);
        if (update) std::ofstream(golden) << actual;
        INFO("file: " << file.filename().string());
        CHECK(actual.find("error:") != std::string::npos);
        CHECK(actual == read(golden));
    }
}
