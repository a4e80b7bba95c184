// mpc8xxx-gpio: device-tree node.
#include "devices/gpio/gpio_config.hpp"
#include "devices/kinds.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::gpio {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    Config config = parse(device);
    auto node = ctx.begin_device_node("gpio", device);
    ctx.phandle(device);
    ctx.out.prop_empty("gpio-controller");
    ctx.out.prop_u32("#gpio-cells", 2);
    ctx.interrupts(device);
    ctx.reg(device);
    ctx.out.prop_strings("compatible", config.compatible);
}

} // namespace vmc::devices::gpio
