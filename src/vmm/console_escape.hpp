// The terminal console's escape key, Ctrl-A, with QEMU's meanings:
//   Ctrl-A h        list the escapes
//   Ctrl-A x        quit
//   Ctrl-A b        send a break on the console line (Linux: SysRq)
//   Ctrl-A c        switch between the guest's console and the monitor
//   Ctrl-A Ctrl-A   send one Ctrl-A
// Ctrl-A followed by any other key is swallowed with it. State carries
// across calls: the two keys may arrive in different reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vmc::vmm {

class EscapeParser {
public:
    static constexpr uint8_t kEscape = 0x01; // Ctrl-A

    enum class Command { None, Help, Quit, Break, Monitor };
    struct Result {
        Command command = Command::None;
        size_t consumed = 0; // bytes of the input read, up to and including the command key
    };

    // Reads `in` up to the first escape command (or to its end), appending the
    // bytes meant for the guest (or the monitor) to `out`.
    Result parse(std::span<const uint8_t> in, std::vector<uint8_t>& out);

    // What Ctrl-A h prints.
    static std::string_view help();

private:
    bool escape_ = false;
};

} // namespace vmc::vmm
