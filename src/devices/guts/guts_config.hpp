// fsl-guts (global utilities, reset control): typed configuration.
#pragma once

#include <string>
#include <vector>

#include "devices/props.hpp"

namespace vmc::devices::guts {

struct Config {
    std::vector<std::string> compatible; // default {"fsl,mpc8544-guts"}
    bool has_rstcr;                      // RSTCR at +0xb0 resets the machine
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "compatible", std::vector<std::string>{"fsl,mpc8544-guts"}),
                  prop(d, "has-rstcr", true)};
}

} // namespace vmc::devices::guts
