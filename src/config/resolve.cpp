#include "config/resolve.hpp"

#include <algorithm>
#include <filesystem>

#include "config/merge.hpp"
#include "config/profiles.hpp"
#include "config/yaml_loader.hpp"

namespace fs = std::filesystem;

namespace vmc::config {

namespace {

std::string absolute_against(const std::string& path, const std::string& base_dir) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (fs::path(base_dir) / path).lexically_normal().string();
}

void absolutize(nlohmann::json& root, const std::string& pointer, const std::string& base_dir,
                std::string_view scheme_prefix = {}) {
    nlohmann::json::json_pointer p(pointer);
    if (!root.contains(p) || !root.at(p).is_string()) return;
    std::string value = root.at(p).get<std::string>();
    if (!scheme_prefix.empty()) {
        for (std::string_view scheme : {"file:", "unix:"}) {
            if (value.starts_with(scheme)) {
                root.at(p) =
                    std::string(scheme) + absolute_against(value.substr(scheme.size()), base_dir);
                return;
            }
        }
        return;
    }
    root.at(p) = absolute_against(value, base_dir);
}

struct ProfileRef {
    std::string text;       // as written
    model::SourceMark mark; // where
    std::string path;       // the pointer ("/board" or "/extends")
};

// The profile a document builds on, if it names one.
std::optional<ProfileRef> parent_of(const Document& doc, Diagnostics& diagnostics) {
    const nlohmann::json& root = doc.root;
    if (!root.is_object()) return std::nullopt;
    bool has_board = root.contains("board");
    bool has_extends = root.contains("extends");
    if (has_board && has_extends) {
        diagnostics.error(doc.key_mark_of("/extends"), "extends",
                          "a file names either `board:` or `extends:`, not both",
                          "a VM file uses `board:`; a profile uses `extends:`");
        return std::nullopt;
    }
    if (!has_board && !has_extends) return std::nullopt;
    std::string key = has_board ? "/board" : "/extends";
    const nlohmann::json& value = root.at(key.substr(1));
    if (!value.is_string()) {
        diagnostics.error(doc.mark_of(key), key.substr(1), "expected a board such as ppce500@1");
        return std::nullopt;
    }
    return ProfileRef{value.get<std::string>(), doc.mark_of(key), key};
}

// Every file says which format it is written in, so that a later format
// can change meanings without misreading old files.
bool has_format_version(const Document& doc, const std::string& file, Diagnostics& diagnostics) {
    if (doc.root.is_object() && doc.root.contains("vmcompose")) return true;
    diagnostics.error({file, 1, 1}, "", "missing `vmcompose: 1` (the format version of the file)",
                      "add `vmcompose: 1` as the first line");
    return false;
}

struct Chosen {
    BoardProfile profile;
    bool newest = false;
};

std::optional<Chosen> choose_profile(const ProfileRef& ref, Diagnostics& diagnostics) {
    auto parsed = parse_board_ref(ref.text);
    std::vector<BoardProfile> boards = list_boards(data_dir(), false);
    std::string available = "available boards: " + describe_boards(boards);
    if (!parsed) {
        diagnostics.error(ref.mark, ref.path.substr(1),
                          "'" + ref.text + "' is not a board name (NAME or NAME@VERSION)",
                          available);
        return std::nullopt;
    }
    std::vector<BoardProfile> versions;
    std::copy_if(boards.begin(), boards.end(), std::back_inserter(versions),
                 [&](const BoardProfile& b) { return b.name == parsed->name; });
    if (versions.empty()) {
        diagnostics.error(ref.mark, ref.path.substr(1), "unknown board '" + parsed->name + "'",
                          available);
        return std::nullopt;
    }
    if (!parsed->version) return Chosen{versions.back(), true};
    for (const BoardProfile& b : versions)
        if (b.version == *parsed->version) return Chosen{b, false};
    diagnostics.error(ref.mark, ref.path.substr(1),
                      "board '" + parsed->name + "' has no version " +
                          std::to_string(*parsed->version),
                      "available versions: " + describe_boards(versions));
    return std::nullopt;
}

std::string directory_of(const std::string& file) {
    return fs::absolute(fs::path(file)).parent_path().lexically_normal().string();
}

} // namespace

