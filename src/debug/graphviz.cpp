#include "debug/graphviz.hpp"

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

namespace vmc::debug {

std::optional<std::string> find_program(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/bin:/bin";
    while (true) {
        size_t colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        if (colon == std::string_view::npos) return std::nullopt;
        rest.remove_prefix(colon + 1);
    }
}

std::string render_with_dot(const std::string& dot_text, const std::string& format) {
    auto dot = find_program("dot");
    if (!dot)
        return "--format " + format +
               " needs Graphviz's `dot` program, which is not on PATH (Debian: apt-get install "
               "graphviz); --format dot prints the graph for rendering elsewhere";
    std::fflush(stdout);
    std::string command = fmt::format("'{}' -T{}", *dot, format);
    FILE* pipe = ::popen(command.c_str(), "w");
    if (!pipe) return "cannot start " + *dot;
    size_t written = std::fwrite(dot_text.data(), 1, dot_text.size(), pipe);
    int status = ::pclose(pipe);
    if (written != dot_text.size()) return "cannot write the graph to " + *dot;
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fmt::format("{} -T{} failed", *dot, format);
    return {};
}

} // namespace vmc::debug
