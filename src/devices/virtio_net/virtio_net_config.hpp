// virtio-net: typed configuration.
#pragma once

#include <string>

#include "devices/virtio/virtio_config.hpp"

namespace vmc::devices::virtio_net {

struct Config : virtio::MmioConfig {
    std::string tap; // host tap interface name
    std::string mac; // "52:54:00:12:34:56"; empty: derived from the device name
};

inline Config parse(const model::Device& d) {
    Config c;
    virtio::parse_mmio(d, c);
    c.tap = field<std::string>(d, "tap");
    c.mac = optional_field<std::string>(d, "mac").value_or("");
    return c;
}

} // namespace vmc::devices::virtio_net
