#include "config/diagnostics.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace vmc::config {

void Diagnostics::error(model::SourceMark mark, std::string path, std::string message,
                        std::string hint) {
    items_.push_back(
        Diagnostic{std::move(mark), std::move(path), std::move(message), std::move(hint)});
}

void Diagnostics::add(Diagnostic diagnostic) {
    items_.push_back(std::move(diagnostic));
}

namespace {
auto sort_key(const Diagnostic& d) {
    return std::tie(d.mark.file, d.mark.line, d.mark.column, d.path, d.message, d.hint);
}
} // namespace

std::vector<Diagnostic> Diagnostics::sorted() const {
    std::vector<Diagnostic> out = items_;
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return sort_key(a) < sort_key(b);
    });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Diagnostic& a, const Diagnostic& b) {
                              return sort_key(a) == sort_key(b);
                          }),
              out.end());
    return out;
}

namespace {

// Lines of the files the diagnostics name, read once per file.
class SourceLines {
public:
    const std::string* line(const std::string& file, int number) {
        auto it = files_.find(file);
        if (it == files_.end()) {
            std::vector<std::string> lines;
            std::ifstream in(file);
            for (std::string text; std::getline(in, text);)
                lines.push_back(std::move(text));
            it = files_.emplace(file, std::move(lines)).first;
        }
        if (number < 1 || static_cast<std::size_t>(number) > it->second.size()) return nullptr;
        return &it->second[static_cast<std::size_t>(number - 1)];
    }

private:
    std::map<std::string, std::vector<std::string>> files_;
};

// The caret sits under the same character: tabs are copied so that the
// terminal expands them the same way in both lines.
std::string caret_line(const std::string& source, int column) {
    std::string out;
    for (int i = 0; i + 1 < column && static_cast<std::size_t>(i) < source.size(); ++i)
        out += source[static_cast<std::size_t>(i)] == '\t' ? '\t' : ' ';
    return out + '^';
}

} // namespace

std::string format_diagnostics(const Diagnostics& diagnostics) {
    SourceLines sources;
    std::string out;
    for (const Diagnostic& d : diagnostics.sorted()) {
        std::string where = d.mark.file;
        if (d.mark.line > 0) where += fmt::format(":{}:{}", d.mark.line, d.mark.column);
        std::string path = d.path.empty() ? "" : d.path + ": ";
        out += fmt::format("{}: error: {}{}\n", where, path, d.message);
        if (d.mark.line > 0) {
            if (const std::string* text = sources.line(d.mark.file, d.mark.line)) {
                std::string number = std::to_string(d.mark.line);
                out += fmt::format(" {} | {}\n", number, *text);
                out += fmt::format(" {} | {}\n", std::string(number.size(), ' '),
                                   caret_line(*text, d.mark.column));
            }
        }
        if (!d.hint.empty()) out += fmt::format("  hint: {}\n", d.hint);
    }
    return out;
}

void print_diagnostics(const Diagnostics& diagnostics, std::FILE* out) {
    std::string text = format_diagnostics(diagnostics);
    std::fwrite(text.data(), 1, text.size(), out);
}

} // namespace vmc::config
