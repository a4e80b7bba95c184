// Rendering dot text with Graphviz's `dot` program, when it is installed.
#pragma once

#include <optional>
#include <string>

namespace vmc::debug {

// Full path of `program` found on $PATH, or nullopt.
std::optional<std::string> find_program(const std::string& program);

// Runs `dot -T<format>` on `dot_text`, its output going to this process's
// stdout. Returns an empty string on success, else what went wrong.
std::string render_with_dot(const std::string& dot_text, const std::string& format);

} // namespace vmc::debug
