// The monitor as the consoles see it: a command line in, its answer out.
// The monitor itself (debug/monitor.hpp) needs the engine's debug target;
// the terminal console only needs this.
#pragma once

#include <string>
#include <string_view>

namespace vmc::vmm {

class MonitorPort {
public:
    virtual ~MonitorPort() = default;
    // Runs one command line; the text to show (each line ends in '\n').
    virtual std::string execute(std::string_view line) = 0;
    // The one-line prompt to show before reading a command.
    virtual std::string_view prompt() const { return "(vmcompose) "; }
};

} // namespace vmc::vmm
