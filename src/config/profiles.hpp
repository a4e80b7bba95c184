// Versioned board profiles: machines/<board>/v<N>.yaml under the data dir.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmc::config {

// VMCOMPOSE_DATA_DIR when set, else the directory compiled in.
std::string data_dir();

struct BoardRef {
    std::string name;
    std::optional<uint32_t> version; // none: the newest
};

// "ppce500@1" or "ppce500"; nullopt when malformed.
std::optional<BoardRef> parse_board_ref(const std::string& text);

struct BoardProfile {
    std::string name;
    uint32_t version = 0;
    std::string path;        // absolute path of the profile file
    std::string description; // its `description:`
};

// Every profile under `dir`/machines, sorted by name then version.
// Reading descriptions opens every profile, so it is asked for.
std::vector<BoardProfile> list_boards(const std::string& dir, bool with_descriptions = true);

// "ppce500@1, ppce500@2, other@1"
std::string describe_boards(const std::vector<BoardProfile>& boards);

// The board a profile file is, when it lives at .../machines/<board>/v<N>.yaml.
std::optional<BoardProfile> board_of_profile_path(const std::string& path);

} // namespace vmc::config
