// mpc8xxx-gpio (Freescale/QorIQ GPIO block): typed configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/config.hpp"

namespace vmc::devices::gpio {

constexpr uint32_t kLines = 32; // one bit per line in each 32-bit register

struct Config {
    std::vector<std::string> compatible;
    uint32_t ngpios = 0; // lines 0 .. ngpios-1 exist (at most kLines)
};

inline Config parse(const model::Device& d) {
    Config c;
    c.compatible = field<std::vector<std::string>>(d, "compatible");
    c.ngpios = field<uint32_t>(d, "ngpios");
    return c;
}

} // namespace vmc::devices::gpio
