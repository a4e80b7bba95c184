// fsl-mpic: typed configuration (read by the device-tree node, the runtime
// device and the KVM engine's in-kernel MPIC).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/config.hpp"

namespace vmc::devices::mpic {

struct Config {
    std::vector<std::string> compatible;
    std::string version;  // "2.0" (QEMU's MPC8544 MPIC) or "4.2"
    uint32_t sources = 0; // number of interrupt sources
    uint32_t timers = 0;  // global timers that exist (the first group of 4)
};

inline Config parse(const model::Device& d) {
    Config c;
    c.compatible = field<std::vector<std::string>>(d, "compatible");
    c.version = field<std::string>(d, "version");
    c.sources = field<uint32_t>(d, "sources");
    c.timers = field<uint32_t>(d, "timers");
    return c;
}

// The device's MPIC configuration; nullptr when it is not an MPIC.
inline const Config* config_if_mpic(const model::Device& d) {
    return config_if<Config>(d);
}

} // namespace vmc::devices::mpic
