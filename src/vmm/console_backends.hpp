// The console backends behind vmm::open_console, one file each.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "vmm/console.hpp"

namespace vmc::vmm {

// Writes all of `bytes` to a blocking fd, retrying short writes and EINTR.
// Returns false when the fd refuses (closed pipe or peer).
bool write_all(int fd, std::span<const uint8_t> bytes);

std::unique_ptr<Console> open_stdio_console(const ConsoleContext& context);
std::unique_ptr<Console> open_file_console(const std::string& path);
std::unique_ptr<Console> open_unix_console(const std::string& path, bool wait, EventLoop& events);
// `inner` with a copy of its output in `log` (input and breaks pass through).
std::unique_ptr<Console> with_log(std::unique_ptr<Console> inner, const std::string& log);

} // namespace vmc::vmm
