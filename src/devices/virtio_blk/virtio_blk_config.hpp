// virtio-blk: typed configuration.
#pragma once

#include <string>

#include "devices/props.hpp"

namespace vmc::devices::virtio_blk {

struct Config {
    std::string image; // absolute path of the raw disk image
    bool readonly;
    std::string serial; // GET_ID answer (20 bytes max)
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "image", std::string()), prop(d, "readonly", false),
                  prop(d, "serial", d.name)};
}

} // namespace vmc::devices::virtio_blk
