#include "config/profiles.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sstream>

#include "config/yaml_tree.hpp"

namespace fs = std::filesystem;

namespace vmc::config {

std::string data_dir() {
    if (const char* dir = std::getenv("VMCOMPOSE_DATA_DIR"); dir && *dir) return dir;
    return VMC_DATA_DIR;
}

namespace {

std::optional<uint32_t> parse_version(std::string_view text) {
    uint32_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

bool valid_board_name(std::string_view name) {
    return !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") ==
                                std::string_view::npos;
}

// The profile version in a file name "v3.yaml".
std::optional<uint32_t> version_of_file(const fs::path& file) {
    std::string stem = file.stem().string();
    if (file.extension() != ".yaml" || !stem.starts_with('v')) return std::nullopt;
    return parse_version(std::string_view(stem).substr(1));
}

// Only the description is needed: a light read that tolerates a broken file
// (validating it is the job of `validate`).
std::string read_description(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_yaml(text.str());
    const auto* tree = std::get_if<YamlTree>(&parsed);
    if (!tree || tree->empty()) return {};
    const YamlNode& root = tree->node(tree->root);
    if (root.kind != YamlNode::Kind::Map) return {};
    for (std::size_t i = 0; i + 1 < root.children.size(); i += 2) {
        const YamlNode& key = tree->node(root.children[i]);
        const YamlNode& value = tree->node(root.children[i + 1]);
        if (key.kind == YamlNode::Kind::Scalar && key.text == "description" &&
            value.kind == YamlNode::Kind::Scalar)
            return value.text;
    }
    return {};
}

} // namespace

std::optional<BoardRef> parse_board_ref(const std::string& text) {
    std::size_t at = text.find('@');
    BoardRef ref{text.substr(0, at), std::nullopt};
    if (!valid_board_name(ref.name)) return std::nullopt;
    if (at != std::string::npos) {
        auto version = parse_version(std::string_view(text).substr(at + 1));
        if (!version || *version == 0) return std::nullopt;
        ref.version = version;
    }
    return ref;
}

std::vector<BoardProfile> list_boards(const std::string& dir, bool with_descriptions) {
    std::vector<BoardProfile> out;
    std::error_code ec;
    fs::path machines = fs::path(dir) / "machines";
    for (const auto& board : fs::directory_iterator(machines, ec)) {
        if (!board.is_directory()) continue;
        for (const auto& file : fs::directory_iterator(board.path(), ec)) {
            auto version = version_of_file(file.path());
            if (!version) continue;
            std::string path = fs::absolute(file.path()).lexically_normal().string();
            out.push_back({board.path().filename().string(), *version, path, {}});
        }
    }
    std::sort(out.begin(), out.end(), [](const BoardProfile& a, const BoardProfile& b) {
        return std::tie(a.name, a.version) < std::tie(b.name, b.version);
    });
    if (with_descriptions)
        for (BoardProfile& p : out)
            p.description = read_description(p.path);
    return out;
}

std::string describe_boards(const std::vector<BoardProfile>& boards) {
    std::string out;
    for (const BoardProfile& b : boards)
        out += (out.empty() ? "" : ", ") + b.name + "@" + std::to_string(b.version);
    return out.empty() ? "none" : out;
}

std::optional<BoardProfile> board_of_profile_path(const std::string& path) {
    fs::path file = fs::absolute(path).lexically_normal();
    auto version = version_of_file(file);
    if (!version || file.parent_path().parent_path().filename() != "machines") return std::nullopt;
    return BoardProfile{file.parent_path().filename().string(), *version, file.string(), {}};
}

} // namespace vmc::config
