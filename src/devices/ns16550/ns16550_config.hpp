// ns16550: typed configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/config.hpp"
#include "devices/console_prop.hpp"

namespace vmc::devices::ns16550 {

struct Config {
    std::vector<std::string> compatible;
    uint32_t clock_frequency = 0; // input clock, Hz
    uint32_t reg_shift = 0;       // register stride = 1 << reg_shift
    uint32_t cell_index = 0;
    std::string alias; // e.g. "serial0" (empty: none)
    vmm::ConsoleSpec console;
};

inline Config parse(const model::Device& d) {
    Config c;
    c.compatible = field<std::vector<std::string>>(d, "compatible");
    c.clock_frequency = field<uint32_t>(d, "clock-frequency");
    c.reg_shift = field<uint32_t>(d, "reg-shift");
    c.cell_index = field<uint32_t>(d, "cell-index");
    c.alias = optional_field<std::string>(d, "alias").value_or("");
    c.console = console_field(d);
    return c;
}

} // namespace vmc::devices::ns16550
