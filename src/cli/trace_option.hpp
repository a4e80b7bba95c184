// `--trace LIST`: what `up` traces and where. LIST is comma-separated:
//   exec[=FILE]   every instruction with the CPU state (default vmcompose-exec.trace)
//   mmio[=FILE]   every device register access
//   irq[=FILE]    interrupt lines raised and lowered, vectors the CPUs take
// mmio and irq share one stream: stderr unless a FILE is given.
#pragma once

#include <optional>
#include <string>

namespace vmc::cli {

struct TraceSpec {
    std::string exec_path; // empty: no instruction trace
    bool mmio = false;
    bool irq = false;
    std::string device_path; // empty: stderr
};

// std::nullopt and `error` set when LIST names something unknown or gives
// mmio and irq different files.
std::optional<TraceSpec> parse_trace(const std::string& list, std::string& error);

} // namespace vmc::cli
