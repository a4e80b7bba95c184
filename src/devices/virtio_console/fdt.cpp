// virtio-console: device-tree node (a virtio-mmio transport; the driver learns the
// device type from its registers).
#include "devices/virtio/virtio_fdt.hpp"
#include "devices/virtio_console/kind.hpp"
#include "devices/virtio_console/virtio_console_config.hpp"

namespace vmc::devices::virtio_console {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    virtio::emit_mmio_node(device, config_of<Config>(device), ctx);
}

} // namespace vmc::devices::virtio_console
