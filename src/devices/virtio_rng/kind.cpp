// virtio-rng: virtio-mmio entropy source (host getrandom), as a device kind.
#include "devices/virtio_rng/kind.hpp"
#include "devices/virtio_rng/virtio_rng_config.hpp"

namespace vmc::devices::virtio_rng {

namespace {

constexpr DeviceKind kKind{
    .type = "virtio-rng",
    .description = "virtio-mmio entropy source (host getrandom)",
    .schema_fragment = "devices/virtio-rng.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::virtio_rng
