// virtio-net: virtio-mmio network device on a host tap interface, as a device kind.
#include "devices/virtio_net/kind.hpp"
#include "devices/virtio_net/virtio_net_config.hpp"

namespace vmc::devices::virtio_net {

namespace {

constexpr DeviceKind kKind{
    .type = "virtio-net",
    .description = "virtio-mmio network device on a host tap interface",
    .schema_fragment = "devices/virtio-net.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::virtio_net
