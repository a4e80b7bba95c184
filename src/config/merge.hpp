// Resolution of layered documents: profile chain, then the file, then each
// --set flag, all through the one merge below.
#pragma once

#include <optional>
#include <string>

#include "config/diagnostics.hpp"
#include "config/document.hpp"

namespace vmc::config {

// Merges `overlay` into `base`. Maps merge key by key (so a file overrides
// one field of a profile's device, or adds a device); anything else replaces
// what was there; `null` removes the key. A device whose `type` changes is
// replaced whole, so no field of the old kind leaks into the new one.
void merge_document(Document& base, const Document& overlay);

// `--set devices.disk0.image=a.img` as a document: the value is YAML (a
// scalar or a flow list/map), an empty value is null (removes the key).
std::optional<Document> parse_set_flag(const std::string& flag, Diagnostics& diagnostics);

} // namespace vmc::config
