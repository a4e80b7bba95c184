// virtio-net: typed configuration.
#pragma once

#include <string>

#include "devices/props.hpp"

namespace vmc::devices::virtio_net {

struct Config {
    std::string tap; // host tap interface name
    std::string mac; // "52:54:00:12:34:56"; empty: derived from the device name
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "tap", std::string()), prop(d, "mac", std::string())};
}

} // namespace vmc::devices::virtio_net
