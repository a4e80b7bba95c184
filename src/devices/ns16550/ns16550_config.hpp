// ns16550: typed configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/console_prop.hpp"
#include "devices/props.hpp"

namespace vmc::devices::ns16550 {

struct Config {
    std::vector<std::string> compatible; // default {"ns16550"}
    uint32_t clock_frequency;            // input clock, Hz
    uint32_t reg_shift;                  // register stride = 1 << reg_shift
    uint32_t cell_index;
    std::string alias; // e.g. "serial0" (empty: none)
    vmm::ConsoleSpec console;
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "compatible", std::vector<std::string>{"ns16550"}),
                  prop(d, "clock-frequency", uint32_t{400'000'000}),
                  prop(d, "reg-shift", uint32_t{0}),
                  prop(d, "cell-index", uint32_t{0}),
                  prop(d, "alias", std::string()),
                  console_prop(d, "stdio")};
}

} // namespace vmc::devices::ns16550
