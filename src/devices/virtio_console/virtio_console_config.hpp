// virtio-console: typed configuration.
#pragma once

#include <string>

#include "devices/console_prop.hpp"

namespace vmc::devices::virtio_console {

struct Config {
    vmm::ConsoleSpec console; // port 0
};

inline Config parse(const model::Device& d) {
    return Config{console_prop(d, "null")};
}

} // namespace vmc::devices::virtio_console
