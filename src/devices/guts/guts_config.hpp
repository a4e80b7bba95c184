// fsl-guts (global utilities, reset control): typed configuration.
#pragma once

#include <string>
#include <vector>

#include "devices/config.hpp"

namespace vmc::devices::guts {

struct Config {
    std::vector<std::string> compatible;
    bool has_rstcr = false; // RSTCR at +0xb0 resets the machine
};

inline Config parse(const model::Device& d) {
    Config c;
    c.compatible = field<std::vector<std::string>>(d, "compatible");
    c.has_rstcr = field<bool>(d, "has-rstcr");
    return c;
}

} // namespace vmc::devices::guts
