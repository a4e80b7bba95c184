// virtio-rng: no fields of its own beyond the virtio-mmio ones.
#pragma once

namespace vmc::devices::virtio_rng {
struct Config {};
} // namespace vmc::devices::virtio_rng
