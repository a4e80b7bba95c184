// Builds the one resolved document a machine is made from: the board
// profile chain (`board:` / `extends:`), the file, then the --set flags.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/document.hpp"

namespace vmc::config {

struct Resolved {
    Document doc;
    std::string board; // resolved board name (empty: the file names none)
    uint32_t board_version = 0;
    bool newest_version = false;     // the file named the board without a version
    std::vector<std::string> layers; // files merged, profile chain first
};

std::optional<Resolved> resolve_document(const std::string& file,
                                         const std::vector<std::string>& sets,
                                         Diagnostics& diagnostics);

// Rewrites relative paths (kernel, initrd, device images, console
// `file:`/`unix:` specs) of `doc` against `base_dir`.
void make_paths_absolute(Document& doc, const std::string& base_dir);

} // namespace vmc::config
