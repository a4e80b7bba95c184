// gpio-poweroff: device-tree node (`gpios = <&controller pin flags>`).
#include "devices/gpio_poweroff/gpio_poweroff_config.hpp"
#include "devices/kinds.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::gpio_poweroff {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    Config config = parse(device);
    auto node = ctx.begin_plain_node("power-off", device);
    ctx.out.prop_cells(
        "gpios", {ctx.phandle_of(config.controller), config.pin, config.active_low ? 1u : 0u});
    ctx.out.prop_string("compatible", "gpio-poweroff");
}

} // namespace vmc::devices::gpio_poweroff
