#include "cli/trace_option.hpp"

#include <sstream>

namespace vmc::cli {

std::optional<TraceSpec> parse_trace(const std::string& list, std::string& error) {
    TraceSpec spec;
    std::istringstream items(list);
    std::string item;
    while (std::getline(items, item, ',')) {
        auto eq = item.find('=');
        std::string what = item.substr(0, eq);
        std::string file = eq == std::string::npos ? std::string() : item.substr(eq + 1);
        if (eq != std::string::npos && file.empty()) {
            error = "'" + item + "' names no file after '='";
            return std::nullopt;
        }
        if (what == "exec") {
            spec.exec_path = file.empty() ? "vmcompose-exec.trace" : file;
        } else if (what == "mmio" || what == "irq") {
            (what == "mmio" ? spec.mmio : spec.irq) = true;
            if (!file.empty() && !spec.device_path.empty() && file != spec.device_path) {
                error = "mmio and irq share one trace file; give it once";
                return std::nullopt;
            }
            if (!file.empty()) spec.device_path = file;
        } else {
            error = "unknown trace '" + what + "'; expected exec[=FILE], mmio[=FILE] or irq[=FILE]";
            return std::nullopt;
        }
    }
    if (spec.exec_path.empty() && !spec.mmio && !spec.irq) {
        error = "nothing to trace; expected exec[=FILE], mmio[=FILE] or irq[=FILE]";
        return std::nullopt;
    }
    return spec;
}

} // namespace vmc::cli
