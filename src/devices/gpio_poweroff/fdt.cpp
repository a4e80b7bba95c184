// gpio-poweroff: device-tree node (`gpios = <&controller specifier>`, the
// specifier in the controller kind's format).
#include <fmt/format.h>
#include <stdexcept>

#include "devices/gpio_poweroff/gpio_poweroff_config.hpp"
#include "devices/gpio_poweroff/kind.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::gpio_poweroff {

void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_plain_node("power-off", device);
    std::vector<uint32_t> gpios{ctx.phandle_of(config.controller)};
    const model::Device* controller = machine.find_device(config.controller);
    const GpioSpecifier* format = controller ? kind_of(*controller).gpios : nullptr;
    if (!format)
        throw std::runtime_error(fmt::format("device tree: {}: '{}' is not a GPIO controller",
                                             device.name, config.controller));
    for (uint32_t cell : format->encode(config.pin, config.active_low))
        gpios.push_back(cell);
    ctx.out.prop_cells("gpios", gpios);
    ctx.out.prop_string("compatible", "gpio-poweroff");
}

} // namespace vmc::devices::gpio_poweroff
