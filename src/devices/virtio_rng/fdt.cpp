// virtio-rng: device-tree node (a virtio-mmio transport; the driver learns the
// device type from its registers).
#include "devices/virtio/virtio_fdt.hpp"
#include "devices/virtio_rng/kind.hpp"
#include "devices/virtio_rng/virtio_rng_config.hpp"

namespace vmc::devices::virtio_rng {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    virtio::emit_mmio_node(device, config_of<Config>(device), ctx);
}

} // namespace vmc::devices::virtio_rng
