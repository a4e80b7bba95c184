// The part of schemas/machine.schema.yaml that names the device kinds (the
// `type` enum and the per-kind dispatch to fragments) is generated from
// the kinds' registrations, so the schema editors read cannot drift from
// the kinds vmcompose has. It is the file's tail, from its first line on.
#pragma once

#include <optional>
#include <string>

namespace vmc::config {

// The generated tail, ending in a newline.
std::string device_kinds_schema_text();

// `schema_text` (machine.schema.yaml) with its tail replaced by the
// generated one; nothing when the text has no such tail to replace.
std::optional<std::string> with_generated_kinds(const std::string& schema_text);

} // namespace vmc::config
