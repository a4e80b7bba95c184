// fsl-mpic: device-tree node (the Freescale MPIC binding, as Linux's
// mpic.c and QEMU's ppce500 tree have it).
#include "devices/mpic/kind.hpp"
#include "devices/mpic/mpic_config.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::mpic {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("pic", device);
    ctx.out.prop_empty("interrupt-controller");
    ctx.phandle(device);
    ctx.out.prop_u32("#interrupt-cells", device_kind().interrupts->cells);
    ctx.out.prop_u32("#address-cells", 0);
    ctx.reg(device);
    ctx.out.prop_strings("compatible", config.compatible);
    ctx.out.prop_string("device_type", "open-pic");
}

} // namespace vmc::devices::mpic
