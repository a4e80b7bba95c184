// Output files of the CLI are written to a temporary file next to the
// target and renamed into place: a reader never sees half a file and a
// failed write leaves the old one.
#pragma once

#include <string>
#include <string_view>

namespace vmc::cli {

// Throws std::runtime_error naming `flag` (the option that asked for the file).
void write_atomically(const std::string& path, std::string_view bytes, std::string_view flag);

} // namespace vmc::cli
