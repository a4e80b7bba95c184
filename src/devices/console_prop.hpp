// Reading a device's `console:` field: a backend spec ("stdio", "file:PATH",
// ...) or {backend, log, wait}. The schema has checked the shape and given
// the kind's default backend.
#pragma once

#include <string>

#include "devices/config.hpp"
#include "vmm/console.hpp"

namespace vmc::devices {

inline vmm::ConsoleSpec console_field(const model::Device& d) {
    const nlohmann::json& object = d.props.at("console");
    if (object.is_string()) return {object.get<std::string>(), {}, false};
    return {object.at("backend").get<std::string>(), object.value("log", std::string()),
            object.value("wait", false)};
}

} // namespace vmc::devices
