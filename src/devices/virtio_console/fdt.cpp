// virtio-console: device-tree node (a virtio-mmio transport; the driver learns the
// device type from its registers).
#include "devices/kinds.hpp"
#include "devices/virtio/virtio_fdt.hpp"

namespace vmc::devices::virtio_console {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    virtio::emit_mmio_node(device, ctx);
}

} // namespace vmc::devices::virtio_console
