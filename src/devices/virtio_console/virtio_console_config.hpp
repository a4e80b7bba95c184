// virtio-console: typed configuration.
#pragma once

#include <string>

#include "devices/virtio/virtio_config.hpp"

namespace vmc::devices::virtio_console {

struct Config : virtio::MmioConfig {
    std::string console; // console backend spec for port 0
};

inline Config parse(const model::Device& d) {
    Config c;
    virtio::parse_mmio(d, c);
    c.console = field<std::string>(d, "console");
    return c;
}

} // namespace vmc::devices::virtio_console
