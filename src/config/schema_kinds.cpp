#include "config/schema_kinds.hpp"

#include <fmt/format.h>

#include "devices/registry.hpp"

namespace vmc::config {

namespace {
constexpr std::string_view kFirstLine =
    "      # Generated from the device kinds' registrations (src/devices/*/kind.cpp)";
} // namespace

std::string device_kinds_schema_text() {
    std::string out(kFirstLine);
    out += "\n      # to the end of this file: `vmc-schema-bundle --write-kinds schemas` "
           "rewrites it.\n";
    out += "      type:\n        description: Device kind.\n        enum:\n";
    for (const devices::DeviceKind* kind : devices::device_kinds())
        out += fmt::format("          - {}\n", kind->type);
    out += "    allOf:\n";
    for (const devices::DeviceKind* kind : devices::device_kinds())
        out += fmt::format("      - if: {{required: [type], properties: {{type: {{const: {}}}}}}}\n"
                           "        then: {{$ref: {}}}\n",
                           kind->type, kind->schema_fragment);
    return out;
}

std::optional<std::string> with_generated_kinds(const std::string& schema_text) {
    std::size_t at = schema_text.find(kFirstLine);
    if (at == std::string::npos) return std::nullopt;
    return schema_text.substr(0, at) + device_kinds_schema_text();
}

} // namespace vmc::config
