// YAML text -> Document, with YAML 1.2 core-schema scalars (`0x10` is an
// integer, `"0x10"` and `yes` are strings, `~` is null), duplicate keys and
// tab indentation reported as diagnostics.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/diagnostics.hpp"
#include "config/document.hpp"

namespace vmc::config {

// `source_name` is what marks carry as their file. Every value and key is
// marked; `prefix` is prepended to every pointer (used to root a --set value).
std::optional<Document> load_yaml_text(std::string_view text, const std::string& source_name,
                                       Diagnostics& diagnostics, const std::string& prefix = "");

// Reads and loads a file; an unreadable file is a diagnostic.
std::optional<Document> load_yaml_file(const std::string& path, Diagnostics& diagnostics);

// The core-schema value of one plain (unquoted) scalar.
nlohmann::json resolve_plain_scalar(const std::string& text);

} // namespace vmc::config
