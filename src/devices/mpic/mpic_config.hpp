// fsl-mpic: typed configuration (read by the device-tree node and the runtime device).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/props.hpp"

namespace vmc::devices::mpic {

struct Config {
    std::vector<std::string> compatible; // default {"fsl,mpic"}
    std::string version;                 // "2.0" (QEMU's MPC8544 MPIC) or "4.2"
    uint32_t sources;                    // number of interrupt sources
    uint32_t timers;                     // global timers (4 per group)
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "compatible", std::vector<std::string>{"fsl,mpic"}),
                  prop(d, "version", std::string("2.0")), prop(d, "sources", uint32_t{256}),
                  prop(d, "timers", uint32_t{4})};
}

} // namespace vmc::devices::mpic