void make_paths_absolute(Document& doc, const std::string& base_dir) {
    absolutize(doc.root, "/kernel", base_dir);
    absolutize(doc.root, "/initrd", base_dir);
    if (!doc.root.is_object() || !doc.root.contains("devices") || !doc.root["devices"].is_object())
        return;
    for (auto& [name, device] : doc.root["devices"].items()) {
        std::string p = pointer_child("/devices", name);
        if (!device.is_object()) continue;
        absolutize(doc.root, p + "/image", base_dir);
        absolutize(doc.root, p + "/user/tftp", base_dir);
        absolutize(doc.root, p + "/console", base_dir, "file:");
    }
}

std::optional<Resolved> resolve_document(const std::string& file,
                                         const std::vector<std::string>& sets,
                                         Diagnostics& diagnostics) {
    auto top = load_yaml_file(file, diagnostics);
    if (!top) return std::nullopt;
    if (!top->root.is_object()) {
        model::SourceMark mark = top->mark_of("");
        if (mark.file.empty()) mark.file = file;
        diagnostics.error(mark, "",
                          top->root.is_null() ? "the file is empty"
                                              : "a machine file is a map of keys to values",
                          "start with `vmcompose: 1` and `board: ppce500@1`");
        return std::nullopt;
    }
    Resolved out;
    if (!has_format_version(*top, file, diagnostics)) return std::nullopt;
    make_paths_absolute(*top, directory_of(file));

    // Walk up the chain; each profile is merged under what names it.
    std::vector<Document> chain{std::move(*top)};
    std::vector<std::string> files{file};
    bool ok = true;
    for (;;) {
        auto ref = parent_of(chain.back(), diagnostics);
        if (!ref) break;
        auto chosen = choose_profile(*ref, diagnostics);
        if (!chosen) {
            ok = false;
            break;
        }
        if (chain.size() == 1) {
            out.board = chosen->profile.name;
            out.board_version = chosen->profile.version;
            out.newest_version = chosen->newest;
        }
        if (std::find(files.begin(), files.end(), chosen->profile.path) != files.end() ||
            chain.size() > 16) {
            diagnostics.error(ref->mark, ref->path.substr(1),
                              "profile chain loops back to " + chosen->profile.path);
            ok = false;
            break;
        }
        auto profile = load_yaml_file(chosen->profile.path, diagnostics);
        if (!profile) {
            ok = false;
            break;
        }
        if (!has_format_version(*profile, chosen->profile.path, diagnostics)) {
            ok = false;
            break;
        }
        make_paths_absolute(*profile, directory_of(chosen->profile.path));
        chain.push_back(std::move(*profile));
        files.push_back(chosen->profile.path);
    }
    if (!ok) return std::nullopt;
    if (out.board.empty()) {
        if (auto self = board_of_profile_path(file)) {
            out.board = self->name;
            out.board_version = self->version;
        }
    }

    for (std::size_t i = chain.size(); i-- > 0;) {
        merge_document(out.doc, chain[i]);
        out.layers.push_back(files[i]);
    }
    std::string cwd = fs::current_path().string();
    for (const std::string& flag : sets) {
        auto set = parse_set_flag(flag, diagnostics);
        if (!set) {
            ok = false;
            continue;
        }
        make_paths_absolute(*set, cwd);
        merge_document(out.doc, *set);
    }
    if (!ok) return std::nullopt;
    // `extends:` only links profiles; `board:` is what the VM file said.
    out.doc.root.erase("extends");
    out.doc.erase_marks("/extends");
    return out;
}

} // namespace vmc::config
