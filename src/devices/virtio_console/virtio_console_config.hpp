// virtio-console: typed configuration.
#pragma once

#include <string>

#include "devices/console_prop.hpp"
#include "devices/virtio/virtio_config.hpp"

namespace vmc::devices::virtio_console {

struct Config : virtio::MmioConfig {
    vmm::ConsoleSpec console; // port 0
};

inline Config parse(const model::Device& d) {
    Config c;
    virtio::parse_mmio(d, c);
    c.console = console_field(d);
    return c;
}

} // namespace vmc::devices::virtio_console
