// Fields every virtio-mmio device kind shares: each kind's Config derives
// from MmioConfig, so the transport reads them through config_of<MmioConfig>.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/config.hpp"

namespace vmc::devices::virtio {

constexpr uint64_t kMmioWindowSize = 0x200; // virtio-mmio register block

struct MmioConfig {
    std::vector<std::string> compatible;
    uint32_t queue_size_max = 0; // largest queue the device offers
};

inline void parse_mmio(const model::Device& d, MmioConfig& out) {
    out.compatible = field<std::vector<std::string>>(d, "compatible");
    out.queue_size_max = field<uint32_t>(d, "queue-size-max");
}

} // namespace vmc::devices::virtio
