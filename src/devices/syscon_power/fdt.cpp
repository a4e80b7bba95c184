// syscon-power: device-tree nodes. The block is a "syscon" with
// "simple-mfd", so Linux creates its children: a syscon-poweroff and a
// syscon-reboot node pointing back at it through `regmap`. `big-endian`
// makes Linux's regmap access the registers as the rest of CCSR is.
#include "devices/syscon_power/kind.hpp"
#include "devices/syscon_power/syscon_power_config.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::syscon_power {

namespace {
void emit_action(fdt::EmitContext& ctx, const model::Device& device, const char* node,
                 const char* compatible, const Action& action) {
    auto child = ctx.out.begin_node(node);
    ctx.out.prop_string("compatible", compatible);
    ctx.out.prop_u32("regmap", ctx.phandle_of(device.name));
    ctx.out.prop_u32("offset", action.offset);
    ctx.out.prop_u32("value", action.value);
    ctx.out.prop_u32("mask", action.mask);
}
} // namespace

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("syscon", device);
    ctx.phandle(device);
    ctx.reg(device);
    ctx.out.prop_strings("compatible", config.compatible);
    ctx.out.prop_empty("big-endian");
    if (config.poweroff) emit_action(ctx, device, "poweroff", "syscon-poweroff", *config.poweroff);
    if (config.reboot) emit_action(ctx, device, "reboot", "syscon-reboot", *config.reboot);
}

} // namespace vmc::devices::syscon_power
