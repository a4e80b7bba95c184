// Reading a device's `console:` field: a backend spec ("stdio", "file:PATH",
// ...) or {backend, log, wait}. The schema has already checked the shape.
#pragma once

#include <string>

#include "model/machine.hpp"
#include "vmm/console.hpp"

namespace vmc::devices {

inline vmm::ConsoleSpec console_prop(const model::Device& d, const char* fallback) {
    auto it = d.props.find("console");
    if (it == d.props.end() || it->is_null()) return {fallback, {}, false};
    if (it->is_string()) return {it->get<std::string>(), {}, false};
    return {it->value("backend", std::string(fallback)), it->value("log", std::string()),
            it->value("wait", false)};
}

} // namespace vmc::devices
