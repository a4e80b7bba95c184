// mpc8xxx-gpio: device-tree node.
#include "devices/gpio/gpio_config.hpp"
#include "devices/gpio/kind.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::gpio {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("gpio", device);
    ctx.phandle(device);
    ctx.out.prop_empty("gpio-controller");
    ctx.out.prop_u32("#gpio-cells", device_kind().gpios->cells);
    ctx.interrupts(device);
    ctx.reg(device);
    ctx.out.prop_strings("compatible", config.compatible);
    // The binding's ngpios, when the block has fewer lines than its 32-bit
    // registers (a full block says nothing, as QEMU's tree and v1's do).
    if (config.ngpios < kLines) ctx.out.prop_u32("ngpios", config.ngpios);
}

} // namespace vmc::devices::gpio
