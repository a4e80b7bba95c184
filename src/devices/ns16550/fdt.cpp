// ns16550: device-tree node.
#include "devices/ns16550/kind.hpp"
#include "devices/ns16550/ns16550_config.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::ns16550 {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("serial", device);
    ctx.interrupts(device);
    ctx.out.prop_u32("clock-frequency", config.clock_frequency);
    ctx.out.prop_u32("cell-index", config.cell_index);
    ctx.reg(device);
    if (config.reg_shift) ctx.out.prop_u32("reg-shift", config.reg_shift);
    ctx.out.prop_strings("compatible", config.compatible);
    // device_type "serial" lets Linux's early udbg console find the port.
    ctx.out.prop_string("device_type", "serial");
    if (!config.alias.empty()) ctx.alias(config.alias, device);
}

} // namespace vmc::devices::ns16550
