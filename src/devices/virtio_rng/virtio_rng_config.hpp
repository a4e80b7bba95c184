// virtio-rng: no fields of its own beyond the virtio-mmio ones.
#pragma once

#include "devices/virtio/virtio_config.hpp"

namespace vmc::devices::virtio_rng {

struct Config : virtio::MmioConfig {};

inline Config parse(const model::Device& d) {
    Config c;
    virtio::parse_mmio(d, c);
    return c;
}

} // namespace vmc::devices::virtio_rng
