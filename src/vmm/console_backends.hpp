// The console backends behind vmm::open_console, one file each.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vmm/console.hpp"

namespace vmc::vmm {

// Writes all of `bytes` to a blocking fd, retrying short writes and EINTR.
// Returns false when the fd refuses (closed pipe or peer).
bool write_all(int fd, std::span<const uint8_t> bytes);

// The stdio console's escape key: Ctrl-A x quits, Ctrl-A Ctrl-A sends one
// Ctrl-A, Ctrl-A followed by anything else is swallowed with it (as in
// QEMU). State carries across calls: the two keys may arrive apart.
class EscapeFilter {
public:
    static constexpr uint8_t kEscape = 0x01; // Ctrl-A
    // Appends the bytes meant for the guest to `out`; true when the user asked to quit
    // (bytes after the quit key are not looked at).
    bool filter(std::span<const uint8_t> in, std::vector<uint8_t>& out);

private:
    bool escape_ = false;
};

std::unique_ptr<Console> open_stdio_console(EventLoop& events, VmControl& control);
std::unique_ptr<Console> open_file_console(const std::string& path);
std::unique_ptr<Console> open_unix_console(const std::string& path, EventLoop& events);

} // namespace vmc::vmm
