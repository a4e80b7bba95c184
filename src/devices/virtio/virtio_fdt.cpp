#include "devices/virtio/virtio_fdt.hpp"

#include "devices/virtio/virtio_config.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::virtio {

void emit_mmio_node(const model::Device& device, const MmioConfig& config, fdt::EmitContext& ctx) {
    auto node = ctx.begin_device_node("virtio_mmio", device);
    ctx.interrupts(device);
    ctx.reg(device);
    ctx.out.prop_strings("compatible", config.compatible);
}

} // namespace vmc::devices::virtio
