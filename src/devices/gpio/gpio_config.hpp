// mpc8xxx-gpio (Freescale/QorIQ GPIO block): typed configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/props.hpp"

namespace vmc::devices::gpio {

struct Config {
    std::vector<std::string> compatible; // default {"fsl,qoriq-gpio"}
    uint32_t ngpios;                     // 32
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "compatible", std::vector<std::string>{"fsl,qoriq-gpio"}),
                  prop(d, "ngpios", uint32_t{32})};
}

} // namespace vmc::devices::gpio
