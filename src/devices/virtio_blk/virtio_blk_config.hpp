// virtio-blk: typed configuration.
#pragma once

#include <string>

#include "devices/virtio/virtio_config.hpp"

namespace vmc::devices::virtio_blk {

struct Config : virtio::MmioConfig {
    std::string image; // absolute path of the raw disk image
    bool readonly = false;
    std::string serial; // GET_ID answer (20 bytes max); the device's name unless given
};

inline Config parse(const model::Device& d) {
    Config c;
    virtio::parse_mmio(d, c);
    c.image = field<std::string>(d, "image");
    c.readonly = field<bool>(d, "readonly");
    c.serial = optional_field<std::string>(d, "serial").value_or(d.name);
    return c;
}

} // namespace vmc::devices::virtio_blk
