// Problems found in a machine file, as values: collected over a whole run,
// sorted by position and printed like a compiler's messages.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "model/machine.hpp"

namespace vmc::config {

struct Diagnostic {
    model::SourceMark mark; // line 0: no position (a whole file, or a --set flag)
    std::string path;       // dotted path of the value ("devices.disk0.image"); empty: none
    std::string message;    // what is wrong, short
    std::string hint;       // what would be right; may be empty
};

class Diagnostics {
public:
    void error(model::SourceMark mark, std::string path, std::string message,
               std::string hint = {});
    void add(Diagnostic diagnostic);

    bool has_errors() const { return !items_.empty(); }
    std::size_t size() const { return items_.size(); }
    // Sorted by file, line, column, then path and message; duplicates removed.
    std::vector<Diagnostic> sorted() const;
    const std::vector<Diagnostic>& items() const { return items_; }

private:
    std::vector<Diagnostic> items_;
};

// Prints `file:line:col: error: path: message`, the source line and a caret
// under the column, then the hint.
void print_diagnostics(const Diagnostics& diagnostics, std::FILE* out);
std::string format_diagnostics(const Diagnostics& diagnostics);

} // namespace vmc::config
