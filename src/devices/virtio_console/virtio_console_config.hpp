// virtio-console: typed configuration.
#pragma once

#include <string>

#include "devices/props.hpp"

namespace vmc::devices::virtio_console {

struct Config {
    std::string console; // console backend spec for port 0
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "console", std::string("null"))};
}

} // namespace vmc::devices::virtio_console
