// Fields every virtio-mmio device kind shares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/props.hpp"

namespace vmc::devices::virtio {

constexpr uint64_t kMmioWindowSize = 0x200; // virtio-mmio register block

struct MmioConfig {
    std::vector<std::string> compatible; // default {"virtio,mmio"}
    uint32_t queue_size_max;             // largest queue the device offers
};

inline MmioConfig parse_mmio(const model::Device& d) {
    return MmioConfig{prop(d, "compatible", std::vector<std::string>{"virtio,mmio"}),
                      prop(d, "queue-size-max", uint32_t{256})};
}

} // namespace vmc::devices::virtio
